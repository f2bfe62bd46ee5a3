/** The victims table of an analysis, as every reader outside the analysis reads it. */
import type { Analysis } from './analysis.ts';

const reviewColumns = new WeakMap<Analysis, Promise<boolean>>();

/**
 * The victims table to read: as it is, or, for an analysis made before numbers could need
 * review (no such columns), with none needing it. Looked up once per analysis opened.
 */
export async function victimsTable(a: Analysis): Promise<string> {
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
  return (await has)
    ? 'victims'
    : `(SELECT *, false AS needs_review, CAST(NULL AS VARCHAR) AS review_reason,
          CAST(NULL AS VARCHAR) AS alt_number FROM victims) AS victims`;
}
