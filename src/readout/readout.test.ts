/**
 * The read-outs analysts take away: victims, suspects, crews and links as files (golden CSVs),
 * filters, Parquet, stats, and a clear error on a case that was never analysed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { listAudit, verifyAudit } from '../audit/audit.ts';
import { openOps } from '../ops/open.ts';
import { memoryEffects } from '../shared/effects.ts';
import { isUnspoofError } from '../shared/errors.ts';
import { analysedCase } from '../../test/analysis-case.ts';
import { tempDir, writeExport } from '../../test/fixtures.ts';
import { ingestExport } from '../ingest/ingest.ts';
import { crewsCommand } from './crews.ts';
import { statsCommand } from './stats.ts';
import { suspectsCommand } from './suspects.ts';
import { victimsCommand } from './victims.ts';
import { golden } from '../../test/golden.ts';

const { caseDir } = await analysedCase();
const out = tempDir('unspoof-out-');

test('victims: every victim of every tier, with the columns analysts rely on', async () => {
  const file = path.join(out, 'victims.csv');
  await victimsCommand({ case: caseDir, out: file }, memoryEffects());
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(
    text.startsWith(
      'number,country,tier,first_call_at,last_call_at,calls,connected_seconds,accounts,brands',
    ),
  );
  golden('victims.csv', text);
});

test('every export of personal data is in the audit log before the file is written', async () => {
  const file = path.join(out, 'audited.csv');
  await victimsCommand({ case: caseDir, out: file, country: 'GB' }, memoryEffects());
  const db = await openOps(caseDir);
  try {
    const rows = (await listAudit(db)).filter(
      (r) => r.action === 'export' && r.detail.out === file,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.target, 'victims');
    assert.match(rows[0]?.actor ?? '', /^cli:/);
    assert.equal(rows[0]?.detail.country, 'GB');
    assert.equal(await verifyAudit(db), (await listAudit(db)).length);
  } finally {
    await db.close();
  }
});

test('victims: filters by country and tier; JSON and Parquet hold the same rows', async () => {
  const csv = path.join(out, 'gb.csv');
  await victimsCommand(
    { case: caseDir, out: csv, country: 'gb', tier: 'likely,harmed' },
    memoryEffects(),
  );
  const lines = fs.readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  assert.deepEqual(
    lines.map((l) => l.split(',').slice(0, 3).join(',')),
    ['+447400200001,GB,harmed', '+447400200002,GB,likely'],
  );
  const json = path.join(out, 'all.json');
  await victimsCommand({ case: caseDir, out: json }, memoryEffects());
  const parsed = JSON.parse(fs.readFileSync(json, 'utf8')) as Array<{ number: string }>;
  assert.equal(parsed.length, 4);
  const pq = path.join(out, 'all.parquet');
  await victimsCommand({ case: caseDir, out: pq, format: 'parquet' }, memoryEffects());
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const r = await conn.runAndReadAll(`SELECT count(*), min(tier) FROM read_parquet('${pq}')`);
  assert.deepEqual(r.getRowsJS(), [[4n, 'attempted']]);
  conn.closeSync();
  await assert.rejects(
    victimsCommand({ case: caseDir, out: csv, tier: 'maybe' }, memoryEffects()),
    (e) => isUnspoofError(e) && e.code === 'USAGE' && /maybe/.test(e.message),
  );
});

test('suspects: account_id, score, priority, then every component; --priority filters', async () => {
  const file = path.join(out, 'suspects.csv');
  await suspectsCommand({ case: caseDir, out: file }, memoryEffects());
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.startsWith('account_id,score,priority,'));
  golden('suspects.csv', text);
  const prio = path.join(out, 'prio.csv');
  await suspectsCommand({ case: caseDir, out: prio, priority: true }, memoryEffects());
  const ids = fs
    .readFileSync(prio, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]);
  assert.deepEqual(ids.sort(), ['a1', 'a4']);
});

test('crews and links with their evidence', async () => {
  const file = path.join(out, 'crews.csv');
  const links = path.join(out, 'links.csv');
  await crewsCommand({ case: caseDir, out: file, links }, memoryEffects());
  golden('crews.csv', fs.readFileSync(file, 'utf8'));
  golden('links.csv', fs.readFileSync(links, 'utf8'));
});

test('stats: readable tables, and everything as JSON', async () => {
  const fx = memoryEffects();
  await statsCommand({ case: caseDir }, fx);
  const text = fx.lines.join('\n');
  assert.match(text, /Victims by destination country and tier/);
  assert.match(text, /Barclays\s+GB\s+2\s+2\s+2\s+1/);
  const js = memoryEffects();
  await statsCommand({ case: caseDir, json: true }, js);
  const stats = JSON.parse(js.lines.join('')) as Record<string, Array<Record<string, unknown>>>;
  assert.deepEqual(
    stats.countries?.find((c) => c.country === 'GB'),
    { country: 'GB', harmed: 1, likely: 1, contacted: 1, attempted: null },
  );
  assert.equal(stats.months?.[0]?.revenue_gbp, 800);
});

test('a case that was never analysed says what to run', async () => {
  const exportDir = writeExport({
    'accounts.csv': 'account_id,country\nu1,GB\n',
  });
  const fresh = tempDir('unspoof-case-');
  await ingestExport({ exportDir, caseDir: fresh }, memoryEffects());
  await assert.rejects(
    victimsCommand({ case: fresh, out: path.join(out, 'x.csv') }, memoryEffects()),
    (e) => isUnspoofError(e) && e.code === 'NOT_ANALYSED' && /unspoof analyze/.test(e.message),
  );
});
