/**
 * The calls that count for a victim, read the way the analysis counts them (victim-calls.ts):
 * once an analyst has confirmed B's rival reading, its call (dialled as B's Australian reading)
 * is on the Dutch number's page, in the suspect's list of the victims it reached, and among the
 * callers of a reported number; an analysis made before confirmations (no table) still reads.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asRead } from '../../test/console-case.ts';
import { backends } from '../../test/ops-backends.ts';
import {
  confirmedRivalCase,
  READINGS,
  reviewCase,
  reviewConsole,
  victimPath,
  type ReviewConsole,
} from '../../test/review-case.ts';
import { maskNumber } from '../authz/policy.ts';
import { openCase } from '../case/store.ts';
import type { OpsDb } from '../ops/db.ts';
import { openAnalysis } from '../readout/analysis.ts';
import type { Analysis } from '../readout/analysis.ts';
import { callersOf, suspect } from './data.ts';
import { victimCallsPage } from './victim-calls-page.ts';
import { victimRow } from '../readout/victims-table.ts';

/** A victim's row and the first page of its calls, as the victim's page reads them. */
async function victim(a: Analysis, number: string, scope: string | null) {
  const row = await victimRow(a, number, scope);
  return row ? { victim: row, calls: (await victimCallsPage(a, number, scope, 1)).rows } : null;
}

const { conflictA, conflictB, weak, certain } = READINGS;

for (const backend of backends) {
  let c: ReviewConsole;
  let ops: OpsDb;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    c = await reviewConsole(ops, await confirmedRivalCase());
  });
  after(async () => {
    await c.close();
    await drop();
  });

  const get = (url: string) => c.app.inject({ url, headers: { cookie: c.cookies.analyst } });

  test(`${backend.name}: a confirmed rival reading's page lists the call dialled as the other reading`, async () => {
    const v = await victim(c.analysis, conflictB.alt, null);
    assert.ok(v, 'B is listed as its rival reading');
    assert.equal(Number(v.victim.calls), 1);
    assert.deepEqual(
      v.calls.map((x) => [x.started_at, x.billsec, x.account_id, x.presented_e164]),
      [['2021-03-02T10:00:00', 90, 'a1', '+31202288888']],
    );
    const page = await get(await victimPath(ops, conflictB.alt));
    assert.equal(page.statusCode, 200);
    const calls = page.body.slice(page.body.indexOf('Calls that reached this number'));
    assert.match(calls, /2021-03-02/);
    assert.match(calls, /href="\/suspects\/a1"/);
    // The disposition as the switch recorded it stands beside "Answered".
    assert.match(calls, /<th scope="col">Recorded as<\/th>/);
    assert.match(calls, /<td>ANSWERED<\/td>/);
    // The reading dialled is no victim now: its page is gone, and its calls are nowhere else.
    assert.equal(await victim(c.analysis, conflictB.number, null), null);
    assert.equal((await get(await victimPath(ops, conflictB.number))).statusCode, 404);
    // A number nobody confirmed anything about keeps its own calls, and only those.
    assert.deepEqual(
      (await victim(c.analysis, conflictA.number, null))?.calls.map((x) => x.started_at),
      ['2021-03-01T10:00:00'],
    );
  });

  test(`${backend.name}: the suspect's page lists the confirmed rival among the victims it reached`, async () => {
    const s = await suspect(c.analysis, 'a1', null);
    assert.ok(s);
    assert.equal(Number(s.suspect.likely_victims), 3, 'A, B (as the Dutch number), certain');
    assert.deepEqual(
      s.victims.map((v) => [v.number, v.calls]).sort(),
      [
        [conflictA.number, 1],
        [conflictB.alt, 1],
        [weak, 1],
        [certain, 1],
      ].sort(),
    );
    assert.equal(s.victimsTotal, 4);
    // Past the last page: not found (the total counted alone says there is no such page).
    await assert.rejects(suspect(c.analysis, 'a1', null, 2), { code: 'NOT_FOUND' });
    const page = asRead((await get('/suspects/a1')).body);
    assert.ok(page.includes(maskNumber(conflictB.alt)));
  });

  test(`${backend.name}: the callers of a reported number are those of the calls that count for it`, async () => {
    assert.deepEqual(
      (await callersOf(c.analysis, [conflictB.alt])).map((r) => [r.number, r.account_id, r.calls]),
      [[conflictB.alt, 'a1', 1]],
    );
    assert.deepEqual(await callersOf(c.analysis, [conflictB.number]), []);
    assert.deepEqual(await callersOf(c.analysis, ['not a number', '+0123']), []);
    // Many numbers at once (one IN list rather than an equality each): the same answer.
    const many = [
      ...Array.from({ length: 12 }, (_, i) => `+4477009000${String(i).padStart(2, '0')}`),
      conflictB.alt,
      certain,
      conflictB.number,
    ];
    assert.deepEqual(
      (await callersOf(c.analysis, many)).map((r) => [r.number, r.account_id]),
      [
        [conflictB.alt, 'a1'],
        [certain, 'a1'],
      ],
    );
  });

  test(`${backend.name}: an analysis made before confirmations (no confirmed_readings) is read as having none`, async () => {
    const caseDir = await reviewCase();
    const store = await openCase(caseDir);
    try {
      await store.conn.run('DROP TABLE confirmed_readings');
    } finally {
      store.close();
    }
    const a = await openAnalysis(caseDir);
    try {
      assert.deepEqual(
        (await victim(a, conflictB.number, null))?.calls.map((x) => x.started_at),
        ['2021-03-02T10:00:00'],
      );
      assert.equal((await suspect(a, 'a1', null))?.victimsTotal, 4);
      assert.deepEqual(
        (await callersOf(a, [certain])).map((r) => [r.number, r.account_id]),
        [[certain, 'a1']],
      );
    } finally {
      a.close();
    }
  });
}
