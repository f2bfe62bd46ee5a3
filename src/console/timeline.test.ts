/**
 * The timeline's counts: every call, payment, login and capture counted once in the whole
 * range; a day given as the end is that whole day; bins follow the case's clock (a day of
 * Europe/London in summer starts at 23:00 UTC the evening before); nothing to show for a
 * subject without events.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import { testConsole, type TestConsole } from '../../test/console-case.ts';
import { timeline } from './timeline.ts';

let c: TestConsole;
let drop: () => Promise<void>;
before(async () => {
  const opened = await (backends[0] as (typeof backends)[number]).open();
  drop = opened.drop;
  c = await testConsole(opened.db);
});
after(async () => {
  await c.close();
  await drop();
});

const count = async (sql: string) => Number((await c.analysis.rows(sql))[0]?.n);

test('the whole case: every event counted once, in its own row', async () => {
  const t = await timeline(c.analysis, { kind: 'case', scope: null }, 'UTC', {});
  assert.equal(t.totals.calls, await count('SELECT count(*) AS n FROM calls'));
  assert.equal(t.totals.payments, await count('SELECT count(*) AS n FROM payments'));
  assert.equal(t.totals.logins, await count('SELECT count(*) AS n FROM logins'));
  assert.equal(t.totals.captures, await count('SELECT count(*) AS n FROM captures'));
  assert.ok(t.rows.length <= 4 * 240, 'at most 240 bars a row');
});

test('a day as the end is the whole day, in the case’s time zone', async () => {
  const [d] = await c.analysis.rows(
    `SELECT strftime(timezone('Europe/London', started_at), '%Y-%m-%d') AS day, count(*) AS n
       FROM calls WHERE month(started_at) = 7 GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1`,
  );
  const day = String(d?.day);
  const t = await timeline(c.analysis, { kind: 'case', scope: null }, 'Europe/London', {
    from: day,
    to: day,
  });
  assert.equal(t.from, `${day}T00:00:00`);
  assert.equal(t.totals.calls, Number(d?.n), 'every call of that London day');
  assert.equal(t.bin, '15 minutes', '96 bars of a day');
  assert.ok(t.rows.every((r) => r.start.startsWith(day)));
});

test('a subject without events has nothing to show, and a backwards range is refused', async () => {
  const none = await timeline(c.analysis, { kind: 'victim', number: '+15550000000' }, 'UTC', {});
  assert.equal(none.extent, null);
  assert.deepEqual(none.rows, []);
  await assert.rejects(
    timeline(c.analysis, { kind: 'case', scope: null }, 'UTC', {
      from: '2022-01-02',
      to: '2021-01-01',
    }),
    { code: 'REQUEST_INVALID' },
  );
});
