/**
 * Switch records as real switches write them (docs/switch-records.md): crafted Asterisk and
 * FreeSWITCH rows, fictional numbers, one shape per test, and every file reconciled.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { analyzeCase } from '../analyze/analyze.ts';
import { openCase, queryRows } from '../case/store.ts';
import { memoryEffects } from '../shared/effects.ts';
import { tempDir, writeExport } from '../../test/fixtures.ts';
import { ingestExport, type IngestResult } from './ingest.ts';

async function rows<T = Record<string, unknown>>(caseDir: string, sql: string): Promise<T[]> {
  const store = await openCase(caseDir);
  try {
    return await queryRows<T>(store.conn, sql);
  } finally {
    store.close();
  }
}

interface Row {
  account?: string;
  src?: string;
  dst: string;
  context?: string;
  clid?: string;
  dstchannel?: string;
  app?: string;
  data?: string;
  start?: string;
  answer?: string;
  end?: string;
  billsec?: number;
  disposition?: string;
  id: string;
}

/** One Asterisk cdr_csv record (18 columns, every field quoted but the numbers). */
function asterisk(r: Row): string {
  const start = r.start ?? '2021-06-01 10:00:00';
  const end = r.end ?? '2021-06-01 10:10:00';
  const billsec = r.billsec ?? 0;
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  return [
    q(r.account ?? 'u1'),
    q(r.src ?? '+443457345345'),
    q(r.dst),
    q(r.context ?? 'out-gb'),
    q(r.clid ?? `"Caller" <${r.src ?? '+443457345345'}>`),
    q('SIP/1001-00000001'),
    q(r.dstchannel ?? 'SIP/trunk-00000002'),
    q(r.app ?? 'Dial'),
    q(r.data ?? `SIP/trunk/${r.dst},60`),
    q(start),
    q(r.answer ?? ''),
    q(end),
    String(600),
    String(billsec),
    q(r.disposition ?? (r.answer ? 'ANSWERED' : 'NO ANSWER')),
    q('DOCUMENTATION'),
    q(r.id),
    q(''),
  ].join(',');
}

const ACCOUNTS = 'account_id,username,country\nu1,one,GB\n';

async function ingest(
  files: Record<string, string>,
  opts: { timezone?: string; country?: string; outsideLine?: string } = {},
): Promise<{ caseDir: string; result: IngestResult }> {
  const dir = writeExport(files);
  const caseDir = path.join(tempDir(), 'case');
  const result = await ingestExport(
    { exportDir: dir, caseDir, timezone: opts.timezone ?? 'UTC', ...opts },
    memoryEffects(),
  );
  for (const f of result.files) {
    // rows = calls + other legs + quarantined (duplicates among them): nothing lost.
    assert.equal(f.rows, f.loaded + f.quarantined, f.file);
    if (f.calls) assert.equal(f.loaded, f.calls.calls + f.calls.legs, f.file);
  }
  return { caseDir, result };
}

test('legs of one call: every leg kept, the answered longest-billed one decides; identical rows are duplicates', async () => {
  const leg = (dstchannel: string, answer: string, billsec: number, disposition: string) =>
    asterisk({
      dst: '07400 200001',
      dstchannel,
      answer,
      billsec,
      disposition,
      id: '1622541600.7',
    });
  const first = leg('SIP/a-1', '', 0, 'NO ANSWER');
  const master = [
    first,
    leg('SIP/b-2', '2021-06-01 10:00:09', 20, 'ANSWERED'),
    first, // the same record logged twice
    leg('SIP/c-3', '2021-06-01 10:00:12', 500, 'ANSWERED'),
    asterisk({ dst: '07400 200002', id: '1622541600.8' }),
  ].join('\n');
  const { caseDir, result } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const file = result.files.find((f) => f.file === 'Master.csv');
  assert.equal(file?.calls?.calls, 2);
  assert.equal(file?.calls?.legs, 2);
  assert.equal(file?.calls?.duplicates, 1);
  const calls = await rows(
    caseDir,
    `SELECT call_id, billsec, disposition, connected, legs, leg FROM calls ORDER BY call_id`,
  );
  // Legs in order of answer time (same start): b-2 (10:00:09), c-3 (10:00:12), then a-1 (never
  // answered). The longest-billed connected leg decides, not the first connected one.
  assert.deepEqual(calls, [
    {
      call_id: '1622541600.7',
      billsec: 500,
      disposition: 'ANSWERED',
      connected: true,
      legs: 3,
      leg: 2,
    },
    {
      call_id: '1622541600.8',
      billsec: 0,
      disposition: 'NO ANSWER',
      connected: false,
      legs: 1,
      leg: 1,
    },
  ]);
  const legs = await rows(
    caseDir,
    `SELECT leg, decides, billsec, disposition FROM legs WHERE call_id = '1622541600.7' ORDER BY leg`,
  );
  assert.deepEqual(legs, [
    { leg: 1, decides: false, billsec: 20, disposition: 'ANSWERED' },
    { leg: 2, decides: true, billsec: 500, disposition: 'ANSWERED' },
    { leg: 3, decides: false, billsec: 0, disposition: 'NO ANSWER' },
  ]);
  const q = await rows<{ line: bigint; reason: string }>(
    caseDir,
    'SELECT line, reason FROM quarantine',
  );
  assert.deepEqual(
    q.map((r) => [Number(r.line), r.reason]),
    [[3, 'duplicate_row']],
  );
  // The victim of the 500-second call is likely, not attempted.
  await analyzeCase(caseDir, memoryEffects());
  const [v] = await rows(
    caseDir,
    `SELECT tier, connected_seconds FROM victims WHERE number = '+447400200001'`,
  );
  assert.deepEqual(v, { tier: 'likely', connected_seconds: 500n });
});

test('dispositions are stored as recorded; BUSY with billed seconds is a conflict, not a contact', async () => {
  const master = [
    asterisk({
      dst: '07400 200003',
      answer: '2021-06-01 10:00:05',
      billsec: 14,
      disposition: 'BUSY',
      id: '1622541600.1',
    }),
    asterisk({ dst: '07400 200004', billsec: 0, disposition: 'ANSWERED', id: '1622541600.2' }),
    asterisk({ dst: '07400 200005', billsec: 0, disposition: 'CONGESTION', id: '1622541600.3' }),
  ].join('\n');
  const { caseDir } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const calls = await rows(
    caseDir,
    'SELECT dialed_e164, disposition, connected, disposition_conflict, billsec FROM calls ORDER BY dialed_e164',
  );
  assert.deepEqual(calls, [
    {
      dialed_e164: '+447400200003',
      disposition: 'BUSY',
      connected: false,
      disposition_conflict: true,
      billsec: 14,
    },
    {
      dialed_e164: '+447400200004',
      disposition: 'ANSWERED',
      connected: true,
      disposition_conflict: true,
      billsec: 0,
    },
    {
      dialed_e164: '+447400200005',
      disposition: 'CONGESTION',
      connected: false,
      disposition_conflict: false,
      billsec: 0,
    },
  ]);
  await analyzeCase(caseDir, memoryEffects());
  const victims = await rows(caseDir, 'SELECT number, tier FROM victims ORDER BY number');
  assert.deepEqual(victims, [
    { number: '+447400200003', tier: 'attempted' },
    { number: '+447400200004', tier: 'contacted' },
    { number: '+447400200005', tier: 'attempted' },
  ]);
});

test('FreeSWITCH keeps its hangup cause; an answer stamp says it connected', async () => {
  const fsRow = (cause: string, answer: string, uuid: string) =>
    `"Caller","+443457345345","+12125550123","out-us","2021-03-01 10:00:00","${answer}","2021-03-01 10:01:32","92","${answer ? 90 : 0}","${cause}","${uuid}","","u1","PCMU","PCMU"`;
  const master = [
    fsRow('NORMAL_CLEARING', '2021-03-01 10:00:02', '6f1c2f0e-1d3b-4c55-9a0e-2b1f2f8c1a11'),
    fsRow('ORIGINATOR_CANCEL', '', '6f1c2f0e-1d3b-4c55-9a0e-2b1f2f8c1a12'),
  ].join('\n');
  const { caseDir } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const calls = await rows(caseDir, 'SELECT disposition, connected FROM calls ORDER BY call_id');
  assert.deepEqual(calls, [
    { disposition: 'NORMAL_CLEARING', connected: true },
    { disposition: 'ORIGINATOR_CANCEL', connected: false },
  ]);
});

test('no call is lost for its account: empty codes under (none), unknown codes named by calls', async () => {
  const master = [
    asterisk({ account: '', dst: '+447400200006', id: '1.1' }),
    asterisk({ account: 'x9', dst: '+447400200007', id: '1.2' }),
    asterisk({ account: 'u1', dst: '+447400200008', id: '1.3' }),
  ].join('\n');
  const { caseDir, result } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const file = result.files.find((f) => f.file === 'Master.csv');
  assert.deepEqual([file?.loaded, file?.quarantined], [3, 0]);
  assert.deepEqual([file?.calls?.no_account, file?.calls?.calls_only_accounts], [1, 1]);
  const accounts = await rows(
    caseDir,
    'SELECT account_id, origin FROM accounts ORDER BY account_id',
  );
  assert.deepEqual(accounts, [
    { account_id: '(none)', origin: 'none' },
    { account_id: 'u1', origin: 'file' },
    { account_id: 'x9', origin: 'calls' },
  ]);
  // An accounts file that names x9 later replaces the row calls made for it.
  const later = writeExport({ 'accounts.csv': 'account_id,username,country\nx9,nine,GB\n' });
  const again = await ingestExport({ exportDir: later, caseDir }, memoryEffects());
  assert.deepEqual([again.loaded, again.quarantined], [1, 0]);
  const [x9] = await rows(caseDir, "SELECT username, origin FROM accounts WHERE account_id = 'x9'");
  assert.deepEqual(x9, { username: 'nine', origin: 'file' });
});

test('a caller ID that is no number is kept and classified; the dialled number stands alone', async () => {
  const master = [
    ['HSBC', '1.1'],
    ['default', '1.2'],
    ['fraud@example.com', '1.3'],
    ['sip:+443457345345@pbx.example.com', '1.4'],
    ['2001', '1.5'],
    ['', '1.6'],
    ['<<?>>', '1.7'],
  ]
    .map(([src, id]) => asterisk({ src: src!, clid: '', dst: '07400 200009', id: id! }))
    .join('\n');
  const { caseDir, result } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  assert.equal(result.quarantined, 0);
  const calls = await rows(
    caseDir,
    'SELECT presented_raw, presented_kind, presented_e164, dialed_e164 FROM calls ORDER BY call_id',
  );
  assert.deepEqual(
    calls.map((c) => [c.presented_raw, c.presented_kind, c.presented_e164]),
    [
      ['HSBC', 'alphanumeric', null],
      ['default', 'alphanumeric', null],
      ['fraud@example.com', 'uri', null],
      ['sip:+443457345345@pbx.example.com', 'uri', '+443457345345'],
      ['2001', 'extension', null],
      [null, 'withheld', null],
      ['<<?>>', 'other', null],
    ],
  );
  assert.ok(calls.every((c) => c.dialed_e164 === '+447400200009'));
  assert.equal(result.files.find((f) => f.calls)?.calls?.alphanumeric_caller_ids, 2);
});

test('contexts name a country only by an explicit rule; --country is the home country', async () => {
  const master = [
    ['to-pstn', '1.1'],
    ['hr', '1.2'],
    ['sip-in', '1.3'],
    ['out-gb', '1.4'],
  ]
    .map(([context, id]) =>
      asterisk({
        account: '',
        src: 'anonymous',
        clid: '',
        context: context!,
        dst: '07400 200010',
        id: id!,
      }),
    )
    .join('\n');
  const without = await ingest({ 'Master.csv': master });
  const a = await rows(
    without.caseDir,
    'SELECT route, route_rule, dialed_e164 FROM calls ORDER BY call_id',
  );
  assert.deepEqual(a, [
    { route: 'to-pstn', route_rule: null, dialed_e164: null },
    { route: 'hr', route_rule: null, dialed_e164: null },
    { route: 'sip-in', route_rule: null, dialed_e164: null },
    { route: 'out-gb', route_rule: 'pattern', dialed_e164: '+447400200010' },
  ]);
  const home = await ingest({ 'Master.csv': master }, { country: 'GB' });
  const b = await rows(
    home.caseDir,
    'SELECT route_rule, route_country, dialed_e164 FROM calls ORDER BY call_id',
  );
  assert.deepEqual(
    b.map((c) => [c.route_rule, c.route_country, c.dialed_e164]),
    [
      ['home', 'GB', '+447400200010'],
      ['home', 'GB', '+447400200010'],
      ['home', 'GB', '+447400200010'],
      ['pattern', 'GB', '+447400200010'],
    ],
  );
});

test('no dialled value refuses its call: artefacts are special, a garbled number is unresolved', async () => {
  const master = [
    ['voicemail', '1.1'],
    ['*97', '1.2'],
    ['SIP/1001-0000002a', '1.3'],
    ['s', '1.4'],
    ['07400 2OO011', '1.5'],
    ['&', '1.6'],
    ['', '1.7'],
    ['00+972543424820', '1.8'],
  ]
    .map(([dst, id]) => asterisk({ dst: dst!, app: 'VoiceMail', data: '1001@default', id: id! }))
    .join('\n');
  const { caseDir, result } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  assert.equal(result.quarantined, 0);
  const calls = await rows(caseDir, 'SELECT dialed_raw, dialed_status FROM calls ORDER BY call_id');
  assert.deepEqual(
    calls.map((c) => [c.dialed_raw, c.dialed_status]),
    [
      ['voicemail', 'special'],
      ['*97', 'invalid'], // a service code, as before (docs/numbers.md)
      ['SIP/1001-0000002a', 'special'],
      ['s', 'special'],
      ['07400 2OO011', 'invalid'],
      ['&', 'special'],
      ['', 'special'],
      ['00+972543424820', 'invalid'],
    ],
  );
  await analyzeCase(caseDir, memoryEffects());
  const [v] = await rows<{ n: bigint }>(caseDir, 'SELECT count(*) AS n FROM victims');
  assert.equal(Number(v?.n), 0, 'never victims');
  const unresolved = await rows<{ raw: string }>(
    caseDir,
    'SELECT raw FROM unresolved ORDER BY raw',
  );
  assert.deepEqual(
    unresolved.map((u) => u.raw),
    ['00+972543424820', '07400 2OO011'],
  );
});

test("an answer with no callee channel is the switch's own: the call did not connect", async () => {
  // A Dial that was busy, then a Congestion leg Asterisk marks ANSWERED (the caller's channel).
  const master = [
    asterisk({ dst: '07400 200015', disposition: 'BUSY', billsec: 0, id: '1.1' }),
    asterisk({
      dst: '07400 200015',
      app: 'Congestion',
      data: '',
      dstchannel: '',
      start: '2021-06-01 10:00:07',
      answer: '2021-06-01 10:00:07',
      billsec: 4,
      disposition: 'ANSWERED',
      id: '1.1',
    }),
  ].join('\n');
  const { caseDir } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const calls = await rows(caseDir, 'SELECT disposition, connected, legs FROM calls');
  assert.deepEqual(calls, [{ disposition: 'BUSY', connected: false, legs: 2 }]);
});

test('the caller ID shown is the number in clid, not the extension in src', async () => {
  const master = asterisk({
    src: '203',
    clid: '"Bank" <+443457345345>',
    dst: '07400 200016',
    id: '1.1',
  });
  const { caseDir } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const [c] = await rows(caseDir, 'SELECT presented_raw, presented_e164 FROM calls');
  assert.deepEqual(c, { presented_raw: '+443457345345', presented_e164: '+443457345345' });
});

test('an outside-line prefix is read through, and the dial string gives the number a dialled field lacks', async () => {
  const master = [
    asterisk({ dst: '907400200012', data: 'SIP/trunk/907400200012,60', id: '1.1' }),
    asterisk({ dst: 's', context: 'from-internal', data: 'SIP/12125550143@trunk,60', id: '1.2' }),
    // No setting: the dial string shows the prefix the dialled field has in front.
    asterisk({
      dst: '812125550144',
      context: 'from-internal',
      data: 'PJSIP/12125550144@carrier',
      id: '1.3',
    }),
    asterisk({
      dst: '2001',
      context: 'from-internal',
      data: 'SIP/trunk/+12125550145&SIP/x/2',
      id: '1.4',
    }),
  ].join('\n');
  const { caseDir, result } = await ingest(
    { 'accounts.csv': ACCOUNTS, 'Master.csv': master },
    { outsideLine: '9' },
  );
  const calls = await rows(
    caseDir,
    'SELECT dialed_raw, dialed_e164, dialed_source, dialed_recorded FROM calls ORDER BY call_id',
  );
  assert.deepEqual(calls, [
    {
      dialed_raw: '07400200012',
      dialed_e164: '+447400200012',
      dialed_source: 'outside_line',
      dialed_recorded: '907400200012',
    },
    {
      dialed_raw: '12125550143',
      dialed_e164: '+12125550143',
      dialed_source: 'dial_string',
      dialed_recorded: 's',
    },
    {
      dialed_raw: '12125550144',
      dialed_e164: '+12125550144',
      dialed_source: 'dial_string',
      dialed_recorded: '812125550144',
    },
    {
      dialed_raw: '+12125550145',
      dialed_e164: '+12125550145',
      dialed_source: 'dial_string',
      dialed_recorded: '2001',
    },
  ]);
  const counts = result.files.find((f) => f.calls)?.calls;
  assert.deepEqual([counts?.outside_line, counts?.dial_string], [1, 3]);
});

test('local times the zone skips or repeats are flagged and read by the documented rule', async () => {
  const master = [
    // London goes forward at 01:00 on 28 March 2021 and back at 02:00 on 31 October.
    asterisk({
      dst: '07400 200013',
      start: '2021-03-28 01:30:00',
      end: '2021-03-28 03:00:00',
      id: '1616895000.1',
    }),
    asterisk({
      dst: '07400 200013',
      start: '2021-10-31 01:30:00',
      end: '2021-10-31 01:40:00',
      id: '1635643800.2',
    }),
    asterisk({ dst: '07400 200013', start: '2021-06-01 10:00:00', id: '1622538000.3' }),
  ].join('\n');
  const { caseDir, result } = await ingest(
    { 'accounts.csv': ACCOUNTS, 'Master.csv': master },
    { timezone: 'Europe/London' },
  );
  const calls = await rows(
    caseDir,
    `SELECT strftime(started_at, '%Y-%m-%d %H:%M') AS utc, start_time_flag FROM calls ORDER BY started_at`,
  );
  assert.deepEqual(calls, [
    // Nonexistent: the offset before the change (GMT). Ambiguous: the later, standard time.
    { utc: '2021-03-28 01:30', start_time_flag: 'nonexistent' },
    { utc: '2021-06-01 09:00', start_time_flag: null },
    { utc: '2021-10-31 01:30', start_time_flag: 'ambiguous' },
  ]);
  const counts = result.files.find((f) => f.calls)?.calls;
  assert.deepEqual([counts?.nonexistent_times, counts?.ambiguous_times], [1, 1]);
});

test('a missing value names its field', async () => {
  const master = [
    asterisk({ dst: '07400 200014', id: '1.1' }),
    asterisk({ dst: '07400 200014', id: '' }),
    asterisk({ dst: '07400 200014', start: '', id: '1.2' }),
  ].join('\n');
  const { caseDir } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const q = await rows(caseDir, 'SELECT reason, detail FROM quarantine ORDER BY line');
  assert.deepEqual(q, [
    { reason: 'missing_value', detail: 'call_id' },
    { reason: 'missing_value', detail: 'started_at' },
  ]);
  assert.ok(fs.existsSync(caseDir));
});

test('a stray Latin-1 symbol in a caller name loses no call', async () => {
  const rows1 = [
    asterisk({ dst: '07400 200017', id: '1.1' }),
    asterisk({ dst: '07400 200018', clid: 'XX <+443457345345>', id: '1.2' }),
  ];
  const master = Buffer.concat([
    Buffer.from(`${rows1[0]}\n`),
    // `"8107924651¥¥b" <…>` as a Latin-1 server wrote it: not UTF-8.
    Buffer.from((rows1[1] as string).replace('XX', '\u00a5\u00a5b'), 'latin1'),
  ]);
  const dir = writeExport({ 'accounts.csv': ACCOUNTS });
  fs.writeFileSync(path.join(dir, 'Master.csv'), master);
  const caseDir = path.join(tempDir(), 'case');
  const result = await ingestExport({ exportDir: dir, caseDir, timezone: 'UTC' }, memoryEffects());
  assert.deepEqual([result.loaded, result.quarantined], [3, 0]);
  const calls = await rows(caseDir, "SELECT dialed_e164 FROM calls WHERE call_id = '1.2'");
  assert.deepEqual(calls, [{ dialed_e164: '+447400200018' }]);
});

test('payments and logins of an account only calls name stay unknown; an accounts file may name (none)', async () => {
  const master = [
    asterisk({ account: 'x9', dst: '+447400200019', id: '1.1' }),
    asterisk({ account: '', dst: '+447400200019', id: '1.2' }),
  ].join('\n');
  const { caseDir } = await ingest({
    'accounts.csv': ACCOUNTS,
    'Master.csv': master,
    'payments.csv':
      'payment_id,account_id,paid_at\np1,x9,2021-06-01T10:00:00Z\np2,(none),2021-06-01T10:00:00Z\n',
  });
  const q = await rows(
    caseDir,
    "SELECT reason FROM quarantine q JOIN files f USING (file_id) WHERE f.kind = 'payments'",
  );
  assert.deepEqual(q, [{ reason: 'unknown_account' }, { reason: 'unknown_account' }]);
  const later = writeExport({ 'accounts.csv': 'account_id,username\n(none),odd\n' });
  const again = await ingestExport({ exportDir: later, caseDir }, memoryEffects());
  assert.deepEqual([again.loaded, again.quarantined], [1, 0]);
});

test('URIs in any case are read by their user part; legs with no billsec are compared by their times', async () => {
  const master = [
    asterisk({ src: 'SIP:+443457345345@pbx', clid: '', dst: 'TEL:+447400200020', id: '1.1' }),
    asterisk({
      dst: '07400 200021',
      answer: '2021-06-01 10:00:05',
      end: '2021-06-01 10:00:10',
      billsec: -1,
      id: '1.2',
    }),
    asterisk({
      dst: '07400 200021',
      answer: '2021-06-01 10:00:06',
      end: '2021-06-01 10:05:06',
      billsec: -1,
      id: '1.2',
    }),
  ]
    .join('\n')
    .replaceAll(',-1,', ',,');
  const { caseDir } = await ingest({ 'accounts.csv': ACCOUNTS, 'Master.csv': master });
  const calls = await rows(
    caseDir,
    'SELECT presented_e164, dialed_e164, billsec FROM calls ORDER BY call_id',
  );
  assert.deepEqual(calls, [
    { presented_e164: '+443457345345', dialed_e164: '+447400200020', billsec: 0 },
    { presented_e164: '+443457345345', dialed_e164: '+447400200021', billsec: 300 },
  ]);
});
