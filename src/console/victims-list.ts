/**
 * The victims list, read from the analysis store: filtered (victims-where.sql; dates: called
 * within them, victims-list.sql), sorted by a column from a fixed list with the number's digits
 * last (unique, so the order is the same on every request), and paged by paging.ts's plan: a
 * page near either end by a short LIMIT, one in between from the list's order (where each
 * victim is in the table), made once per filter and sort and kept (the store does not change
 * while the console runs). Every query applies the caller's `scope` in SQL.
 */
import { z } from 'zod';
import type { PlainRow } from '../case/store.ts';
import { readNamedSql, readSql } from '../shared/sql.ts';
import type { Analysis } from '../readout/analysis.ts';
import { victimsTable } from '../readout/victims-table.ts';
import { PAGE_SIZE, type VictimFilter } from './data.ts';
import {
  keyColumns,
  NEAR_ROWS,
  orderBy,
  pagePlan,
  pageSlice,
  requirePage,
  reversed,
  type Memo,
  type OrderTerm,
} from './paging.ts';
import { victimCalls } from '../readout/victim-calls.ts';

const where = () => readSql(import.meta.url, 'sql/victims-where.sql');
const parts = () => readNamedSql(import.meta.url, 'sql/victims-list.sql');

export const VICTIM_SORTS = [
  'harm',
  'first_call',
  'last_call',
  'calls',
  'connected',
  'accounts',
] as const;
export type VictimSort = (typeof VICTIM_SORTS)[number];
export const VictimSortParam = z.enum(VICTIM_SORTS).default('harm').catch('harm');

/** What each sort reads as "desc" (its natural order), in words for the table's caption. */
export const SORT_WORDS: Record<VictimSort, [string, string]> = {
  harm: ['most harmed first', 'least harmed first'],
  first_call: ['latest first call first', 'earliest first call first'],
  last_call: ['latest last call first', 'earliest last call first'],
  calls: ['most calls first', 'fewest calls first'],
  connected: ['longest connected first', 'shortest connected first'],
  accounts: ['most accounts first', 'fewest accounts first'],
};

// Every key is a BIGINT that is never NULL, so a page's first row can be compared exactly.
const DIGITS = 'CAST(substr(number, 2) AS BIGINT)';
const RANK = `CASE tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END`;
const time = (col: string) => `coalesce(epoch_us(${col}), 0)`;
const count = (col: string) => `coalesce(CAST(${col} AS BIGINT), 0)`;
const most = (expr: string): OrderTerm[] => [
  { expr, desc: true },
  { expr: DIGITS, desc: true },
];

/** Each sort's order for `desc` (the natural one); `asc` is its exact reverse. */
const ORDERS: Record<VictimSort, OrderTerm[]> = {
  // Most harmed first, then the earliest called: who has waited longest for help.
  harm: [
    { expr: RANK, desc: false },
    { expr: time('first_call_at'), desc: false },
    { expr: DIGITS, desc: false },
  ],
  first_call: most(time('first_call_at')),
  last_call: most(time('last_call_at')),
  calls: most(count('calls')),
  connected: most(count('connected_seconds')),
  accounts: most(count('accounts')),
};

export interface VictimOrder {
  sort: VictimSort;
  dir: 'asc' | 'desc';
}

/** The filter's parameters, each used by victims-where.sql (and `called` for the dates). */
const filterParams = (f: VictimFilter, scope: string | null) => ({
  scope,
  country: f.country,
  tier: f.tier,
  brand: f.brand,
  from: f.from,
  to: f.to,
  review: f.review,
});

/** `WITH … listed AS (…)`: the filtered victims with their key columns `k0, k1, …` and `rid`. */
async function listed(a: Analysis, f: VictimFilter, terms: readonly OrderTerm[]): Promise<string> {
  const dated = f.from !== null || f.to !== null;
  const p = parts();
  const head = dated ? `${(await victimCalls(a)).trimEnd()},\n` : 'WITH ';
  return `${head}listed AS (
    SELECT ${[p.columns, 'rid', keyColumns(terms)].filter(Boolean).join(', ')}
      FROM ${await victimsTable(a, { rowid: true })} ${where()}
      ${dated ? p.called : ''}
  )\n`;
}

/** How many victims the filter keeps. */
async function total(a: Analysis, f: VictimFilter, scope: string | null): Promise<number> {
  const [row] = await a.rows(
    `${await listed(a, f, [])}SELECT count(*) AS n FROM listed`,
    filterParams(f, scope),
  );
  return Number(row?.n ?? 0);
}

/** Where each victim the filter keeps is in the table (`rid`), in the order of `terms`. */
async function orderedRows(
  a: Analysis,
  f: VictimFilter,
  scope: string | null,
  terms: readonly OrderTerm[],
): Promise<Int32Array> {
  const sql = `${await listed(a, f, terms)}SELECT rid FROM listed ORDER BY ${orderBy(terms)}`;
  const params = filterParams(f, scope);
  return a.read(async (conn) => {
    const reader = await conn.runAndReadAll(sql, params as Record<string, string | boolean | null>);
    return Int32Array.from((reader.getColumnsJS()[0] ?? []) as number[]);
  });
}

/** The victims at `rids` (their places in the table), in that order. */
async function rowsAt(a: Analysis, rids: Int32Array): Promise<PlainRow[]> {
  if (rids.length === 0) return [];
  return a.rows(
    `SELECT ${parts().columns}
       FROM (SELECT unnest(CAST($rids AS INTEGER[])) AS rid,
                    generate_subscripts(CAST($rids AS INTEGER[]), 1) AS place) AS page
       JOIN ${await victimsTable(a, { rowid: true })} USING (rid)
      ORDER BY place`,
    { rids: JSON.stringify(Array.from(rids)) },
  );
}

/**
 * One page of the filtered victims in `order`, and how many the filter keeps; a page past the
 * last is refused (404 NOT_FOUND). `memo` keeps the count and the list's order (paging.ts).
 * Asking for a page also starts making the order in the background, so that the analyst's
 * next, deeper page finds it made.
 */
export async function victimsPage(
  a: Analysis,
  memo: Memo,
  f: VictimFilter,
  scope: string | null,
  order: VictimOrder,
  page: number,
  near = NEAR_ROWS,
): Promise<{ rows: PlainRow[]; total: number }> {
  const filterKey = `${scope ?? ''}|${JSON.stringify(f)}`;
  const n = await memo(`victims:count|${filterKey}`, () => total(a, f, scope));
  requirePage(page, n, PAGE_SIZE);
  const natural = ORDERS[order.sort];
  const ordered = memo(`victims:order|${filterKey}|${order.sort}`, () =>
    orderedRows(a, f, scope, natural),
  );
  const plan = pagePlan(page, n, PAGE_SIZE, near);
  if (plan.kind === 'ordered') {
    const rids = await ordered;
    const { from, to } = pageSlice(page, n, PAGE_SIZE, order.dir === 'asc');
    const slice = rids.slice(from, to);
    return { rows: await rowsAt(a, order.dir === 'asc' ? slice.reverse() : slice), total: n };
  }
  // Made for the next page; a failure shows there, not here.
  ordered.catch(() => undefined);
  const terms = order.dir === 'desc' ? natural : reversed(natural);
  const rows = await a.rows(
    `${await listed(a, f, terms)}SELECT ${parts().columns} FROM listed
      ORDER BY ${orderBy(plan.reverse ? reversed(terms) : terms)}
      LIMIT ${plan.limit} OFFSET ${plan.offset}`,
    filterParams(f, scope),
  );
  return { rows: plan.reverse ? rows.reverse() : rows, total: n };
}
