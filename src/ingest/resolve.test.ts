/**
 * Number resolution with evidence (docs/numbers.md): each rule, each shape a real switch
 * writes, and the ambiguous ones, through a real ingest.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { openCase, queryRows } from '../case/store.ts';
import { memoryEffects } from '../shared/effects.ts';
import { tempDir, writeExport } from '../../test/fixtures.ts';
import { ingestExport } from './ingest.ts';

const ACCOUNTS =
  'account_id,username,email,phone,telegram,country,created_at,plan\n' +
  'gb,a,,,,GB,2021-01-01T00:00:00Z,pro\n' +
  'us,b,,,,US,2021-01-01T00:00:00Z,pro\n' +
  'nl,c,,,,NL,2021-01-01T00:00:00Z,pro\n' +
  'none,d,,,,,2021-01-01T00:00:00Z,pro\n';

interface Case {
  /** What the case shows: the chosen number, rule, confidence and rival, or the status. */
  want: [string | null, string, string | null, string | null] | 'withheld' | 'special';
  dialled: string;
  presented: string;
  route: string;
  account: string;
  why: string;
}

const CASES: Case[] = [
  {
    why: 'explicit +',
    dialled: '+44 7400 123456',
    presented: 'anonymous',
    route: '',
    account: 'us',
    want: ['+447400123456', 'plus', 'certain', null],
  },
  {
    why: '00 prefix, whatever the account',
    dialled: '0044 7400 123457',
    presented: 'anonymous',
    route: 'from-internal',
    account: 'us',
    want: ['+447400123457', 'idd', 'certain', null],
  },
  {
    why: 'bank caller ID as digits without +, checked against the brand register',
    dialled: '07400 123458',
    presented: '443457404404',
    route: 'from-internal',
    account: 'us',
    want: ['+447400123458', 'presented', 'probable', null],
  },
  {
    why: 'bank caller ID in its national form',
    dialled: '07400 123459',
    presented: '03457 404404',
    route: 'from-internal',
    account: 'us',
    want: ['+447400123459', 'presented', 'probable', null],
  },
  {
    why: 'North American formatting beats the account',
    dialled: '(702) 608-0158',
    presented: 'anonymous',
    route: 'from-internal',
    account: 'gb',
    want: ['+17026080158', 'format', 'probable', null],
  },
  {
    why: 'North American formatting with its trunk prefix',
    dialled: '1-702-608-0159',
    presented: 'anonymous',
    route: 'default',
    account: 'gb',
    want: ['+17026080159', 'format', 'probable', null],
  },
  {
    why: 'only the account: a guess',
    dialled: '7026080160',
    presented: 'anonymous',
    route: 'from-internal',
    account: 'gb',
    want: ['+447026080160', 'account', 'guess', null],
  },
  {
    why: "the presented number's country beats the account",
    dialled: '0612345678',
    presented: '+31201234567',
    route: 'from-internal',
    account: 'gb',
    want: ['+31612345678', 'presented', 'probable', null],
  },
  {
    why: '011 is Leeds in the UK, not an international call',
    dialled: '0113 496 0000',
    presented: 'anonymous',
    route: 'out-gb',
    account: 'us',
    want: ['+441134960000', 'route', 'probable', null],
  },
  {
    why: 'a bare international number, with a US caller ID without +',
    dialled: '447400123460',
    presented: '17027876916',
    route: 'from-internal',
    account: 'gb',
    want: ['+447400123460', 'intl', 'probable', null],
  },
  {
    why: 'two valid readings: route and caller ID disagree',
    dialled: '0412345678',
    presented: '+31201234567',
    route: 'out-au',
    account: 'gb',
    want: ['+61412345678', 'route', 'probable', '+31412345678'],
  },
  {
    why: 'no evidence at all: unresolved, loaded',
    dialled: '07400 123461',
    presented: 'anonymous',
    route: '',
    account: 'none',
    want: [null, 'none', null, null],
  },
  {
    why: 'no valid reading: unresolved, loaded',
    dialled: '0612345679',
    presented: 'anonymous',
    route: 'from-internal',
    account: 'us',
    want: [null, 'none', null, null],
  },
  {
    why: 'a service code is no number',
    dialled: '*97',
    presented: 'anonymous',
    route: 'out-gb',
    account: 'gb',
    want: [null, 'none', null, null],
  },
  {
    why: 'a special extension',
    dialled: 's',
    presented: 'anonymous',
    route: 'out-gb',
    account: 'gb',
    want: 'special',
  },
];

test('every dialled number resolved by the first valid reading, with its rule, confidence and rival', async () => {
  const head =
    'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';
  const rows = CASES.map(
    (c, i) =>
      `c${i},${c.account},${c.presented},"${c.dialled}",${c.route},2021-03-01T10:00:00Z,,2021-03-01T10:00:30Z,0,NO ANSWER`,
  );
  const dir = writeExport({ 'accounts.csv': ACCOUNTS, 'calls.csv': [head, ...rows].join('\n') });
  const caseDir = path.join(tempDir(), 'case');
  const result = await ingestExport({ exportDir: dir, caseDir }, memoryEffects());
  assert.equal(result.quarantined, 0, 'every call loads');
  const store = await openCase(caseDir);
  const got = await queryRows<Record<string, string | null>>(
    store.conn,
    `SELECT call_id, dialed_e164, CAST(dialed_rule AS VARCHAR) AS rule,
       CAST(dialed_confidence AS VARCHAR) AS conf, dialed_alt_e164 AS alt,
       CAST(dialed_status AS VARCHAR) AS status
     FROM calls`,
  ).finally(() => store.close());
  const byId = new Map(got.map((r) => [r.call_id, r]));
  CASES.forEach((c, i) => {
    const r = byId.get(`c${i}`);
    assert.ok(r, c.why);
    if (typeof c.want === 'string') assert.equal(r.status, c.want, c.why);
    else assert.deepEqual([r.dialed_e164, r.rule, r.conf, r.alt], c.want, c.why);
  });
});

test('a caller ID is read as a brand, as bare international digits, or as a guess', async () => {
  const head =
    'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';
  const calls = [
    ['p1', 'us', '443457404404', '+447400100001', 'from-internal'],
    ['p2', 'gb', '17027876916', '+447400100002', 'from-internal'],
    ['p3', 'us', '2025550143', '+447400100003', 'default'],
    ['p4', 'gb', '0044 20 7946 0958', '+447400100004', 'default'],
  ];
  const dir = writeExport({
    'accounts.csv': ACCOUNTS,
    'calls.csv': [
      head,
      ...calls.map(
        ([id, a, p, d, r]) =>
          `${id},${a},${p},${d},${r},2021-03-01T10:00:00Z,,2021-03-01T10:00:30Z,0,NO ANSWER`,
      ),
    ].join('\n'),
  });
  const caseDir = path.join(tempDir(), 'case');
  await ingestExport({ exportDir: dir, caseDir }, memoryEffects());
  const store = await openCase(caseDir);
  const got = await queryRows<Record<string, string | null>>(
    store.conn,
    `SELECT call_id, presented_e164, CAST(presented_rule AS VARCHAR) AS rule,
       CAST(presented_confidence AS VARCHAR) AS conf
     FROM calls ORDER BY call_id`,
  ).finally(() => store.close());
  assert.deepEqual(
    got.map((r) => [r.call_id, r.presented_e164, r.rule, r.conf]),
    [
      ['p1', '+443457404404', 'brand', 'certain'],
      ['p2', '+17027876916', 'intl', 'probable'],
      ['p3', '+12025550143', 'account', 'guess'],
      ['p4', '+442079460958', 'idd', 'certain'],
    ],
  );
});

test("export.json's routes name a route's country, and win over its name", async () => {
  const head =
    'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';
  const dir = writeExport({
    'accounts.csv': ACCOUNTS,
    'calls.csv': [
      head,
      'm1,us,anonymous,0612345678,trunk-a,2021-03-01T10:00:00Z,,2021-03-01T10:00:30Z,0,NO ANSWER',
      'm2,us,anonymous,07400 123456,out-nl,2021-03-01T10:00:00Z,,2021-03-01T10:00:30Z,0,NO ANSWER',
    ].join('\n'),
    'export.json': JSON.stringify({ routes: { 'trunk-a': 'nl', 'out-nl': 'GB' } }),
  });
  const caseDir = path.join(tempDir(), 'case');
  await ingestExport({ exportDir: dir, caseDir }, memoryEffects());
  const store = await openCase(caseDir);
  const got = await queryRows<Record<string, string | null>>(
    store.conn,
    'SELECT call_id, dialed_e164, CAST(dialed_rule AS VARCHAR) AS rule FROM calls ORDER BY call_id',
  ).finally(() => store.close());
  assert.deepEqual(
    got.map((r) => [r.call_id, r.dialed_e164, r.rule]),
    [
      ['m1', '+31612345678', 'route'],
      ['m2', '+447400123456', 'route'],
    ],
  );
  const bad = writeExport({
    'accounts.csv': ACCOUNTS,
    'export.json': JSON.stringify({ routes: { x: 'Narnia' } }),
  });
  await assert.rejects(
    ingestExport({ exportDir: bad, caseDir: path.join(tempDir(), 'c2') }, memoryEffects()),
    /routes/,
  );
});

test('an Asterisk Master.csv written as a production server writes it resolves its victims', async () => {
  // accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start,
  // answer, end, duration, billsec, disposition, amaflags, uniqueid, userfield
  const row = (id: string, account: string, src: string, name: string, dst: string, ctx: string) =>
    [
      account,
      src,
      dst,
      ctx,
      `"${name}" <${src}>`,
      `SIP/7001-0000${id}`,
      `SIP/trunk-0000${id}a`,
      'Dial',
      `SIP/trunk/${dst},60,tT`,
      '2021-07-01 10:00:00',
      '2021-07-01 10:00:05',
      '2021-07-01 10:02:05',
      '125',
      '120',
      'ANSWERED',
      'DOCUMENTATION',
      `1625130000.${id}`,
      '',
    ]
      .map((f) => `"${f.replaceAll('"', '""')}"`)
      .join(',');
  const master = [
    row('1', 'us', '443457404404', 'HSBC', '07400 123451', 'from-internal'),
    row('2', 'gb', '18009359935', 'Chase', '(702) 608-0158', 'from-internal'),
    row('3', 'gb', '18009359935', 'Chase', '7026080159', 'from-internal'),
    row('4', 'us', '0345 740 4404', 'HSBC', '07400123452', 'default'),
    row('5', 'gb', '31202288888', 'ING', '0612345678', 'from-internal'),
    row('6', 'nl', '17027876916', '', '1-702-608-0160', 'from-internal'),
  ].join('\n');
  const dir = writeExport({
    'accounts.csv': ACCOUNTS,
    'Master.csv': master,
    'export.json': JSON.stringify({ timezone: 'UTC' }),
  });
  const caseDir = path.join(tempDir(), 'case');
  const result = await ingestExport({ exportDir: dir, caseDir }, memoryEffects());
  assert.equal(result.quarantined, 0);
  const store = await openCase(caseDir);
  const got = await queryRows<Record<string, string | null>>(
    store.conn,
    `SELECT call_id, dialed_e164, CAST(dialed_confidence AS VARCHAR) AS conf,
       dialed_alt_e164 AS alt FROM calls ORDER BY call_id`,
  ).finally(() => store.close());
  assert.deepEqual(
    got.map((r) => [r.call_id, r.dialed_e164, r.conf, r.alt]),
    [
      ['1625130000.1', '+447400123451', 'probable', null],
      ['1625130000.2', '+17026080158', 'probable', null],
      ['1625130000.3', '+17026080159', 'probable', null],
      ['1625130000.4', '+447400123452', 'probable', null],
      ['1625130000.5', '+31612345678', 'probable', null],
      ['1625130000.6', '+17026080160', 'probable', null],
    ],
  );
});

test('what is not a number stays what it is; blocking prefixes and Unicode spaces are read through', async () => {
  const head =
    'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';
  const rows: Array<[string, string, string, string]> = [
    // A no-break space is a separator, as a space is: the North American form still tells.
    ['n1', '(702)\u00a0608-0158', 'out-gb', 'us'],
    ['n2', '*67 (702) 608-0161', 'from-internal', 'gb'],
    ['n3', '#31#+447400123462', 'from-internal', 'us'],
    ['n4', '*97', 'out-gb', 'gb'],
    ['n5', '00-07400 123463', 'out-gb', 'us'],
  ];
  const dir = writeExport({
    'accounts.csv': ACCOUNTS,
    'calls.csv': [
      head,
      ...rows.map(
        ([id, d, r, a]) =>
          `${id},${a},anonymous,"${d}",${r},2021-03-01T10:00:00Z,,2021-03-01T10:00:30Z,0,NO ANSWER`,
      ),
    ].join('\n'),
  });
  const caseDir = path.join(tempDir(), 'case');
  await ingestExport({ exportDir: dir, caseDir }, memoryEffects());
  const store = await openCase(caseDir);
  const got = await queryRows<Record<string, string | null>>(
    store.conn,
    `SELECT call_id, dialed_e164, CAST(dialed_rule AS VARCHAR) AS rule, dialed_alt_e164 AS alt
     FROM calls ORDER BY call_id`,
  ).finally(() => store.close());
  assert.deepEqual(
    got.map((r) => [r.call_id, r.dialed_e164, r.rule, r.alt]),
    [
      // The route says GB, the format North America: both valid, so a rival.
      ['n1', '+447026080158', 'route', '+17026080158'],
      ['n2', '+17026080161', 'format', null],
      ['n3', '+447400123462', 'plus', null],
      ['n4', null, 'none', null],
      // `00` then 0 is no international prefix, and no country reads it.
      ['n5', null, 'none', null],
    ],
  );
});
