/**
 * A victim's calls a page at a time, for the victim's page: the calls that count for the number
 * (readout/victim-calls.ts), oldest first (sql/victim-calls-page.sql).
 */
import type { PlainRow } from '../case/store.ts';
import type { Analysis } from '../readout/analysis.ts';
import { victimCallsOf } from '../readout/victim-calls.ts';
import { readSql } from '../shared/sql.ts';
import { countedPage } from './paging.ts';

/** A victim's calls are listed this many a page. */
export const CALLS_PAGE_SIZE = 100;

/**
 * One page of the calls that count for `number` (victim-calls-page.sql), and how many there
 * are; a page past the last is refused (404 NOT_FOUND). A victim can have thousands of calls
 * (one had 11,285 at iSpoof's scale): each page sorts that victim's calls only.
 */
export async function victimCallsPage(
  a: Analysis,
  number: string,
  scope: string | null,
  page: number,
): Promise<{ rows: PlainRow[]; total: number }> {
  const sql = `${await victimCallsOf(a, [number])}${readSql(import.meta.url, 'sql/victim-calls-page.sql')}`;
  return countedPage(
    (limit, offset) => a.rows(sql, { scope, limit, offset }),
    page,
    CALLS_PAGE_SIZE,
  );
}
