import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { UnspoofError } from '../shared/errors.ts';
import { sqlString } from '../shared/sql.ts';
import { writeExport } from '../../test/fixtures.ts';
import {
  at,
  customRow,
  freeswitchRow,
  masterRow,
  q,
  uuidV1,
  wall,
  type SwitchCall,
} from '../../test/switch-rows.ts';
import { planExport } from './detect.ts';
import type { Manifest } from './manifest.ts';
import { MappingSchema } from './mapping.ts';
import type { FilePlan } from './plan.ts';

let db: DuckDBInstance;
let conn: DuckDBConnection;
before(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
after(() => {
  conn.closeSync();
  db.closeSync();
});

async function planOf(body: string | Buffer, manifest: Manifest = {}): Promise<FilePlan> {
  const plans = await planExport(conn, { dir: writeExport({ 'Master.csv': body }), manifest });
  assert.equal(plans.length, 1);
  return plans[0]!;
}

async function unknownMessage(files: Record<string, string>): Promise<string> {
  try {
    await planExport(conn, { dir: writeExport(files), manifest: {} });
  } catch (e) {
    assert.equal((e as UnspoofError).code, 'UNKNOWN_FORMAT', (e as Error).message);
    return (e as Error).message;
  }
  assert.fail('planned without UNKNOWN_FORMAT');
}

const t0 = at('2024-02-10T22:41:00Z');
const calls = (n: number, make: (c: SwitchCall, i: number) => string, zone = 'UTC') =>
  Array.from({ length: n }, (_, i) => {
    const t = t0 + i * 3600;
    return make({ start: wall(t, zone), id: `${t}.${i}` }, i);
  }).join('\n');

test('cdr_csv Master.csv: uniqueid is the call id; the dial string is lastdata of a Dial', async () => {
  const plan = await planOf(calls(3, (c) => masterRow(c)));
  assert.equal(plan.format, 'asterisk');
  assert.equal(plan.columns.length, 18);
  assert.equal(plan.source.call_id, 'c17');
  assert.equal(plan.source.started_at, 'c10');
  assert.equal(plan.source.account_id, 'c1');
  assert.match(plan.source.dial_string ?? '', /c8.*c9/s);
  assert.equal(plan.source.leg_sequence, undefined);
  assert.equal(plan.timestampFormat, undefined);
  assert.equal(plan.localTime, true);
});

test('cdr_csv with newcdrcolumns: the sequence is the last column, with or without userfield', async () => {
  const full = await planOf(
    calls(3, (c, i) => masterRow(c, [q(''), q(c.id), String(i)])), // 21 columns
  );
  assert.equal(full.format, 'asterisk');
  assert.equal(full.columns.length, 21);
  assert.equal(full.source.leg_sequence, 'c21');
  assert.equal(full.source.call_id, 'c17');

  // loguniqueid without loguserfield: uniqueid, peeraccount, linkedid, sequence.
  const noUserfield = await planOf(
    calls(3, (c, i) => masterRow(c, [q(''), q(c.id), String(i)]).replace(/,""(?=,"")/, '')),
  );
  assert.equal(noUserfield.columns.length, 20);
  assert.equal(noUserfield.source.leg_sequence, 'c20');

  // Two other columns after the 18 are no sequence.
  const extra = await planOf(calls(3, (c) => masterRow(c, [q('x'), q('y')])));
  assert.equal(extra.columns.length, 20);
  assert.equal(extra.source.leg_sequence, undefined);
});

test("cdr_custom's default mapping is its own format: clid first, accountcode 16th, sequence last", async () => {
  const plan = await planOf(calls(3, (c, i) => customRow(c, i)));
  assert.equal(plan.format, 'asterisk-custom');
  assert.equal(plan.columns.length, 19);
  assert.deepEqual(
    [
      plan.source.account_id,
      plan.source.call_id,
      plan.source.started_at,
      plan.source.disposition,
      plan.source.leg_sequence,
    ],
    ['c16', 'c17', 'c9', 'c14', 'c19'],
  );
  // The number in clid first, then src (docs/switch-records.md §4).
  assert.match(plan.source.presented_number ?? '', /c1.*c2\b/s);
  assert.match(plan.source.dial_string ?? '', /c7.*c8/s);
});

test('FreeSWITCH cdr-csv: the 15-column example template, its older 13 columns, and the asterisk template', async () => {
  const fs15 = await planOf(calls(2, (c, i) => freeswitchRow({ ...c, id: uuidV1(t0, i) })));
  assert.deepEqual(
    [fs15.format, fs15.columns.length, fs15.source.call_id],
    ['freeswitch', 15, 'c11'],
  );
  const fs13 = await planOf(calls(2, (c, i) => freeswitchRow({ ...c, id: uuidV1(t0, i) }, 13)));
  assert.deepEqual([fs13.format, fs13.columns.length], ['freeswitch', 13]);
  // FreeSWITCH's `asterisk` template: Asterisk's columns, a hangup cause and a UUID.
  const fsAsterisk = await planOf(
    calls(2, (c, i) => masterRow({ ...c, disposition: 'NORMAL_CLEARING', id: uuidV1(t0, i) })),
  );
  assert.deepEqual([fsAsterisk.format, fsAsterisk.source.call_id], ['asterisk', 'c17']);
});

test('a Master.csv a spreadsheet re-saved: its time format, day or month first only on evidence', async () => {
  const sheet = (texts: string[], id = (i: number) => `${t0 + i}.${i}`) =>
    texts.map((start, i) => masterRow({ start, end: start, id: id(i) })).join('\r\n');
  const ymd = await planOf(sheet(['2020/2/10 22:41', '2020/2/10 22:45']));
  assert.equal(ymd.timestampFormat, '%Y/%m/%d %H:%M');
  assert.equal(ymd.format, 'asterisk');
  const dayFirst = await planOf(sheet(['10/02/2020 22:41', '13/02/2020 09:05']));
  assert.equal(dayFirst.timestampFormat, '%d/%m/%Y %H:%M');
  const monthFirst = await planOf(sheet(['2/10/2020 22:41:07', '2/13/2020 09:05:00']));
  assert.equal(monthFirst.timestampFormat, '%m/%d/%Y %H:%M:%S');

  // No day above 12: the clocks (uniqueid epochs) say which reading is the date.
  const feb10 = at('2020-02-10T22:41:00Z');
  const byClock = await planOf(
    sheet(['10/02/2020 22:41', '10/02/2020 22:41'], (i) => `${feb10}.${i}`),
  );
  assert.equal(byClock.timestampFormat, '%d/%m/%Y %H:%M');

  // Neither: not guessed.
  const message = await unknownMessage({
    'Master.csv': sheet(['10/02/2020 22:41', '03/04/2020 10:00'], (i) => `1.${i}`),
  });
  assert.match(message, /Master\.csv: read as Asterisk cdr_csv \(Master\.csv\), but its times/);
  assert.match(message, /`10\/02\/2020 22:41`/);
  assert.match(
    message,
    /"timestamp_format": "%d\/%m\/%Y %H:%M" \(day first\) or "%m\/%d\/%Y %H:%M" \(month first\)/,
  );
  assert.match(message, /docs\/seized-export\.md/);
});

test("DuckDB's try_strptime reads the formats detection chooses, with or without leading zeros", async () => {
  const cases: Array<[string, string, string]> = [
    ['2020/2/10 22:41', '%Y/%m/%d %H:%M', '2020-02-10 22:41:00'],
    ['2020-2-1 2:05', '%Y-%m-%d %H:%M', '2020-02-01 02:05:00'],
    ['10/2/2020 22:41', '%d/%m/%Y %H:%M', '2020-02-10 22:41:00'],
    ['2/10/2020 22:41:07', '%m/%d/%Y %H:%M:%S', '2020-02-10 22:41:07'],
    ['13/02/2020 22:41', '%m/%d/%Y %H:%M', ''],
  ];
  for (const [text, format, expected] of cases) {
    const r = await conn.runAndReadAll(
      `SELECT coalesce(CAST(try_strptime(${sqlString(text)}, ${sqlString(format)}) AS VARCHAR), '') AS t`,
    );
    assert.equal(r.getRowObjectsJS()[0]?.t, expected, `${text} as ${format}`);
  }
});

test('export.json encodings apply to switch records; a Latin-1 file sniffs without them', async () => {
  const latin1 = Buffer.from(
    calls(3, (c) => masterRow({ ...c, clid: '"José £" <+447700900001>' })),
    'latin1',
  );
  const declared = await planOf(latin1, { encodings: { 'Master.csv': 'latin-1' } });
  assert.equal(declared.format, 'asterisk');
  assert.equal(declared.encoding, 'latin-1');
  const sniffed = await planOf(latin1);
  assert.equal(sniffed.format, 'asterisk');
  assert.equal(sniffed.encoding, undefined);
});

test('UNKNOWN_FORMAT says, per file, the column count and the check the nearest layout failed', async () => {
  const dotted = masterRow({ start: '10.02.2020 22:41', id: '1581374460.1' });
  // cdr_csv without loguniqueid and loguserfield (its defaults): 16 columns.
  const noUniqueid = masterRow({ start: '2020-02-10 22:41:00', id: 'x', data: 'SIP/trunk/1' })
    .split(',')
    .slice(0, 16)
    .join(',');
  const shifted = masterRow({ start: '+44 7700 900123', id: '1581374460.1' });
  const message = await unknownMessage({
    'a.csv': dotted,
    'b.csv': noUniqueid,
    'c.csv': 'a,b\n1,2\n',
    'd.csv': shifted,
    'notes.txt': 'hello',
  });
  const lines = message.split('\n');
  assert.match(lines[0]!, /^unknown format \(canonical files are named accounts, calls/);
  assert.equal(
    lines[1],
    '  a.csv: its first record has 18 columns; the nearest switch layout, Asterisk cdr_csv (Master.csv), does not fit: column 10 is `10.02.2020 22:41`, not a time (YYYY-MM-DD HH:MM:SS)',
  );
  assert.equal(
    lines[2],
    '  b.csv: its first record has 16 columns; the nearest switch layout, Asterisk cdr_csv (Master.csv), does not fit: it has 16 columns, not 17 or more (uniqueid is column 17); it has no column 17, for a uniqueid (EPOCH.N, as loguniqueid=yes writes it)',
  );
  assert.match(
    lines[3]!,
    /^ {2}c\.csv: its first record has 2 columns; the nearest switch layout, /,
  );
  // A number where a time should be is shown cut short.
  assert.match(lines[4]!, /column 10 is `\+44 …` \(a number, shortened\), not a time/);
  assert.doesNotMatch(message, /7700 900123/);
  assert.equal(lines[5], '  notes.txt: not a canonical file name, and not a .csv to sniff');
  assert.match(lines[6]!, /--mapping.*docs\/seized-export\.md, "Other CSVs: the mapping file"/);
});

test('a file with some records of a layout is that layout; its width is the one most have', async () => {
  const rows = calls(4, (c) => masterRow(c)).split('\n');
  const plan = await planOf(
    [...rows, 'garbage,line', rows[0]!.replace(/""$/, '"","x"')].join('\n'),
  );
  assert.deepEqual([plan.format, plan.columns.length], ['asterisk', 18]);
  await assert.rejects(planOf(''), (e: UnspoofError) => {
    assert.equal(e.code, 'UNKNOWN_FORMAT');
    assert.match(e.message, /Master\.csv: the file is empty/);
    return true;
  });
});

test("the documented mapping for a spreadsheet's Master.csv plans it, day first", async () => {
  const doc = fs.readFileSync(
    path.join(import.meta.dirname, '../../docs/seized-export.md'),
    'utf8',
  );
  const section = doc.slice(doc.indexOf('### Switch records re-saved by a spreadsheet'));
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  const mapping = MappingSchema.parse(JSON.parse(json ?? ''));
  const body = ['10/02/2020 22:41', '03/04/2020 10:00']
    .map((start, i) => masterRow({ start, end: start, id: `1.${i}` }))
    .join('\n');
  const plans = await planExport(conn, {
    dir: writeExport({ 'Master.csv': body }),
    manifest: {},
    mapping,
  });
  const [plan] = plans;
  assert.deepEqual(
    [plan?.format, plan?.localTime, plan?.timestampFormat, plan?.source.call_id],
    ['mapped', true, '%d/%m/%Y %H:%M', 'c17'],
  );
});
