/**
 * `unspoof audit checkpoint | key | prove | consistency | export | verify` (docs/audit.md): sign
 * a checkpoint of a case's audit log, hand out its verifier key, prove an entry's inclusion or
 * two checkpoints' consistency, export the log, and verify — the live log against a checkpoint,
 * or, with no database, an exported log or a proof with only the verifier key.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { openOps } from '../ops/open.ts';
import type { OpsDb } from '../ops/db.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { checkpointNow } from './audit.ts';
import { parseVkey, type Checkpoint } from './note.ts';
import {
  checkLeaves,
  leavesOf,
  makeConsistency,
  makeInclusion,
  openCheckpoint,
  summarise,
  verifyProof,
} from './proofs.ts';
import { logKey } from './tree.ts';
import { checkLive, logLines } from './live.ts';

const read = (file: string, what: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new UnspoofError('FILE_UNREADABLE', `the ${what} ${file} cannot be read`);
  }
};

/** Writes to `out`, or prints. */
function emit(fx: Effects, text: string, out: string | undefined, what: string): void {
  if (!out) return fx.out(text);
  fs.writeFileSync(out, text);
  fx.note(`${what} written to ${out}`);
}

async function withOps<T>(caseDir: string, fn: (db: OpsDb) => Promise<T>): Promise<T> {
  const db = await openOps(caseDir);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const CaseOut = z.object({ case: z.string().min(1), out: z.string().optional() });

export async function checkpointCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(CaseOut.extend({ reason: z.string().default('on demand') }), raw);
  const cp = await withOps(o.case, (db) => checkpointNow(db, o.reason, fx.now()));
  emit(fx, cp.note, o.out, `The checkpoint at ${cp.size} entries`);
}

export async function keyCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(CaseOut, raw);
  const { vkey } = await withOps(o.case, (db) => logKey(db));
  emit(fx, `${vkey}\n`, o.out, 'The verifier key');
}

/** A checkpoint of this case's log: the file given (opened with the case's key), or a new one. */
async function checkpointOf(
  db: OpsDb,
  file: string | undefined,
  reason: string,
  now: Date,
): Promise<{ note: string; c: Checkpoint }> {
  const note = file ? read(file, 'checkpoint') : (await checkpointNow(db, reason, now)).note;
  return { note, c: openCheckpoint(note, (await logKey(db)).verifier) };
}

/** The leaves of the live log's first `size` entries; refused if the log holds fewer. */
async function leavesUpTo(db: OpsDb, size: number) {
  const lines = await logLines(db, size);
  if (lines.length < size)
    throw new UnspoofError(
      'AUDIT_BROKEN',
      `the log holds ${lines.length} entries, fewer than the ${size} of the checkpoint`,
    );
  const { leaves } = leavesOf(lines);
  return { lines, leaves };
}

export async function proveCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(
    CaseOut.extend({ entry: z.coerce.number().int().min(1), checkpoint: z.string().optional() }),
    raw,
  );
  const proof = await withOps(o.case, async (db) => {
    const at = await checkpointOf(
      db,
      o.checkpoint,
      `inclusion proof of entry ${o.entry}`,
      fx.now(),
    );
    const { lines, leaves } = await leavesUpTo(db, at.c.size);
    return makeInclusion(leaves, lines, at.note, at.c, o.entry);
  });
  emit(fx, `${JSON.stringify(proof, null, 2)}\n`, o.out, `The inclusion proof of entry ${o.entry}`);
}

export async function consistencyCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(
    CaseOut.extend({ from: z.string().min(1), to: z.string().optional() }),
    raw,
  );
  const proof = await withOps(o.case, async (db) => {
    const from = await checkpointOf(db, o.from, '', fx.now());
    const to = await checkpointOf(db, o.to, 'consistency proof', fx.now());
    const { leaves } = await leavesUpTo(db, to.c.size);
    return makeConsistency(leaves, from, to);
  });
  emit(fx, `${JSON.stringify(proof, null, 2)}\n`, o.out, 'The consistency proof');
}

export async function exportCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(z.object({ case: z.string().min(1), out: z.string().min(1) }), raw);
  const lines = await withOps(o.case, (db) => logLines(db));
  fs.writeFileSync(o.out, lines.map((l) => `${l}\n`).join(''));
  fx.note(`${lines.length} audit entries written to ${o.out}, one canonical entry a line`);
}

const VerifyOptions = z.object({
  case: z.string().optional(),
  checkpoint: z.string().optional(),
  log: z.string().optional(),
  key: z.string().optional(),
  proof: z.string().optional(),
});

/**
 * Verifies, saying what holds or (AUDIT_BROKEN, NOTE_INVALID) what does not: a proof (`--proof
 * --key`), an exported log (`--log --checkpoint --key`) or the live log (`--case --checkpoint`).
 */
export async function verifyCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(VerifyOptions, raw);
  const key = () => {
    if (!o.key) throw new UnspoofError('USAGE', '--key VKEY_FILE is needed to verify offline');
    return parseVkey(read(o.key, 'verifier key'));
  };
  if (o.proof) {
    let p: unknown;
    try {
      p = JSON.parse(read(o.proof, 'proof'));
    } catch (e) {
      if (e instanceof UnspoofError) throw e;
      throw new UnspoofError('NOTE_INVALID', `the proof ${o.proof} is not JSON`);
    }
    return fx.out(verifyProof(p, key()));
  }
  if (!o.checkpoint)
    throw new UnspoofError(
      'USAGE',
      'give --checkpoint FILE (with --case DIR, or --log FILE --key FILE), or --proof FILE --key FILE',
    );
  if (o.log) {
    const c = openCheckpoint(read(o.checkpoint, 'checkpoint'), key());
    const text = read(o.log, 'exported log');
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    const { leaves, problems } = leavesOf(lines);
    const all = [...problems, ...checkLeaves(leaves, c)];
    if (all.length)
      throw new UnspoofError('AUDIT_BROKEN', `the exported log does not verify: ${summarise(all)}`);
    return fx.out(
      `The exported log (${lines.length} entries) holds the ${c.size} entries of the checkpoint unchanged, signed by ${c.origin}.`,
    );
  }
  if (!o.case) throw new UnspoofError('USAGE', 'give --case DIR or --log FILE with --checkpoint');
  const note = read(o.checkpoint, 'checkpoint');
  const given = o.key ? key() : undefined;
  const r = await withOps(o.case, (db) => checkLive(db, note, given));
  if (r.problems.length)
    throw new UnspoofError(
      'AUDIT_BROKEN',
      `the audit log does not verify against the checkpoint: ${summarise(r.problems)}`,
    );
  fx.out(
    `The audit log (${r.entries} entries) extends the checkpoint's ${r.size} unchanged: nothing was removed or rewritten since it was signed.`,
  );
}
