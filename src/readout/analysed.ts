/** Read-outs need an analysis: a case that was only ingested says what to run. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { UnspoofError } from '../shared/errors.ts';

export async function requireAnalysis(conn: DuckDBConnection): Promise<void> {
  const rows = await queryRows(conn, `SELECT 1 FROM case_meta WHERE key = 'analysis'`);
  if (rows.length === 0) {
    throw new UnspoofError(
      'NOT_ANALYSED',
      'the case has not been analysed: run unspoof analyze --case … first',
    );
  }
}
