/**
 * `npm run bench:ingest [-- --scale X] [-- --calls-format asterisk]`: synthesises the export
 * once (cached in .cache/), then ingests it and measures the floor — DuckDB loading the same
 * files with read_csv and no transformation — in the same run, before and after the ingest (the
 * ratio is to the mean). Prints the figures and ratios.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { benchArgs, betweenFloors, cache, ensureExport, log, runChild } from './common.ts';
import fs from 'node:fs';

const { scale, format } = benchArgs();
const exportDir = ensureExport(scale, format);
const bytes = fs
  .readdirSync(exportDir)
  .map((f) => path.join(exportDir, f))
  .filter((f) => fs.statSync(f).isFile())
  .reduce((t, f) => t + fs.statSync(f).size, 0);

const { floor, result: ingest } = betweenFloors(exportDir, () =>
  runChild('ingest', exportDir, path.join(cache, 'bench-ingest-case')),
);

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

const rows = Number(ingest.rows ?? 0);
const ratio = ingest.ms / floor.ms;
const n = (v: number) => Math.round(v).toLocaleString('en-GB');
log('');
log(
  `ingest bench — scale ${scale}, calls as ${format}, ${(bytes / 1e6).toFixed(0)} MB in ${n(rows)} rows`,
);
log(`  ingest wall time       ${(ingest.ms / 1000).toFixed(2)} s`);
log(`  rows/s                 ${n(rows / (ingest.ms / 1000))}`);
log(
  `  distinct numbers/s     ${n(distinctNumbers / (ingest.ms / 1000))} (${n(distinctNumbers)} distinct raw numbers)`,
);
log(`  peak RSS               ${ingest.maxRssMb.toFixed(0)} MB (target ≤ 4096 MB)`);
log(
  `  loaded / quarantined   ${n(Number(ingest.loaded ?? 0))} / ${n(Number(ingest.quarantined ?? 0))}`,
);
log(
  `  floor (DuckDB read_csv, 64 MB buffer, no transformation)  ${(floor.ms / 1000).toFixed(2)} s (mean of ${(floor.before / 1000).toFixed(2)} s before and ${(floor.after / 1000).toFixed(2)} s after), peak RSS ${floor.maxRssMb.toFixed(0)} MB`,
);
log(`  ratio to floor         ${ratio.toFixed(2)} (target ≤ 3)`);
