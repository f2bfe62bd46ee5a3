/**
 * `npm run bench:ingest [-- --scale X] [-- --calls-format asterisk] [-- --runs N]`: synthesises
 * the export once (cached in .cache/), then ingests it N times (3 unless given), each between
 * two runs of the floor — DuckDB loading the same files with read_csv and no transformation —
 * in the same bench (floor, ingest, floor, ingest, …, floor). Each run's ratio is to the mean of
 * the floors on either side of it; the figures printed are the median run's, and every run is
 * listed. This machine's speed drifts by a quarter from one minute to the next: one run could
 * land on a slow minute that its floors missed.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { benchArgs, cache, ensureExport, interleavedWithFloors, log, runChild } from './common.ts';
import fs from 'node:fs';

const { scale, format, runs } = benchArgs();
const exportDir = ensureExport(scale, format);
const bytes = fs
  .readdirSync(exportDir)
  .map((f) => path.join(exportDir, f))
  .filter((f) => fs.statSync(f).isFile())
  .reduce((t, f) => t + fs.statSync(f).size, 0);
const caseDir = path.join(cache, 'bench-ingest-case');

const measured = interleavedWithFloors(exportDir, runs ?? 3, () =>
  runChild('ingest', exportDir, caseDir),
).map((r, i) => ({ ...r, run: i + 1, ratio: r.result.ms / r.floor.ms }));
const counts = new Set(measured.map((r) => `${r.result.loaded}/${r.result.quarantined}`));
if (counts.size !== 1) throw new Error(`the runs loaded different rows: ${[...counts].join(', ')}`);

const db = await DuckDBInstance.create(path.join(caseDir, 'analysis.duckdb'), {
  access_mode: 'READ_ONLY',
});
const conn = await db.connect();
const reader = await conn.runAndReadAll(
  `SELECT (SELECT count(DISTINCT dialed_raw) + count(DISTINCT presented_raw) FROM calls) + (SELECT count(DISTINCT phone_raw) FROM accounts) AS n`,
);
const distinctNumbers = Number(reader.getRowsJS()[0]?.[0] ?? 0);
conn.closeSync();
db.closeSync();

const byRatio = [...measured].sort((a, b) => a.ratio - b.ratio);
// With an even number of runs, the slower of the middle two.
const median = byRatio[Math.floor(byRatio.length / 2)] as (typeof measured)[number];
const { result: ingest, floor } = median;
const peakRss = Math.max(...measured.map((r) => r.result.maxRssMb));
const rows = Number(ingest.rows ?? 0);
const n = (v: number) => Math.round(v).toLocaleString('en-GB');
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
log('');
log(
  `ingest bench — scale ${scale}, calls as ${format}, ${(bytes / 1e6).toFixed(0)} MB in ${n(rows)} rows, ${measured.length} run${measured.length === 1 ? '' : 's'}`,
);
for (const r of measured) {
  log(
    `  run ${r.run}: ingest ${s(r.result.ms)}, floor ${s(r.floor.ms)} (${s(r.floor.before)} before, ${s(r.floor.after)} after), ratio ${r.ratio.toFixed(2)}, peak RSS ${r.result.maxRssMb.toFixed(0)} MB`,
  );
}
log(`the median run (run ${median.run}):`);
log(`  ingest wall time       ${s(ingest.ms)}`);
log(`  rows/s                 ${n(rows / (ingest.ms / 1000))}`);
log(
  `  distinct numbers/s     ${n(distinctNumbers / (ingest.ms / 1000))} (${n(distinctNumbers)} distinct raw numbers)`,
);
log(`  peak RSS               ${peakRss.toFixed(0)} MB, the most of any run (target ≤ 4096 MB)`);
log(
  `  loaded / quarantined   ${n(Number(ingest.loaded ?? 0))} / ${n(Number(ingest.quarantined ?? 0))}`,
);
log(
  `  floor (DuckDB read_csv, 64 MB buffer, no transformation)  ${s(floor.ms)} (mean of ${s(floor.before)} before and ${s(floor.after)} after), peak RSS ${floor.maxRssMb.toFixed(0)} MB`,
);
log(
  `  ratio to floor         ${median.ratio.toFixed(2)} (target ≤ 3)${measured.length > 1 ? `; the median of ${measured.length} runs, which gave ${(byRatio[0] as (typeof measured)[number]).ratio.toFixed(2)} to ${(byRatio.at(-1) as (typeof measured)[number]).ratio.toFixed(2)}` : ''}`,
);
