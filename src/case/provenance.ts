/**
 * A case's provenance: whether it holds synthetic data (made by `unspoof synth`), decided when
 * the case is made from the marks the synth leaves on its export, and kept in `case_meta`.
 * A synthetic case may only text through the local simulator or a file (docs/outreach.md).
 *
 * The synth marks its export three ways (docs/seized-export.md, "Synthetic exports"):
 *
 * - `flag`: `"synthetic": true` in export.json;
 * - `provenance`: export.json's `provenance`, the synth's Ed25519 signature over the SHA-256 of
 *   every data file it wrote (src/synth/provenance.ts);
 * - `sidecar`: the same signature in a file of its own beside export.json, `.synthetic`.
 *
 * Any one of them makes the case synthetic, whether its signature verifies or not (fail safe:
 * a signature that does not verify means files were edited, not that the data is seized). Ingest
 * checks the signatures against the digests of the files it loaded, and warns when one does not
 * verify or a mark is missing. Once synthetic, a case stays so: no later ingest clears it.
 *
 * The synth's key is made from a seed in its code: this guards against accidents, not forgers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { queryRows } from './store.ts';

/** The synth's detached signature, beside export.json (a dot file: ingest reads no such file). */
export const SYNTHETIC_FILE = '.synthetic';
export const SYNTH_GENERATOR = 'unspoof synth';
/** The synth's Ed25519 public key (raw, base64url); src/synth/provenance.ts holds its seed. */
export const SYNTH_PUBLIC_KEY = 'FGWVCEps3AlyKvc4AuSCXMJe1-mqjrrxAnarxiE9DPE';

/** A mark the synth leaves on its export (see above). */
export type Mark = 'flag' | 'provenance' | 'sidecar';

/**
 * What `case_meta.synthetic_marks` lists: the marks seen, and whether a signature verified
 * against the files as ingested (`verified`) or one was present that did not (`unverified`).
 */
export type MarkToken = Mark | 'verified' | 'unverified';
const TOKEN_ORDER: readonly string[] = ['flag', 'provenance', 'sidecar', 'verified', 'unverified'];

export const ProvenanceSchema = z.object({
  generator: z.string(),
  seed: z.number().int(),
  algorithm: z.literal('Ed25519'),
  /** The signer's public key (raw, base64url), for reading by hand: ingest trusts its own copy. */
  key: z.string(),
  /** Every data file of the export (name → SHA-256, hex) as the synth wrote it. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  /** Ed25519 over provenanceStatement(), base64. */
  signature: z.string(),
});

export type Provenance = z.infer<typeof ProvenanceSchema>;

/** The bytes signed: the generator, the seed and each file's digest, by name (UTF-16 order). */
export function provenanceStatement(p: Omit<Provenance, 'signature'>): Buffer {
  const files = Object.entries(p.files)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, sha]) => `${sha}  ${name}\n`);
  return Buffer.from(
    `unspoof synthetic export v1\ngenerator: ${p.generator}\nseed: ${p.seed}\n${files.join('')}`,
  );
}

/**
 * The data files of an export as ingest finds them (regular files at its top level, neither
 * dot files nor export.json), each with its SHA-256.
 */
export async function digestExport(dir: string): Promise<Record<string, string>> {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.') && d.name !== 'export.json')
    .map((d) => d.name)
    .sort();
  const out: Record<string, string> = {};
  for (const name of names) {
    const h = crypto.createHash('sha256');
    for await (const chunk of fs.createReadStream(path.join(dir, name), {
      highWaterMark: 1 << 22,
    })) {
      h.update(chunk as Buffer);
    }
    out[name] = h.digest('hex');
  }
  return out;
}

/** A signature found on an export: where, and the block as written (perhaps not one at all). */
interface Signed {
  where: string;
  block: unknown;
  /** Why the block could not be read (a `.synthetic` that is not JSON). */
  unreadable?: string;
}

export interface ExportMarks {
  /** The marks present, in TOKEN_ORDER. */
  marks: Mark[];
  signed: Signed[];
}

/** The marks on the export in `dir`, whose export.json (read already) is `manifest`. */
export function exportMarks(
  dir: string,
  manifest: { synthetic?: boolean | undefined; provenance?: unknown },
): ExportMarks {
  const marks: Mark[] = [];
  const signed: Signed[] = [];
  if (manifest.synthetic === true) marks.push('flag');
  if (manifest.provenance !== undefined) {
    marks.push('provenance');
    signed.push({ where: "export.json's provenance", block: manifest.provenance });
  }
  const sidecar = path.join(dir, SYNTHETIC_FILE);
  // Present in any form (even a folder or an unreadable file) counts: fail safe.
  if (fs.existsSync(sidecar)) {
    marks.push('sidecar');
    try {
      signed.push({ where: SYNTHETIC_FILE, block: JSON.parse(fs.readFileSync(sidecar, 'utf8')) });
    } catch (e) {
      signed.push({ where: SYNTHETIC_FILE, block: undefined, unreadable: (e as Error).message });
    }
  }
  return { marks, signed };
}

export interface MarksChecked {
  /** What to record in case_meta: the marks, and `verified` / `unverified`. */
  tokens: MarkToken[];
  /** Signatures that do not verify, and marks missing from a signed export. */
  warnings: string[];
}

const KEY = crypto.createPublicKey({
  key: { kty: 'OKP', crv: 'Ed25519', x: SYNTH_PUBLIC_KEY },
  format: 'jwk',
});

/**
 * Checks the signatures of `found` against `digests` (the export's data files as ingested:
 * name → SHA-256). Nothing here can make a marked export unsynthetic: a signature that does not
 * verify is a warning.
 */
export function checkMarks(found: ExportMarks, digests: ReadonlyMap<string, string>): MarksChecked {
  if (found.marks.length === 0) return { tokens: [], warnings: [] };
  const warnings: string[] = [];
  const tokens: MarkToken[] = [...found.marks];
  // The same provenance in export.json and .synthetic (the note aside) is checked once.
  const seen = new Map<string, string[]>();
  for (const s of found.signed) {
    const parsed = ProvenanceSchema.safeParse(s.block);
    const key = parsed.success ? JSON.stringify(parsed.data) : `unparsed ${s.where}`;
    seen.set(key, [...(seen.get(key) ?? []), s.where]);
  }
  let verified = false;
  let unverified = false;
  for (const wheres of seen.values()) {
    const s = found.signed.find((x) => x.where === wheres[0]) as Signed;
    const problems = s.unreadable
      ? [`it cannot be read: ${s.unreadable}`]
      : signatureProblems(s.block, digests);
    if (problems.length === 0) {
      verified = true;
      continue;
    }
    unverified = true;
    warnings.push(
      `synthetic data: ${wheres.join(' and ')} does not verify (${problems.join('; ')}); the case is marked synthetic all the same`,
    );
  }
  if (verified) tokens.push('verified');
  if (unverified) tokens.push('unverified');
  if (found.signed.length > 0) {
    const missing = [
      found.marks.includes('flag') ? '' : 'export.json has no "synthetic": true',
      found.marks.includes('provenance') ? '' : 'export.json has no provenance',
      found.marks.includes('sidecar') ? '' : `there is no ${SYNTHETIC_FILE}`,
    ].filter(Boolean);
    if (missing.length > 0) {
      warnings.push(
        `synthetic data: ${missing.join(', ')}, but the export carries ${SYNTH_GENERATOR}'s signature; the case is marked synthetic`,
      );
    }
  }
  return { tokens, warnings };
}

/** Why a signed block does not verify against `digests`; none when it does. */
function signatureProblems(block: unknown, digests: ReadonlyMap<string, string>): string[] {
  const parsed = ProvenanceSchema.safeParse(block);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'it'}: ${i.message}`);
    return [`not a provenance ${SYNTH_GENERATOR} writes (${issues.join(', ')})`];
  }
  const p = parsed.data;
  const problems: string[] = [];
  let good = false;
  try {
    good = crypto.verify(null, provenanceStatement(p), KEY, Buffer.from(p.signature, 'base64'));
  } catch {
    good = false;
  }
  if (!good) problems.push(`the signature is not ${SYNTH_GENERATOR}'s over its files`);
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [name, sha] of Object.entries(p.files)) {
    const now = digests.get(name);
    if (now === undefined) missing.push(name);
    else if (now !== sha) changed.push(name);
  }
  const added = [...digests.keys()].filter((name) => !Object.hasOwn(p.files, name));
  if (changed.length) problems.push(`${changed.join(', ')} changed since it was signed`);
  if (missing.length) problems.push(`${missing.join(', ')} missing`);
  if (added.length) problems.push(`${added.join(', ')} not signed`);
  return problems;
}

/**
 * Records that the case holds synthetic data, with `tokens` (the marks seen) added to those of
 * earlier ingests. No tokens: nothing is written. Nothing here ever clears the mark.
 */
export async function recordSynthetic(
  conn: DuckDBConnection,
  tokens: readonly string[],
): Promise<void> {
  if (tokens.length === 0) return;
  const all = new Set([...(await caseSyntheticMarks(conn)), ...tokens]);
  const ordered = [
    ...TOKEN_ORDER.filter((t) => all.has(t)),
    ...[...all].filter((t) => !TOKEN_ORDER.includes(t)).sort(),
  ];
  await conn.run(`INSERT OR REPLACE INTO case_meta VALUES ('synthetic', 'true')`);
  await conn.run(`INSERT OR REPLACE INTO case_meta VALUES ('synthetic_marks', $v)`, {
    v: ordered.join(','),
  });
}

/**
 * Whether the case holds synthetic data: never to be texted through a live gateway. Either key
 * counts (`synthetic`, or `synthetic_marks` should the other be gone), whatever its value.
 */
export async function caseIsSynthetic(conn: DuckDBConnection): Promise<boolean> {
  const rows = await queryRows(
    conn,
    `SELECT 1 FROM case_meta WHERE key IN ('synthetic', 'synthetic_marks') LIMIT 1`,
  );
  return rows.length > 0;
}

/** The marks every ingest into the case saw (case_meta `synthetic_marks`), in order. */
export async function caseSyntheticMarks(conn: DuckDBConnection): Promise<string[]> {
  const [row] = await queryRows<{ value: string | null }>(
    conn,
    `SELECT value FROM case_meta WHERE key = 'synthetic_marks'`,
  );
  return row?.value ? row.value.split(',').filter(Boolean) : [];
}
