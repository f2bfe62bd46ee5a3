/**
 * The console's paging rule, shared by every list that can grow (victims, a victim's calls,
 * crews, suspects): pages are numbered from 1; a list with no rows has one page (that says so);
 * a page past the last is not found (404 `NOT_FOUND`), never an empty "page N of M". Sorting is
 * by a column from a fixed list (zod), always ending with a unique column, so that the order,
 * and so every page, is the same from one request to the next.
 *
 * Deep pages: an `OFFSET` makes the database sort every row before it to skip them, and a
 * keyset seek still reads every row of a million to find the next fifty. `pagePlan` answers a
 * page near either end with a short `LIMIT` (the tail read in the reverse order), and a page
 * in between from the list's order: where each of its rows is in the table, found once per
 * list (filter and sort; the reverse order is the same read backwards) and kept (`Memo`), so
 * a page is fifty rows fetched by their places.
 */
import { z } from 'zod';
import type { PlainRow } from '../case/store.ts';
import { html, type Html } from '../shared/html.ts';
import { UnspoofError } from '../shared/errors.ts';

/** How many pages a list of `total` rows has: at least one. */
export const pageCount = (total: number, size: number): number =>
  Math.max(1, Math.ceil(total / size));

/** Refuses a page past the last (404 `NOT_FOUND`); page 1 always exists. */
export function requirePage(page: number, total: number, size: number): void {
  const pages = pageCount(total, size);
  if (page > pages)
    throw new UnspoofError(
      'NOT_FOUND',
      `there is no page ${page.toLocaleString('en-GB')}: the list has ${pages.toLocaleString('en-GB')}`,
    );
}

/**
 * One page of a list whose rows carry their list's length (`count(*) OVER () AS total`), and
 * that length; past the last page no row carries it, so the first row is read for it. A page
 * past the last is refused (404 `NOT_FOUND`).
 */
export async function countedPage(
  read: (limit: number, offset: number) => Promise<PlainRow[]>,
  page: number,
  size: number,
): Promise<{ rows: PlainRow[]; total: number }> {
  const rows = await read(size, (page - 1) * size);
  const first = rows[0] ?? (page > 1 ? (await read(1, 0))[0] : undefined);
  const total = Number(first?.total ?? 0);
  requirePage(page, total, size);
  return { rows, total };
}

/** `dir` of a sortable list: `desc` is each sort's natural order (most, latest first). */
// `default` for an absent value (the common case) costs nothing; `catch` only for a bad one,
// which builds a validation error.
export const SortDir = z.enum(['asc', 'desc']).default('desc').catch('desc');

/**
 * A sortable column's header: a link that sorts by it (its natural order first, the reverse
 * when it is the current sort), with `aria-sort` saying which column sorts the list and how.
 */
export function sortHeader(
  path: string,
  query: Record<string, string | null>,
  current: { sort: string; dir: 'asc' | 'desc' },
  col: string,
  label: string,
): Html {
  const on = current.sort === col;
  const dir = on && current.dir === 'desc' ? 'asc' : 'desc';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, sort: col, dir })) if (v) q.set(k, v);
  return html`<th
    scope="col"
    aria-sort="${on ? (current.dir === 'desc' ? 'descending' : 'ascending') : 'none'}"
  >
    <a href="${path}?${q.toString()}">${label}</a>
  </th>`;
}

/** Something computed once and kept (counts, a list's order): the console's `Caches.memo`. */
export type Memo = <T>(key: string, make: () => Promise<T>) => Promise<T>;

/**
 * One term of an order: a SQL expression that is never NULL (so that a row's place can be
 * compared), named `k0, k1, …` in the relation the plan reads. The last term must be unique.
 */
export interface OrderTerm {
  expr: string;
  desc: boolean;
}

/** The terms in the reverse order. */
export const reversed = (terms: readonly OrderTerm[]): OrderTerm[] =>
  terms.map((t) => ({ ...t, desc: !t.desc }));

/** `ORDER BY` over the key columns `k0, k1, …` of `terms`. */
export const orderBy = (terms: readonly OrderTerm[]): string =>
  terms.map((t, i) => `k${i} ${t.desc ? 'DESC' : 'ASC'}`).join(', ');

/** The key columns of `terms` as a select list: `expr AS k0, …`. */
export const keyColumns = (terms: readonly OrderTerm[]): string =>
  terms.map((t, i) => `${t.expr} AS k${i}`).join(', ');

/**
 * How to read one page: `limit`/`offset` in the list's order (`reverse`: in the reverse order,
 * rows to be turned round), or from the list's order, made once and kept (`ordered`).
 */
export type Plan =
  { kind: 'offset'; limit: number; offset: number; reverse: boolean } | { kind: 'ordered' };

/** Up to this many rows are skipped with OFFSET: a sort of the first few thousand is cheap. */
export const NEAR_ROWS = 5_000;

/** The plan for `page` (which exists) of a list of `total` rows. */
export function pagePlan(page: number, total: number, size: number, near = NEAR_ROWS): Plan {
  const offset = (page - 1) * size;
  if (offset <= near) return { kind: 'offset', limit: size, offset, reverse: false };
  const after = total - offset; // rows from this page's first to the end
  if (after <= near + size) {
    const limit = Math.min(size, after);
    return { kind: 'offset', limit, offset: after - limit, reverse: true };
  }
  return { kind: 'ordered' };
}

/**
 * Where `page` lies in a list of `total` rows kept in its natural order: `[from, to)`; for the
 * reverse order (`reverse`), the same page counted from the end (its rows then turned round).
 */
export function pageSlice(
  page: number,
  total: number,
  size: number,
  reverse: boolean,
): { from: number; to: number } {
  const start = (page - 1) * size;
  const end = Math.min(total, start + size);
  return reverse ? { from: total - end, to: total - start } : { from: start, to: end };
}
