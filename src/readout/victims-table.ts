/** The victims table of an analysis, as every reader outside the analysis reads it. */
import type { PlainRow } from '../case/store.ts';
import type { Analysis } from './analysis.ts';

const reviewColumns = new WeakMap<Analysis, Promise<boolean>>();

/**
 * The victims table to read: as it is, or, for an analysis made before numbers could need
 * review (no such columns), with none needing it; with `rowid`, also each row's `rid`. Looked
 * up once per analysis opened.
 */
export async function victimsTable(a: Analysis, opts: { rowid?: boolean } = {}): Promise<string> {
  let has = reviewColumns.get(a);
  if (!has) {
    has = a
      .rows(
        `SELECT count(*) AS n FROM duckdb_columns()
          WHERE table_name = 'victims' AND column_name IN ('needs_review', 'review_reason', 'alt_number')`,
      )
      .then((r) => Number(r[0]?.n) === 3);
    reviewColumns.set(a, has);
  }
  // `rid`: the row's place in the table (DuckDB's rowid), which a reader may fetch rows by.
  const rid = opts.rowid ? 'CAST(rowid AS INTEGER) AS rid, ' : '';
  if (await has) return opts.rowid ? `(SELECT ${rid}* FROM victims) AS victims` : 'victims';
  return `(SELECT ${rid}*, false AS needs_review, CAST(NULL AS VARCHAR) AS review_reason,
          CAST(NULL AS VARCHAR) AS alt_number FROM victims) AS victims`;
}

/** One victim's row (every column), if `number` is a victim within `scope` (a country or all). */
export async function victimRow(
  a: Analysis,
  number: string,
  scope: string | null,
): Promise<PlainRow | null> {
  const [v] = await a.rows(
    `SELECT * FROM ${await victimsTable(a)} WHERE number = $number AND ($scope IS NULL OR country = $scope)`,
    { number, scope },
  );
  return v ?? null;
}
