/**
 * One measured run in its own process (so its peak RSS is its own): `ingest`, `floor`, or
 * `analyze` (of a case already ingested, with its accuracy against the export's truth).
 * Prints {"ms", "maxRssMb", ...} as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { accuracy } from '../src/analyze/accuracy.ts';
import { analyzeCase } from '../src/analyze/analyze.ts';
import { loadInputs } from '../src/analyze/inputs.ts';
import { intelInputs } from '../src/synth/intel.ts';
import { duckdbMemory, openCase } from '../src/case/store.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import { CSV_BUFFER_BYTES } from '../src/ingest/stage.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { sqlString } from '../src/shared/sql.ts';

const [mode, exportDir, caseDir] = process.argv.slice(2) as [string, string, string];
if (mode !== 'analyze') fs.rmSync(caseDir, { recursive: true, force: true });
const t0 = performance.now();
let extra: Record<string, unknown> = {};
if (mode === 'analyze') {
  // With what the unit is given beside the export (transactions, IP lists), as the demo runs it.
  const intel = intelInputs(exportDir);
  if (intel) await loadInputs(caseDir, intel, memoryEffects(new Date()));
  await analyzeCase(caseDir, memoryEffects(new Date()));
  const ms = (extra.analyzeMs as number | undefined) ?? performance.now() - t0;
  const store = await openCase(caseDir);
  extra = { accuracy: await accuracy(store.conn, exportDir), analyzeMs: ms };
  store.close();
} else if (mode === 'ingest') {
  const r = await ingestExport({ exportDir, caseDir }, memoryEffects(new Date()));
  extra = { rows: r.rows, loaded: r.loaded, quarantined: r.quarantined };
} else {
  // The floor: DuckDB loading the same files with no transformation at all, with the memory
  // settings a case has (store.ts).
  fs.mkdirSync(caseDir, { recursive: true });
  const db = await DuckDBInstance.create(path.join(caseDir, 'floor.duckdb'), {
    threads: '2',
    ...duckdbMemory(),
  });
  const conn = await db.connect();
  let i = 0;
  for (const name of fs.readdirSync(exportDir).sort()) {
    const file = path.join(exportDir, name);
    if (!fs.statSync(file).isFile() || name === 'export.json') continue;
    // JSONL as lines of text (read_csv with one column), every other file as CSV; with the
    // reader's buffer the ingest stages with (stage.ts), which loads the calls 15% faster here
    // too: the ratio is then the ingest's work, not a setting the floor lacks.
    const buffer = `buffer_size = ${CSV_BUFFER_BYTES}`;
    const reader = name.endsWith('.jsonl')
      ? `read_csv(${sqlString(file)}, header = false, columns = {'line': 'VARCHAR'}, delim = '\x1f', quote = '', escape = '', ignore_errors = true, ${buffer})`
      : `read_csv(${sqlString(file)}, ignore_errors = true, ${buffer})`;
    await conn.run(`CREATE TABLE t${i++} AS SELECT * FROM ${reader}`);
  }
  conn.closeSync();
  db.closeSync();
}
const ms = (extra.analyzeMs as number | undefined) ?? performance.now() - t0;
process.stdout.write(
  JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n',
);
