import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { UnspoofError } from '../shared/errors.ts';
import { writeExport } from '../../test/fixtures.ts';
import { at, freeswitchRow, masterRow, uuidV1, wall } from '../../test/switch-rows.ts';
import {
  chooseZones,
  clockSeconds,
  inferZone,
  localTransitions,
  offsetAt,
  readClocks,
  type ZoneInput,
} from './clocks.ts';
import { planExport } from './detect.ts';
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

const HOUR = 3600;

/** An Asterisk Master.csv of calls at these UTC seconds, written in `zone` local time. */
const asterisk = (epochs: number[], zone: string) =>
  epochs
    .map((t, i) =>
      masterRow({ start: wall(t + 2, zone), end: wall(t + 32, zone), id: `${t}.${i}` }),
    )
    .join('\n');

/** A FreeSWITCH cdr-csv whose uuids are time-based (version 1) or random (version 4). */
const freeswitch = (epochs: number[], zone: string, v1 = true) =>
  epochs
    .map((t, i) =>
      freeswitchRow({
        start: wall(t, zone),
        id: v1 ? uuidV1(t, i) : `6f1c2f0e-1d3b-4c55-9a0e-2b1f2f8c1a${String(i).padStart(2, '0')}`,
      }),
    )
    .join('\n');

async function plansOf(files: Record<string, string>): Promise<FilePlan[]> {
  return planExport(conn, { dir: writeExport(files), manifest: {} });
}

/** Calls every 6 hours through a year: every season, both changes of the clocks. */
const year = (from: string) => Array.from({ length: 1460 }, (_, i) => at(from) + i * 6 * HOUR + 17);

const auto: ZoneInput = { declared: null, auto: true, manifest: '/x/export.json' };

test('localTransitions: the local hours a zone skips and repeats', () => {
  assert.deepEqual(localTransitions('Europe/London', 2024, 2024), [
    { kind: 'nonexistent', start: '2024-03-31 01:00:00', end: '2024-03-31 02:00:00' },
    { kind: 'ambiguous', start: '2024-10-27 01:00:00', end: '2024-10-27 02:00:00' },
  ]);
  assert.deepEqual(localTransitions('America/New_York', 2023, 2024), [
    { kind: 'nonexistent', start: '2023-03-12 02:00:00', end: '2023-03-12 03:00:00' },
    { kind: 'ambiguous', start: '2023-11-05 01:00:00', end: '2023-11-05 02:00:00' },
    { kind: 'nonexistent', start: '2024-03-10 02:00:00', end: '2024-03-10 03:00:00' },
    { kind: 'ambiguous', start: '2024-11-03 01:00:00', end: '2024-11-03 02:00:00' },
  ]);
  // Lord Howe Island moves its clocks by half an hour.
  assert.deepEqual(localTransitions('Australia/Lord_Howe', 2024, 2024), [
    { kind: 'ambiguous', start: '2024-04-07 01:30:00', end: '2024-04-07 02:00:00' },
    { kind: 'nonexistent', start: '2024-10-06 02:00:00', end: '2024-10-06 02:30:00' },
  ]);
  assert.deepEqual(localTransitions('Asia/Kolkata', 2000, 2024), []);
  assert.deepEqual(localTransitions('UTC', 2000, 2024), []);
});

test('clocks: an Asterisk uniqueid is its epoch; a FreeSWITCH uuid only when time-based (v1, v7)', () => {
  assert.equal(clockSeconds('1707604860.42'), 1707604860);
  assert.equal(clockSeconds('pbx-01-1707604860.42'), 1707604860);
  assert.equal(clockSeconds(uuidV1(1707604860, 7)), 1707604860);
  // Version 7 (FreeSWITCH's uuid-version 7): 48 bits of UNIX milliseconds first.
  const ms = (1707604860123).toString(16).padStart(12, '0');
  assert.equal(clockSeconds(`${ms.slice(0, 8)}-${ms.slice(8)}-7abc-9def-0123456789ab`), 1707604860);
  assert.equal(clockSeconds('6f1c2f0e-1d3b-4c55-9a0e-2b1f2f8c1a11'), null);
  assert.equal(clockSeconds('1.1'), null);
  assert.equal(offsetAt('Asia/Kolkata', 1707604860), 5.5 * HOUR);
  assert.equal(offsetAt('America/New_York', at('2024-07-01T00:00:00Z')), -4 * HOUR);
});

test('auto: an Asterisk file logged in UTC (usegmtime=yes) is UTC; a London one London', async () => {
  const [utc] = await plansOf({ 'Master.csv': asterisk(year('2023-06-01T00:00:00Z'), 'UTC') });
  assert.deepEqual(inferZone(readClocks(utc!)), { zone: 'UTC' });
  const [london] = await plansOf({
    'Master.csv': asterisk(year('2023-06-01T00:00:00Z'), 'Europe/London'),
  });
  assert.deepEqual(inferZone(readClocks(london!)), { zone: 'Europe/London' });
  // The home country's zones come before the preferred list: Berlin's offsets are Paris's.
  const [berlin] = await plansOf({
    'Master.csv': asterisk(year('2023-06-01T00:00:00Z'), 'Europe/Berlin'),
  });
  assert.deepEqual(inferZone(readClocks(berlin!)), { zone: 'Europe/Paris' });
  assert.deepEqual(inferZone(readClocks(berlin!), 'DE'), { zone: 'Europe/Berlin' });
  const [kolkata] = await plansOf({
    'Master.csv': asterisk(year('2023-06-01T00:00:00Z').slice(0, 40), 'Asia/Kolkata'),
  });
  assert.deepEqual(inferZone(readClocks(kolkata!)), { zone: 'Asia/Kolkata' });
});

test('auto: FreeSWITCH version-1 uuids are clocks; a later leg of a call does not count', async () => {
  const [ny] = await plansOf({
    'Master.csv': freeswitch(year('2023-06-01T00:00:00Z'), 'America/New_York'),
  });
  assert.equal(ny!.format, 'freeswitch');
  assert.deepEqual(inferZone(readClocks(ny!)), { zone: 'America/New_York' });

  // A transfer: the same uniqueid, a leg that starts 40 minutes after its channel was made.
  const t = at('2024-01-10T09:00:00Z');
  const legs = [
    masterRow({ start: wall(t + 1, 'UTC'), id: `${t}.1` }),
    masterRow({ start: wall(t + 2400, 'UTC'), id: `${t}.1` }),
  ].join('\n');
  const [plan] = await plansOf({ 'Master.csv': legs });
  const readings = readClocks(plan!);
  assert.deepEqual(
    readings.map((r) => r.offset),
    [0],
  );
});

/**
 * Calls of `year` in `zone`, and among them channels whose only sampled row is a later leg:
 * every fifth call's channel made `late` seconds before its leg starts (a queue leg whose
 * first leg the sample missed).
 */
const withLateLegs = (epochs: number[], zone: string, late: number[]) =>
  epochs
    .map((t, i) => {
      const delay = i % 5 === 0 ? late[(i / 5) % late.length]! : 2;
      return masterRow({ start: wall(t + delay, zone), id: `${t}.${i}` });
    })
    .join('\n');

test('auto and a declared zone: late queue legs fit; a zone 15 minutes off does not', async () => {
  // A fifth of the calls are legs that start 8 to 44 minutes after their channel was made,
  // some across a change of the clocks (London goes back at 01:00 UTC on 2023-10-29).
  const late = [480, 540, 1200, 2640];
  const changes = [at('2023-10-29T00:50:00Z'), at('2024-03-31T00:50:00Z')];
  const [london] = await plansOf({
    'Master.csv': withLateLegs(
      [...changes, ...year('2023-06-01T00:00:00Z')],
      'Europe/London',
      late,
    ),
  });
  assert.deepEqual(inferZone(readClocks(london!)), { zone: 'Europe/London' });
  const declare = (zone: string) => ({ declared: zone, auto: false, manifest: '/x/export.json' });
  assert.deepEqual(chooseZones([{ ...london! }], declare('Europe/London')).warnings, []);
  // An hour off in summer is no lateness: UTC does not fit.
  const [utcWarning] = chooseZones([{ ...london! }], declare('UTC')).warnings;
  assert.match(utcWarning!, /Zones that fit its clocks: Europe\/London, /);

  // Written at +05:45 (Kathmandu) with late legs: Asia/Kolkata (+05:30) would call every
  // record 15 minutes late, and does not fit.
  const kathmandu = withLateLegs(
    year('2023-06-01T00:00:00Z').slice(0, 200),
    'Asia/Kathmandu',
    late,
  );
  const [ktm] = await plansOf({ 'Master.csv': kathmandu });
  // (Intl may call it by its older name, Asia/Katmandu.)
  const inferred = inferZone(readClocks(ktm!), 'IN');
  assert.ok('zone' in inferred);
  assert.match(inferred.zone, /^Asia\/Kath?mandu$/);
  const [kolkata] = chooseZones([{ ...ktm! }], declare('Asia/Kolkata')).warnings;
  assert.match(
    kolkata!,
    /in 200 of 200 sampled calls the local start is \+05:45, .* where Asia\/Kolkata is \+05:30\. Zones that fit its clocks: Asia\/Kath?mandu\. /,
  );

  // Every record 15 minutes after its clock at +05:00 (or before it at +05:30): no zone.
  const quarterOff = year('2023-06-01T00:00:00Z')
    .slice(0, 100)
    .map((t, i) => masterRow({ start: wall(t + 902, 'Asia/Karachi'), id: `${t}.${i}` }))
    .join('\n');
  const [off] = await plansOf({ 'Master.csv': quarterOff });
  const refused = inferZone(readClocks(off!));
  assert.ok('problem' in refused);
  assert.match(refused.problem, /\+05:15 from UTC, which no one time zone had at those dates/);
  assert.match(
    chooseZones([{ ...off! }], declare('Asia/Karachi')).warnings[0]!,
    /in 100 of 100 sampled calls the local start is \+05:15 from UTC, where Asia\/Karachi is \+05:00\. Zones that fit its clocks: none\./,
  );

  // Lord Howe (+10:30, +11:00 in summer) sampled mostly in summer: Sydney's winter is half an
  // hour behind, and a season whose records are all late does not fit, though most are on time.
  const lordHowe = Array.from(
    { length: 120 },
    (_, i) => at('2023-11-01T00:00:00Z') + i * 86_400 + 17,
  );
  const [lh] = await plansOf({
    'Master.csv': asterisk(
      [...lordHowe.slice(0, 100), ...lordHowe.slice(0, 20).map((t) => t + 200 * 86_400)],
      'Australia/Lord_Howe',
    ),
  });
  assert.deepEqual(inferZone(readClocks(lh!), 'AU'), { zone: 'Australia/Lord_Howe' });
  assert.match(
    chooseZones([{ ...lh! }], declare('UTC')).warnings[0]!,
    /Zones that fit its clocks: Australia\/Lord_Howe\. /,
  );
});

test('auto: a record more than 2 minutes before its clock fits no zone (a clock that runs ahead)', async () => {
  // Version-1 uuids made 17 minutes after the start they record, in most of a Shanghai file.
  const epochs = Array.from({ length: 8 }, (_, i) => at('2020-02-10T14:00:00Z') + i * 3600);
  const rows = epochs
    .map((t, i) =>
      freeswitchRow({ start: wall(t, 'Asia/Shanghai'), id: uuidV1(i < 5 ? t + 1060 : t + 18, i) }),
    )
    .join('\n');
  const [ahead] = await plansOf({ 'Master.csv': rows });
  const refused = inferZone(readClocks(ahead!));
  assert.ok('problem' in refused);
  assert.match(
    refused.problem,
    /\+07:45, \+08:00 from UTC, which no one time zone had at those dates \(a record starts at its clock or up to 45 minutes after it, most of them at it, and none more than 2 minutes before it\)$/,
  );
  // A minute or so ahead is clock skew: it fits.
  const skewed = epochs
    .map((t, i) => freeswitchRow({ start: wall(t, 'Asia/Shanghai'), id: uuidV1(t + 90, i) }))
    .join('\n');
  const [skew] = await plansOf({ 'Master.csv': skewed });
  assert.deepEqual(inferZone(readClocks(skew!), 'CN'), { zone: 'Asia/Shanghai' });
});

test('auto refuses what the clocks cannot tell: a winter-only sample, no one zone, no clocks', async () => {
  // Sampled in January and December only: UTC and London both fit, and differ in the summer
  // between them.
  const [winter] = await plansOf({
    'Master.csv': asterisk(
      [at('2023-01-10T10:00:00Z'), at('2023-12-10T10:00:00Z')],
      'Europe/London',
    ),
  });
  const refused = inferZone(readClocks(winter!));
  assert.ok('problem' in refused);
  assert.match(
    refused.problem,
    /fit both UTC and Europe\/London, which differ from 2023-03-26 within the file's dates \(2023-01-10 to 2023-12-10\)/,
  );

  const mixed = [
    ...asterisk([at('2023-01-10T10:00:00Z')], 'UTC').split('\n'),
    ...asterisk([at('2023-01-10T11:00:00Z')], 'Asia/Dubai').split('\n'),
  ].join('\n');
  const [none] = await plansOf({ 'Master.csv': mixed });
  const noZone = inferZone(readClocks(none!));
  assert.ok('problem' in noZone);
  assert.match(noZone.problem, /\+00:00, \+04:00 from UTC, which no one time zone had/);

  const plans = await plansOf({
    'Master.csv': freeswitch([at('2023-01-10T10:00:00Z')], 'UTC', false),
  });
  assert.throws(
    () => chooseZones(plans, auto),
    (e: UnspoofError) => {
      assert.equal(e.code, 'TIMEZONE_REQUIRED');
      assert.match(e.message, /--timezone auto reads each switch file's zone from its own clocks/);
      assert.match(e.message, /Master\.csv: it has no clocks: no sampled uuid \(column 11\)/);
      assert.match(e.message, /version 4 UUIDs, FreeSWITCH's default, hold no time/);
      assert.match(
        e.message,
        /give the zone with --timezone .* or a "timezone" in \/x\/export\.json/,
      );
      return true;
    },
  );
});

test('auto decides per file: each plan carries its zone; the shared one only when they agree', async () => {
  const plans = await plansOf({
    'a.csv': asterisk(year('2023-06-01T00:00:00Z'), 'UTC'),
    'b.csv': asterisk(year('2023-06-01T00:00:00Z'), 'America/Chicago'),
  });
  const choice = chooseZones(plans, auto);
  assert.deepEqual(
    plans.map((p) => [p.name, p.timezone]),
    [
      ['a.csv', 'UTC'],
      ['b.csv', 'America/Chicago'],
    ],
  );
  assert.deepEqual(choice, { timezone: null, warnings: [] });
  const [one] = plans;
  assert.deepEqual(chooseZones([one!], auto), { timezone: 'UTC', warnings: [] });
});

test('a declared zone the clocks disagree with: a warning naming the file, the zone, the offsets, and the zones that fit', async () => {
  const plans = await plansOf({ 'Master.csv': asterisk(year('2023-06-01T00:00:00Z'), 'UTC') });
  const declared = { declared: 'Europe/Paris', auto: false, manifest: '/x/export.json' };
  const { timezone, warnings } = chooseZones(plans, declared);
  assert.equal(timezone, 'Europe/Paris');
  assert.equal(plans[0]!.timezone, 'Europe/Paris');
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0]!,
    /^Master\.csv: its own clocks \(uniqueid\) disagree with the declared time zone Europe\/Paris: in (\d+) of \1 sampled calls the local start is \+00:00 from UTC, where Europe\/Paris is \+02:00, \+01:00\. Zones that fit its clocks: UTC, Africa\/Abidjan, /,
  );
  assert.match(warnings[0]!, /--timezone UTC \(or --timezone auto\)$/);

  // Clocks that agree (most of them) say nothing; neither do files without clocks.
  const agree = await plansOf({
    'Master.csv': asterisk(year('2023-06-01T00:00:00Z'), 'Europe/Paris'),
  });
  assert.deepEqual(chooseZones(agree, declared).warnings, []);
  const v4 = await plansOf({
    'Master.csv': freeswitch([at('2023-01-10T10:00:00Z')], 'UTC', false),
  });
  assert.deepEqual(chooseZones(v4, declared).warnings, []);
});

test('no zone declared: TIMEZONE_REQUIRED names the files, "holds" or "hold" by their count', async () => {
  const rows = asterisk([at('2023-01-10T10:00:00Z')], 'UTC');
  const none = { declared: null, auto: false, manifest: '/x/export.json' };
  assert.throws(
    () => chooseZones([{ name: 'Master.csv', localTime: true } as FilePlan], none),
    /^UnspoofError: Master\.csv holds the seized server's local time: give --timezone \(e\.g\. --timezone Europe\/London, or --timezone auto .*\) or a "timezone" in \/x\/export\.json$/,
  );
  const two = await plansOf({ 'a.csv': rows, 'b.csv': rows });
  assert.throws(() => chooseZones(two, none), /^UnspoofError: a\.csv, b\.csv hold the seized/);
  assert.deepEqual(chooseZones([], none), { timezone: null, warnings: [] });
});
