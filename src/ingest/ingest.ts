/**
 * `ingest`: loads a seized export into a case. Plans and hashes every file first (an unknown
 * or unreadable file, a missing time zone or a missing column stops everything before anything
 * is loaded), then loads file by file, each in one transaction with its `files` row: a failure
 * leaves the case with the files before it, complete, and re-running adds what is missing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { checkMarks, exportMarks, recordSynthetic } from '../case/provenance.ts';
import { openCase, queryRows } from '../case/store.ts';
import { normaliseNumber, type Normalised } from '../numbers/normalise.ts';
import type { Effects } from '../shared/effects.ts';
import { isUnspoofError, UnspoofError } from '../shared/errors.ts';
import { sqlString } from '../shared/sql.ts';
import { planExport } from './detect.ts';
import { LOAD_ORDER } from './kinds.ts';
import { chooseZones, localTransitions } from './clocks.ts';
import {
  checkStaged,
  writeChecked,
  type FileCounts,
  type LoadContext,
  type NamedRoute,
} from './load.ts';
import { checkTimezone, readManifest } from './manifest.ts';
import { readMapping } from './mapping.ts';
import type { FilePlan } from './plan.ts';
import { stageFile, type Staged } from './stage.ts';
import { getCountries } from 'libphonenumber-js/max';

/** A file given on the command line beside (or without) an export: rates, transactions. */
export interface InputFile {
  file: string;
  kind: 'rates' | 'transactions';
}

export interface IngestOptions {
  /** The seized export; absent when only `inputs` are loaded (`analyze --rates FILE`). */
  exportDir?: string | undefined;
  inputs?: readonly InputFile[] | undefined;
  caseDir: string;
  /** An IANA zone, or `auto`: each switch file's zone from its own clocks (clocks.ts). */
  timezone?: string | undefined;
  mappingFile?: string | undefined;
  brandsFile?: string | undefined;
  /** `--country`: the seized server's home country (upper case, checked); wins over export.json. */
  country?: string | undefined;
  /** `--outside-line`: the outside-line prefix (1–3 digits); wins over export.json. */
  outsideLine?: string | undefined;
}

export interface FileResult extends FileCounts {
  file: string;
  format: string;
  kind: string;
  /** Its `files.file_id` in the case; absent when skipped. */
  fileId?: number;
  /** The SHA-256 of its bytes as read (hex). */
  sha256: string;
  /** Set when the same file (by SHA-256) was ingested before: nothing is added twice. */
  skipped?: 'already ingested';
}

/** What the audit log keeps of an ingest: the export, each file's SHA-256 and row counts. */
export function ingestDetail(exportDir: string, r: IngestResult): Record<string, unknown> {
  return {
    // The folder's name, not its path (which may name the analyst's home): the files' hashes
    // are what identify what was ingested.
    export: path.basename(path.resolve(exportDir)),
    rows: r.rows,
    loaded: r.loaded,
    quarantined: r.quarantined,
    files: r.files.map((f) => ({
      file: f.file,
      sha256: f.sha256,
      kind: f.kind,
      format: f.format,
      rows: f.rows,
      loaded: f.loaded,
      quarantined: f.quarantined,
      ...(f.skipped ? { skipped: f.skipped } : {}),
    })),
  };
}

export interface IngestResult extends FileCounts {
  files: FileResult[];
  /**
   * What the ingest doubts but went on with: a declared zone the files' clocks disagree with;
   * a synthetic export whose signature does not verify, or that lacks one of its marks.
   */
  warnings: string[];
  /**
   * The synth's marks this export carries (src/case/provenance.ts: `flag`, `provenance`,
   * `sidecar`, then `verified` or `unverified`); empty for an export that is not synthetic.
   */
  synthetic: string[];
}

const SHIPPED_BRANDS = fileURLToPath(new URL('../brands/brands.csv', import.meta.url));

export async function ingestExport(opts: IngestOptions, fx: Effects): Promise<IngestResult> {
  const exportDir = opts.exportDir;
  const manifest = exportDir ? readManifest(exportDir) : {};
  // Whether the export is synthetic: any one of the synth's marks says so.
  const marks = exportDir ? exportMarks(exportDir, manifest) : { marks: [], signed: [] };
  const mapping = opts.mappingFile ? readMapping(opts.mappingFile) : undefined;
  const tzName = opts.timezone ?? manifest.timezone;
  const autoZone = tzName?.toLowerCase() === 'auto';
  const declaredZone = tzName && !autoZone ? checkTimezone(tzName) : null;

  const scratch = await DuckDBInstance.create(':memory:');
  const planConn = await scratch.connect();
  let plans: FilePlan[];
  try {
    plans = await planExport(planConn, {
      dir: exportDir,
      manifest,
      mapping,
      brandsFile: opts.brandsFile,
      inputs: opts.inputs,
    });
  } finally {
    planConn.closeSync();
    scratch.closeSync();
  }
  // Each local-time file gets its zone (plan.timezone), checked against or read from its own
  // clocks; `timezone` is the one they share, if they do (docs/switch-records.md §6).
  const zones = chooseZones(plans, {
    declared: declaredZone,
    auto: autoZone,
    country: opts.country ?? manifest.country,
    manifest: path.join(exportDir ?? '.', 'export.json'),
  });
  const timezone = zones.timezone;
  plans.sort((a, b) => LOAD_ORDER.indexOf(a.kind) - LOAD_ORDER.indexOf(b.kind));

  // Each file is hashed (one after another, on this thread) while DuckDB loads the files
  // before it on its own threads: the large calls file is read and hashed during the smaller
  // ones, not before anything starts.
  const hashes = hashInTurn(plans);

  const store = await openCase(opts.caseDir, { create: true });
  const { conn } = store;
  const results: FileResult[] = [];
  // The export's own data files (not a --brands file) → SHA-256, to check the synth's signature.
  const digests = new Map<string, string>();
  let synthetic: string[] = [];
  let syntheticWarnings: string[] = [];
  try {
    // A synthetic export marks the case before any of its rows loads; nothing ever unmarks it.
    await recordSynthetic(conn, marks.marks);
    await defineMacros(conn);
    // Every batch ingest normalises is distinct already (DuckDB finds the distinct pairs): the
    // reference function itself, with no memo to fill.
    const normalise = normaliseNumber;
    await loadShippedBrands(conn, normalise);
    const [maxId] = await queryRows<{ m: number | null }>(
      conn,
      'SELECT max(file_id) AS m FROM files',
    );
    let nextId = (maxId?.m ?? 0) + 1;
    for (const plan of plans) {
      const { hasQuote, ...hash } = await (hashes.get(plan) as Promise<FileHash>);
      plan.hasQuote = hasQuote;
      if (exportDir && plan.path === path.join(exportDir, plan.name)) {
        digests.set(plan.name, hash.sha256);
      }
      const seen = await queryRows(conn, 'SELECT 1 FROM files WHERE sha256 = $h', {
        h: hash.sha256,
      });
      if (seen.length > 0) {
        fx.note(`${plan.name}: already ingested (same SHA-256), nothing added`);
        results.push({
          file: plan.name,
          format: plan.format,
          kind: plan.kind,
          rows: 0,
          loaded: 0,
          quarantined: 0,
          sha256: hash.sha256,
          skipped: 'already ingested',
        });
        continue;
      }
      const fileId = nextId++;
      const bar = fx.progress(`${plan.name} (${plan.kind})`, 4);
      let done = 0;
      const step = () => bar.tick(++done);
      const fileZone = plan.timezone ?? timezone;
      const ctx: LoadContext = {
        fileId,
        timezone: fileZone,
        normalise,
        routes: namedRoutes(manifest.routes, mapping?.routes),
        home: opts.country ?? manifest.country,
        outsideLine: opts.outsideLine ?? manifest.outside_line,
        // The local times the zone skips or repeats (docs/switch-records.md §6), over every
        // year a seized switch file could hold: the list is short either way.
        transitions:
          plan.localTime && fileZone
            ? localTransitions(fileZone, 1990, fx.now().getUTCFullYear() + 1)
            : [],
      };
      const counts = await loadFile(conn, plan, ctx, step, async (staged, c) => {
        await conn.run(
          `INSERT INTO files VALUES ($id, $name, $path, $sha, $bytes, $kind, $format, $enc, $tz, $rows, $loaded, $q, $at)`,
          {
            id: fileId,
            name: plan.name,
            path: path.resolve(plan.path),
            sha: hash.sha256,
            bytes: hash.bytes,
            kind: plan.kind,
            format: plan.format,
            enc: staged.encoding,
            tz: plan.localTime ? fileZone : null,
            rows: c.rows,
            loaded: c.loaded,
            q: c.quarantined,
            at: fx.now().toISOString(),
          },
        );
      }).catch((e: unknown) => {
        throw withContext(e, plan.name, results);
      });
      bar.done();
      results.push({
        file: plan.name,
        format: plan.format,
        kind: plan.kind,
        fileId,
        sha256: hash.sha256,
        ...counts,
      });
    }
    await conn.run(
      'DROP TABLE IF EXISTS _stg; DROP TABLE IF EXISTS _rej; DROP TABLE IF EXISTS _rej_scan; DROP TABLE IF EXISTS _route_cc',
    );
    // The synth's signature against the files as loaded (their hashes above): whether it
    // verifies or not, the case is synthetic; the outcome is recorded and warned of.
    const checked = checkMarks(marks, digests);
    await recordSynthetic(conn, checked.tokens);
    synthetic = checked.tokens;
    syntheticWarnings = checked.warnings;
  } finally {
    store.close();
  }
  const total = results.reduce(
    (t, r) => ({
      rows: t.rows + r.rows,
      loaded: t.loaded + r.loaded,
      quarantined: t.quarantined + r.quarantined,
    }),
    { rows: 0, loaded: 0, quarantined: 0 },
  );
  return {
    ...total,
    files: results,
    warnings: [...zones.warnings, ...syntheticWarnings],
    synthetic,
  };
}

/**
 * Loads one file: stage and check it outside any transaction (scratch temp tables only), then
 * write its quarantine, its rows and `record` (the file's row) in one transaction. A failure
 * leaves the case as it was before this file.
 */
async function loadFile(
  conn: DuckDBConnection,
  plan: FilePlan,
  ctx: LoadContext,
  step: () => void,
  record: (staged: Staged, counts: FileCounts) => Promise<void>,
): Promise<FileCounts> {
  const staged = await stageFile(conn, plan);
  step();
  const checked = await checkStaged(conn, plan, staged, ctx, step);
  await conn.run('BEGIN TRANSACTION');
  try {
    const counts = await writeChecked(conn, plan, staged, ctx, checked, step);
    await record(staged, counts);
    await conn.run('COMMIT');
    return counts;
  } catch (e) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Says which file failed and what stays in the case (the files before it, complete). */
function withContext(e: unknown, file: string, done: readonly FileResult[]): unknown {
  const loaded = done.filter((r) => !r.skipped).map((r) => r.file);
  const kept = loaded.length
    ? `; ${loaded.join(', ')} loaded before it stay in the case: re-running ingest adds only what is missing`
    : '';
  if (isUnspoofError(e)) {
    return new UnspoofError(
      e.code,
      `${file}: ${e.message} (nothing of this file was loaded${kept})`,
      {
        cause: e,
      },
    );
  }
  return e;
}

interface FileHash {
  sha256: string;
  bytes: number;
  hasQuote: boolean;
}

/** Starts hashing every file, one after another; each promise is awaited when its file's turn comes. */
function hashInTurn(plans: readonly FilePlan[]): Map<FilePlan, Promise<FileHash>> {
  const hashes = new Map<FilePlan, Promise<FileHash>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const plan of plans) {
    const hash = previous.then(() => hashFile(plan.path));
    // A file that fails stops the ingest when its turn comes (the next file's hash waits for it
    // either way); the hashes after it are never awaited, so their failures are handled here.
    previous = hash.catch(() => undefined);
    hashes.set(plan, hash);
  }
  return hashes;
}

async function hashFile(file: string): Promise<FileHash> {
  const h = crypto.createHash('sha256');
  let bytes = 0;
  let hasQuote = false;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 22 })) {
      const buf = chunk as Buffer;
      h.update(buf);
      bytes += buf.length;
      if (!hasQuote && buf.includes(0x22)) hasQuote = true;
    }
  } catch (e) {
    throw new UnspoofError('FILE_UNREADABLE', `${file} cannot be read: ${(e as Error).message}`);
  }
  return { sha256: h.digest('hex'), bytes, hasQuote };
}

/** The routes export.json and the mapping file name, with the rule that names each (§5). */
function namedRoutes(
  exported: Record<string, string> = {},
  mapped: Record<string, string> = {},
): Record<string, NamedRoute> {
  const out: Record<string, NamedRoute> = {};
  for (const [route, cc] of Object.entries(exported)) out[route] = { cc, rule: 'export' };
  for (const [route, cc] of Object.entries(mapped)) out[route] = { cc, rule: 'mapping' };
  return out;
}

/** `_country(x)`: an ISO country code as written (`uk` → GB), or NULL when it is none. */
async function defineMacros(conn: DuckDBConnection): Promise<void> {
  const list = `[${getCountries().map(sqlString).join(', ')}]`;
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _country(x) AS CASE
       WHEN upper(trim(x)) = 'UK' THEN 'GB'
       WHEN list_contains(${list}, upper(trim(x))) THEN upper(trim(x)) END`,
  );
}

/** The shipped brand list goes into a case once, on its first ingest. */
async function loadShippedBrands(
  conn: DuckDBConnection,
  normalise: (raw: string, ctx: string | null) => Normalised,
): Promise<void> {
  const [row] = await queryRows<{ n: bigint }>(
    conn,
    `SELECT count(*) AS n FROM brands WHERE source = 'shipped'`,
  );
  if (Number(row?.n ?? 0) > 0) return;
  const plan: FilePlan = {
    path: SHIPPED_BRANDS,
    name: 'shipped brands',
    kind: 'brands',
    format: 'csv',
    header: true,
    delimiter: ',',
    columns: ['number', 'brand', 'country', 'inbound_only'],
    source: {
      number: '"number"',
      brand: '"brand"',
      country: '"country"',
      inbound_only: '"inbound_only"',
    },
    localTime: false,
  };
  await loadFile(
    conn,
    plan,
    { fileId: 0, timezone: null, normalise, brandSource: 'shipped' },
    () => {},
    async (_staged, counts) => {
      if (counts.quarantined > 0) {
        throw new UnspoofError(
          'INTERNAL',
          `the shipped brand list has ${counts.quarantined} invalid rows`,
        );
      }
      await conn.run('DELETE FROM quarantine WHERE file_id = 0');
    },
  );
}
