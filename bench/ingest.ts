/**
 * `npm run bench:ingest [-- --scale X] [-- --calls-format asterisk]`: synthesises the export
 * once (cached in .cache/), then ingests it and measures the floor — DuckDB loading the same
 * files with read_csv and no transformation — in the same run. Prints the figures and ratios.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.1' },
    'calls-format': { type: 'string', default: 'canonical' },
  },
});
const scale = values.scale as string;
const format = values['calls-format'] as string;
const root = path.resolve(import.meta.dirname, '..');
const cache = path.join(root, '.cache');
const exportDir = path.join(cache, `bench-export-${scale}-${format}`);
const log = (s: string) => process.stdout.write(`${s}\n`);

if (!fs.existsSync(path.join(exportDir, 'truth', 'victims.csv'))) {
  fs.rmSync(exportDir, { recursive: true, force: true });
  log(`synthesising scale ${scale} (${format}) into ${exportDir} (once) …`);
  execFileSync(
    process.execPath,
    [
      path.join(root, 'bin/unspoof.js'),
      'synth',
      '--out',
      exportDir,
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
const bytes = fs
  .readdirSync(exportDir)
  .map((f) => path.join(exportDir, f))
  .filter((f) => fs.statSync(f).isFile())
  .reduce((t, f) => t + fs.statSync(f).size, 0);

function run(mode: 'ingest' | 'floor'): {
  ms: number;
  maxRssMb: number;
  rows?: number;
  loaded?: number;
  quarantined?: number;
} {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'bench/ingest-child.ts'),
      mode,
      exportDir,
      path.join(cache, `bench-${mode}-case`),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

// Warm the page cache for both, then measure.
for (const f of fs.readdirSync(exportDir)) {
  const p = path.join(exportDir, f);
  if (fs.statSync(p).isFile()) fs.readFileSync(p);
}
const floor = run('floor');
const ingest = run('ingest');

const db = await DuckDBInstance.create(path.join(cache, 'bench-ingest-case', 'analysis.duckdb'), {
  access_mode: 'READ_ONLY',
});
const conn = await db.connect();
const reader = await conn.runAndReadAll(
  `SELECT (SELECT count(DISTINCT dialed_raw) + count(DISTINCT presented_raw) FROM calls) + (SELECT count(DISTINCT phone_raw) FROM accounts) AS n`,
);
const distinctNumbers = Number(reader.getRowsJS()[0]?.[0] ?? 0);
conn.closeSync();
db.closeSync();

const rows = ingest.rows ?? 0;
const ratio = ingest.ms / floor.ms;
log('');
log(
  `ingest bench — scale ${scale}, calls as ${format}, ${(bytes / 1e6).toFixed(0)} MB in ${rows.toLocaleString('en-GB')} rows`,
);
log(`  ingest wall time       ${(ingest.ms / 1000).toFixed(2)} s`);
log(`  rows/s                 ${Math.round(rows / (ingest.ms / 1000)).toLocaleString('en-GB')}`);
log(
  `  distinct numbers/s     ${Math.round(distinctNumbers / (ingest.ms / 1000)).toLocaleString('en-GB')} (${distinctNumbers.toLocaleString('en-GB')} distinct raw numbers)`,
);
log(`  peak RSS               ${ingest.maxRssMb.toFixed(0)} MB (target ≤ 4096 MB)`);
log(
  `  loaded / quarantined   ${(ingest.loaded ?? 0).toLocaleString('en-GB')} / ${(ingest.quarantined ?? 0).toLocaleString('en-GB')}`,
);
log(
  `  floor (DuckDB read_csv, no transformation)  ${(floor.ms / 1000).toFixed(2)} s, peak RSS ${floor.maxRssMb.toFixed(0)} MB`,
);
log(`  ratio to floor         ${ratio.toFixed(2)} (target ≤ 3)`);
