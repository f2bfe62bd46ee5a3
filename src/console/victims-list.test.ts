/**
 * The victims list's pages, read every way the plan can read them (a short LIMIT near either
 * end, the kept order in between), are the list itself: every victim the filter keeps exactly
 * once, in the order asked for, in either direction, with a date filter too.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { analysedCase } from '../../test/console-case.ts';
import { openAnalysis, type Analysis } from '../readout/analysis.ts';
import { PAGE_SIZE, type VictimFilter } from './data.ts';
import { pageCount, type Memo } from './paging.ts';
import { VICTIM_SORTS, victimsPage } from './victims-list.ts';

let a: Analysis;
before(async () => {
  a = await openAnalysis(await analysedCase());
});
after(() => a.close());

const memo = (): Memo => {
  const kept = new Map<string, Promise<unknown>>();
  return <T>(key: string, make: () => Promise<T>) => {
    if (!kept.has(key)) kept.set(key, make());
    return kept.get(key) as Promise<T>;
  };
};

const none: VictimFilter = {
  country: null,
  tier: null,
  brand: null,
  from: null,
  to: null,
  review: false,
};

/** Every page of a list, read with `near` rows answered by LIMIT at either end. */
async function allPages(
  f: VictimFilter,
  sort: (typeof VICTIM_SORTS)[number],
  dir: 'asc' | 'desc',
  near: number,
) {
  const m = memo();
  const first = await victimsPage(a, m, f, null, { sort, dir }, 1, near);
  const rows = [...first.rows];
  for (let p = 2; p <= pageCount(first.total, PAGE_SIZE); p++)
    rows.push(...(await victimsPage(a, m, f, null, { sort, dir }, p, near)).rows);
  return { numbers: rows.map((r) => String(r.number)), total: first.total };
}

test('every page of every sort, both ways, is the whole list once, in order', async () => {
  const [count] = await a.rows('SELECT count(*) AS n FROM victims');
  assert.ok(Number(count?.n) > 3 * PAGE_SIZE, 'enough victims for pages in between');
  for (const sort of VICTIM_SORTS) {
    // near 0: every page but the first and last is read from the kept order.
    const desc = await allPages(none, sort, 'desc', 0);
    const asc = await allPages(none, sort, 'asc', 0);
    const byLimit = await allPages(none, sort, 'desc', 1e9);
    assert.equal(desc.numbers.length, desc.total, `${sort}: every victim`);
    assert.equal(new Set(desc.numbers).size, desc.total, `${sort}: each once`);
    assert.deepEqual(desc.numbers, byLimit.numbers, `${sort}: the kept order is the list's`);
    assert.deepEqual(asc.numbers, [...desc.numbers].reverse(), `${sort}: asc is desc reversed`);
  }
});

test('a filtered list and a date range page the same way', async () => {
  const [month] = await a.rows(
    `SELECT strftime(min(first_call_at), '%Y-%m-%d') AS d FROM victims WHERE country = 'GB'`,
  );
  const f = { ...none, country: 'GB', from: String(month?.d), to: '2100-01-01' };
  const kept = await allPages(f, 'harm', 'desc', 0);
  const byLimit = await allPages(f, 'harm', 'desc', 1e9);
  assert.ok(kept.total > PAGE_SIZE);
  assert.deepEqual(kept.numbers, byLimit.numbers);
  assert.ok(kept.numbers.every((n) => n.startsWith('+44')));
});

test('a page past the last is not found', async () => {
  const { total } = await victimsPage(a, memo(), none, null, { sort: 'harm', dir: 'desc' }, 1);
  await assert.rejects(
    victimsPage(
      a,
      memo(),
      none,
      null,
      { sort: 'harm', dir: 'desc' },
      pageCount(total, PAGE_SIZE) + 1,
    ),
    { code: 'NOT_FOUND' },
  );
});
