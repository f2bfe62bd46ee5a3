import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { openCase, queryRows } from '../case/store.ts';
import { memoryEffects } from '../shared/effects.ts';
import { ERRORS } from '../shared/errors.ts';
import { ACCOUNTS_CSV, PAYMENTS_CSV, tempDir, writeExport } from '../../test/fixtures.ts';
import { ingestCommand } from './command.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/unspoof.js');

const CALLS_HEAD =
  'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';
const call = (id: string, { account = 'u1', start = '2021-03-01T10:00:00Z', billsec = 0 } = {}) =>
  `${id},${account},+443457345345,07400 200001,out-gb,${start},,2021-03-01T10:00:30Z,${billsec},NO ANSWER`;

/** 6 of 10 calls quarantined, for reasons that do not depend on the phone number rules. */
const GARBLED_CALLS = [
  CALLS_HEAD,
  ...['c1', 'c2', 'c3', 'c4'].map((id) => call(id)),
  ...['d1', 'd2', 'd3'].map((id) => call(id, { billsec: -5 })),
  ...['a1', 'a2'].map((id) => call(id, { account: 'u9' })),
  call('t1', { start: 'not a date' }),
].join('\n');

async function counts(caseDir: string): Promise<{ files: number; calls: number }> {
  const store = await openCase(caseDir);
  try {
    const [r] = await queryRows<{ files: bigint; calls: bigint }>(
      store.conn,
      'SELECT (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM calls) AS calls',
    );
    return { files: Number(r?.files), calls: Number(r?.calls) };
  } finally {
    store.close();
  }
}

test('files over --max-quarantine: a non-zero exit naming each, its fraction and top reasons', () => {
  // payments.csv: 3 of 4 quarantined (bad_date, bad_value, duplicate_id).
  const dir = writeExport({
    'accounts.csv': ACCOUNTS_CSV,
    'calls.csv': GARBLED_CALLS,
    'payments.csv': PAYMENTS_CSV,
  });
  const caseDir = path.join(tempDir(), 'case');
  const run = spawnSync(process.execPath, [BIN, 'ingest', dir, '--case', caseDir], {
    encoding: 'utf8',
  });
  assert.equal(run.status, ERRORS.QUARANTINE_THRESHOLD.exit, run.stderr);
  // The summary table first, as on any ingest.
  assert.match(run.stdout, /^calls\.csv +canonical CSV +calls +10 +4 +6$/m);
  assert.match(run.stdout, /^total /m);
  const error = run.stderr.slice(run.stderr.indexOf('unspoof: error'));
  assert.equal(
    error,
    [
      `unspoof: error QUARANTINE_THRESHOLD: more than 5% of a file's rows quarantined (--max-quarantine 0.05); what loaded is in the case:`,
      '  calls.csv: 60% quarantined (6 of 10 rows): impossible_duration 3, unknown_account 2, bad_date 1',
      '  payments.csv: 75% quarantined (3 of 4 rows): bad_date 1, bad_value 1, duplicate_id 1',
      `every quarantined row: unspoof quarantine --case ${caseDir} --out quarantine.csv`,
      '',
    ].join('\n'),
  );
});

test('the loaded rows of a file over are committed; --json says per file its fraction and whether it is over', async () => {
  const dir = writeExport({ 'accounts.csv': ACCOUNTS_CSV, 'calls.csv': GARBLED_CALLS });
  const caseDir = path.join(tempDir(), 'case');
  const fx = memoryEffects();
  await assert.rejects(ingestCommand(dir, { case: caseDir, json: true }, fx), {
    code: 'QUARANTINE_THRESHOLD',
    exitCode: ERRORS.QUARANTINE_THRESHOLD.exit,
  });
  assert.deepEqual(await counts(caseDir), { files: 2, calls: 4 });
  const out = JSON.parse(fx.lines.join('')) as {
    max_quarantine: number;
    files: Array<Record<string, unknown>>;
  };
  assert.equal(out.max_quarantine, 0.05);
  assert.deepEqual(
    out.files.map((f) => [f.file, f.quarantined_fraction, f.over_threshold, f.top_reasons]),
    [
      ['accounts.csv', 0, false, undefined],
      ['calls.csv', 0.6, true, { impossible_duration: 3, unknown_account: 2, bad_date: 1 }],
    ],
  );

  // Already ingested files are not judged again.
  await ingestCommand(dir, { case: caseDir }, memoryEffects());
  assert.deepEqual(await counts(caseDir), { files: 2, calls: 4 });
});

test('at or under --max-quarantine, 1 (never), and files with no rows: exit 0', async () => {
  // 1 of 20 rows (an unknown account) is exactly 5%: not more than the default.
  const calls = [
    CALLS_HEAD,
    ...Array.from({ length: 19 }, (_, i) => call(`c${i}`)),
    call('x', { account: 'u9' }),
  ];
  const dir = writeExport({ 'accounts.csv': ACCOUNTS_CSV, 'calls.csv': calls.join('\n') });
  const caseDir = path.join(tempDir(), 'case');
  const fx = memoryEffects();
  await ingestCommand(dir, { case: caseDir, json: true }, fx);
  const out = JSON.parse(fx.lines.join('')) as { files: Array<Record<string, unknown>> };
  assert.deepEqual(
    out.files.map((f) => [f.file, f.quarantined_fraction, f.over_threshold]),
    [
      ['accounts.csv', 0, false],
      ['calls.csv', 0.05, false],
    ],
  );

  const garbled = writeExport({ 'accounts.csv': ACCOUNTS_CSV, 'calls.csv': GARBLED_CALLS });
  await ingestCommand(garbled, { case: path.join(tempDir(), 'case'), maxQuarantine: '1' }, fx);

  const empty = writeExport({
    'accounts.csv': ACCOUNTS_CSV,
    'payments.csv': `${PAYMENTS_CSV.split('\r\n')[0]}\r\n`,
  });
  const emptyCase = path.join(tempDir(), 'case');
  await ingestCommand(empty, { case: emptyCase, maxQuarantine: '0' }, memoryEffects());
  assert.equal((await counts(emptyCase)).files, 2);
});

test('--max-quarantine is a fraction from 0 to 1, checked before anything is read', async () => {
  const dir = writeExport({ 'accounts.csv': ACCOUNTS_CSV });
  const caseDir = path.join(tempDir(), 'case');
  for (const bad of ['5%', '5', '1.5', '-0.1', 'abc', '', '1e-2']) {
    await assert.rejects(
      ingestCommand(dir, { case: caseDir, maxQuarantine: bad }, memoryEffects()),
      (e: Error & { code?: string }) =>
        e.code === 'USAGE' && /maxQuarantine/.test(e.message) && /0\.05 for 5%/.test(e.message),
      bad,
    );
  }
  assert.equal(fs.existsSync(caseDir), false);
  for (const good of ['0', '1', '0.05', '.05', '1.0']) {
    await ingestCommand(
      dir,
      { case: path.join(tempDir(), 'case'), maxQuarantine: good },
      memoryEffects(),
    );
  }
});
