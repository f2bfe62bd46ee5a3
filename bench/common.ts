/** Shared by the benches: the cached synthetic export and one measured run in a child process. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeCase } from '../src/analyze/analyze.ts';
import { loadInputs } from '../src/analyze/inputs.ts';
import { intelInputs } from '../src/synth/intel.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import { openPglite, openPostgres, type OpsDb } from '../src/ops/db.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { migrate } from '../src/ops/migrate.ts';
import { dropSchema, testSchema } from '../test/ops-backends.ts';

export const root = path.resolve(import.meta.dirname, '..');
export const cache = path.join(root, '.cache');
export const log = (s: string) => process.stdout.write(`${s}\n`);

/**
 * `--scale X` (default 0.1), `--calls-format F` (default canonical) and `--runs N` (how many
 * measured runs, for the benches that repeat theirs; null when not given).
 */
export function benchArgs(): { scale: string; format: string; runs: number | null } {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '0.1' },
      'calls-format': { type: 'string', default: 'canonical' },
      runs: { type: 'string' },
    },
  });
  const runs = values.runs === undefined ? null : Number(values.runs);
  if (runs !== null && !(Number.isInteger(runs) && runs >= 1)) {
    throw new Error(`--runs must be a whole number of at least 1, not ${values.runs}`);
  }
  return { scale: values.scale as string, format: values['calls-format'] as string, runs };
}

/** Synthesises the export once per scale and format (seed 1), cached in .cache/. */
export function ensureExport(scale: string, format: string): string {
  const dir = path.join(cache, `bench-export-${scale}-${format}`);
  // wallets.csv: the last truth file the synth gained (an older export is written again).
  if (!fs.existsSync(path.join(dir, 'truth', 'wallets.csv'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    log(`synthesising scale ${scale} (${format}) into ${dir} (once) …`);
    execFileSync(
      process.execPath,
      [
        path.join(root, 'bin/unspoof.js'),
        'synth',
        '--out',
        dir,
        '--scale',
        scale,
        '--calls-format',
        format,
        '--seed',
        '1',
      ],
      { stdio: 'inherit' },
    );
  }
  // Warm the page cache so that every measured run reads the files from memory alike.
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) fs.readFileSync(p);
  }
  return dir;
}

/**
 * The canonical export at `scale`, ingested and analysed once into .cache/ (minutes, the first
 * time) and shared by the benches that read a case rather than make one.
 */
export const analysedCaseDir = (scale: string): string =>
  path.join(cache, `bench-draft-case-${scale}`);

export async function ensureAnalysedCase(scale: string): Promise<string> {
  const caseDir = analysedCaseDir(scale);
  const done = path.join(caseDir, '.analysed');
  if (fs.existsSync(done)) return caseDir;
  const exportDir = ensureExport(scale, 'canonical');
  fs.rmSync(caseDir, { recursive: true, force: true });
  log(`ingesting and analysing scale ${scale} into ${caseDir} (once) …`);
  const fx = memoryEffects(new Date());
  await ingestExport({ exportDir, caseDir }, fx);
  const intel = intelInputs(exportDir);
  if (intel) await loadInputs(caseDir, intel, fx);
  await analyzeCase(caseDir, fx);
  fs.writeFileSync(done, new Date().toISOString());
  return caseDir;
}

export interface ChildResult {
  ms: number;
  maxRssMb: number;
  [k: string]: unknown;
}

/** One measured step (`ingest`, `floor`, `analyze`) in its own process, so its peak RSS is its own. */
export function runChild(mode: string, exportDir: string, caseDir: string): ChildResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench/child.ts'), mode, exportDir, caseDir],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string) as ChildResult;
}

export interface Floor {
  /** The mean of the two runs, which ratios are taken to. */
  ms: number;
  before: number;
  after: number;
  maxRssMb: number;
}

/**
 * Runs `measure` between two runs of the floor (DuckDB loading the export's files with read_csv
 * and no transformation). Ratios are to the floor's mean: this machine's speed drifts by a
 * quarter from one minute to the next, and one floor run would carry its drift.
 */
export function betweenFloors<T>(exportDir: string, measure: () => T): { floor: Floor; result: T } {
  return interleavedWithFloors(exportDir, 1, measure)[0] as { floor: Floor; result: T };
}

/**
 * Runs `measure` `runs` times, each between two runs of the floor (floor, measure, floor,
 * measure, …, floor): each run's ratio is to the mean of the floors on either side of it.
 */
export function interleavedWithFloors<T>(
  exportDir: string,
  runs: number,
  measure: (run: number) => T,
): Array<{ floor: Floor; result: T }> {
  const floorCase = path.join(cache, 'bench-floor-case');
  const out: Array<{ floor: Floor; result: T }> = [];
  let before = runChild('floor', exportDir, floorCase);
  for (let i = 0; i < runs; i++) {
    const result = measure(i);
    const after = runChild('floor', exportDir, floorCase);
    const floor = {
      ms: (before.ms + after.ms) / 2,
      before: before.ms,
      after: after.ms,
      maxRssMb: Math.max(before.maxRssMb, after.maxRssMb),
    };
    out.push({ floor, result });
    before = after;
  }
  return out;
}

/**
 * The operations store a bench runs on: a fresh schema of the PostgreSQL that DATABASE_URL
 * names (dropped by `drop`), else PGlite in `pgliteDir` (null: in memory). Migrated.
 */
export async function benchOpsStore(
  pgliteDir: string | null,
): Promise<{ db: OpsDb; kind: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = testSchema();
    const db = await openPostgres(url, schema);
    await migrate(db);
    return {
      db,
      kind: 'PostgreSQL',
      drop: async () => (await db.close(), await dropSchema(url, schema)),
    };
  }
  const db = await openPglite(pgliteDir);
  await migrate(db);
  return { db, kind: pgliteDir ? 'PGlite' : 'PGlite (in memory)', drop: () => db.close() };
}
