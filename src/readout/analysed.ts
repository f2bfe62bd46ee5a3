/** Read-outs need an analysis: a case that was only ingested says what to run. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { openCase, queryRows } from '../case/store.ts';
import { UnspoofError } from '../shared/errors.ts';

/** Opens an analysed case, runs `read` on it, and closes it whatever happens. */
export async function withAnalysedCase<T>(
  caseDir: string,
  read: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const store = await openCase(caseDir);
  try {
    await requireAnalysis(store.conn);
    return await read(store.conn);
  } finally {
    store.close();
  }
}

export async function requireAnalysis(conn: DuckDBConnection): Promise<void> {
  const rows = await queryRows(conn, `SELECT 1 FROM case_meta WHERE key = 'analysis'`);
  if (rows.length === 0) {
    throw new UnspoofError(
      'NOT_ANALYSED',
      'the case has not been analysed: run unspoof analyze --case … first',
    );
  }
  // An analysis by a version before payments were valued and users placed (docs/money.md)
  // lacks what the read-outs and the console now read: it is run again, not half-read.
  const current = await queryRows(
    conn,
    `SELECT 1 FROM duckdb_tables() WHERE table_name IN ('payment_values', 'provider_requests')
       AND schema_name = 'main' HAVING count(*) = 2`,
  );
  if (current.length === 0) {
    throw new UnspoofError(
      'NOT_ANALYSED',
      'the case was analysed by an older version of unspoof: run unspoof analyze --case … again',
    );
  }
}
