import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { openCase, queryRows } from '../case/store.ts';
import { memoryEffects } from '../shared/effects.ts';
import { ERRORS } from '../shared/errors.ts';
import { ACCOUNTS_CSV, PAYMENTS_CSV, tempDir, writeExport } from '../../test/fixtures.ts';
import { masterRow, wall } from '../../test/switch-rows.ts';
import { ingestCommand } from './command.ts';

// The ingest's audit entry, kept here: these tests read the command's output and exit status,
// and opening an operations store for each would take seconds (src/audit/steps.test.ts checks
// the real entry).
const recorded: Array<{ action: string; detail: Record<string, unknown> }> = [];
const record = (_case: string, action: string, detail: Record<string, unknown>) => {
  recorded.push({ action, detail });
  return Promise.resolve();
};

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
  // Bad dates (a call of an unknown account, or with a number with stray letters, loads:
  // docs/switch-records.md §3, §7).
  ...['a1', 'a2'].map((id) => call(id, { start: '2021-02-30T10:00:00Z' })),
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
      '  calls.csv: 60% quarantined (6 of 10 rows): bad_date 3, impossible_duration 3',
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
  await assert.rejects(ingestCommand(dir, { case: caseDir, json: true }, fx, record), {
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
      ['calls.csv', 0.6, true, { bad_date: 3, impossible_duration: 3 }],
    ],
  );

  // Already ingested files are not judged again.
  await ingestCommand(dir, { case: caseDir }, memoryEffects(), record);
  assert.deepEqual(await counts(caseDir), { files: 2, calls: 4 });
});

test('at or under --max-quarantine, 1 (never), and files with no rows: exit 0', async () => {
  // 1 of 20 rows (a bad date) is exactly 5%: not more than the default.
  const calls = [
    CALLS_HEAD,
    ...Array.from({ length: 19 }, (_, i) => call(`c${i}`)),
    call('x', { start: 'not a date' }),
  ];
  const dir = writeExport({ 'accounts.csv': ACCOUNTS_CSV, 'calls.csv': calls.join('\n') });
  const caseDir = path.join(tempDir(), 'case');
  const fx = memoryEffects();
  const before = recorded.length;
  await ingestCommand(dir, { case: caseDir, json: true }, fx, record);
  const out = JSON.parse(fx.lines.join('')) as { files: Array<Record<string, unknown>> };
  // The step recorded for the audit log: each file with its SHA-256 and counts.
  const step = recorded[before];
  assert.equal(step?.action, 'ingest');
  const files = step?.detail.files as Array<Record<string, unknown>>;
  assert.deepEqual(
    files.map((f) => [f.file, f.rows, f.quarantined, /^[0-9a-f]{64}$/.test(String(f.sha256))]),
    [
      ['accounts.csv', 3, 0, true],
      ['calls.csv', 20, 1, true],
    ],
  );
  assert.deepEqual(
    out.files.map((f) => [f.file, f.quarantined_fraction, f.over_threshold]),
    [
      ['accounts.csv', 0, false],
      ['calls.csv', 0.05, false],
    ],
  );

  const garbled = writeExport({ 'accounts.csv': ACCOUNTS_CSV, 'calls.csv': GARBLED_CALLS });
  await ingestCommand(
    garbled,
    { case: path.join(tempDir(), 'case'), maxQuarantine: '1' },
    fx,
    record,
  );

  const empty = writeExport({
    'accounts.csv': ACCOUNTS_CSV,
    'payments.csv': `${PAYMENTS_CSV.split('\r\n')[0]}\r\n`,
  });
  const emptyCase = path.join(tempDir(), 'case');
  await ingestCommand(empty, { case: emptyCase, maxQuarantine: '0' }, memoryEffects(), record);
  assert.equal((await counts(emptyCase)).files, 2);
});

test('--max-quarantine is a fraction from 0 to 1, checked before anything is read', async () => {
  const dir = writeExport({ 'accounts.csv': ACCOUNTS_CSV });
  const caseDir = path.join(tempDir(), 'case');
  for (const bad of ['5%', '5', '1.5', '-0.1', 'abc', '', '1e-2']) {
    await assert.rejects(
      ingestCommand(dir, { case: caseDir, maxQuarantine: bad }, memoryEffects(), record),
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
      record,
    );
  }
});

/** An Asterisk Master.csv written in UTC (usegmtime=yes): its uniqueids are the same seconds. */
function utcMaster(): string {
  const t0 = Date.parse('2024-07-01T10:00:00Z') / 1000;
  return Array.from({ length: 6 }, (_, i) => {
    const t = t0 + i * 86_400;
    return masterRow({ start: wall(t + 1, 'UTC'), end: wall(t + 31, 'UTC'), id: `${t}.${i}` });
  }).join('\n');
}

test('--timezone auto reads the zone from the switch file’s clocks and loads in it', async () => {
  const dir = writeExport({ 'accounts.csv': ACCOUNTS_CSV, 'Master.csv': utcMaster() });
  const caseDir = path.join(tempDir(), 'case');
  const fx = memoryEffects();
  await ingestCommand(dir, { case: caseDir, timezone: 'auto', maxQuarantine: '1' }, fx, record);
  const store = await openCase(caseDir);
  try {
    const rows = await queryRows<{ s: string; tz: string }>(
      store.conn,
      `SELECT strftime(min(c.started_at), '%Y-%m-%d %H:%M:%S') AS s, any_value(f.timezone) AS tz
         FROM calls c JOIN files f USING (file_id)`,
    );
    assert.deepEqual(rows, [{ s: '2024-07-01 10:00:01', tz: 'UTC' }]);
  } finally {
    store.close();
  }
  assert.deepEqual(
    fx.notes.filter((n) => n.startsWith('warning')),
    [],
  );
});

test('a declared zone the switch file’s clocks disagree with: a warning on stderr and in --json, and the ingest goes on', async () => {
  const dir = writeExport({
    'accounts.csv': ACCOUNTS_CSV,
    'Master.csv': utcMaster(),
    'export.json': '{"timezone": "Europe/Paris"}',
  });
  const fx = memoryEffects();
  await ingestCommand(
    dir,
    { case: path.join(tempDir(), 'case'), json: true, maxQuarantine: '1' },
    fx,
    record,
  );
  const warnings = fx.notes.filter((n) => n.startsWith('warning: '));
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0]!,
    /^warning: Master\.csv: its own clocks \(uniqueid\) disagree with the declared time zone Europe\/Paris: in 6 of 6 sampled calls the local start is \+00:00 from UTC, where Europe\/Paris is \+02:00\. Zones that fit its clocks: UTC, /,
  );
  const out = JSON.parse(fx.lines.join('')) as { warnings: string[]; files: unknown[] };
  assert.deepEqual(out.warnings, [warnings[0]!.slice('warning: '.length)]);
  assert.equal(out.files.length, 2);
});

test('--country is a country code (any case), --outside-line one to three digits', async () => {
  const dir = writeExport({ 'accounts.csv': ACCOUNTS_CSV });
  const caseDir = path.join(tempDir(), 'case');
  for (const [opts, pattern] of [
    [{ country: 'XX' }, /--country must be a country code such as GB/],
    [{ country: 'GBR' }, /--country must be a country code/],
    [{ outsideLine: '9999' }, /--outside-line must be one to three digits/],
    [{ outsideLine: '9a' }, /--outside-line must be one to three digits/],
  ] as const) {
    await assert.rejects(
      ingestCommand(dir, { case: caseDir, ...opts }, memoryEffects(), record),
      (e: Error & { code?: string }) => e.code === 'USAGE' && pattern.test(e.message),
      JSON.stringify(opts),
    );
  }
  assert.equal(fs.existsSync(caseDir), false);
  await ingestCommand(
    dir,
    { case: caseDir, country: 'gb', outsideLine: '9' },
    memoryEffects(),
    record,
  );
});
