/** What a case holds: its files, its record counts, its quarantine and calls by country. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readSql } from '../shared/sql.ts';
import { queryRows } from './store.ts';

export interface CaseInfo {
  synthetic: boolean;
  totals: Record<string, number | string | null>;
  files: Array<{
    file: string;
    kind: string;
    format: string;
    sha256: string;
    rows: number;
    loaded: number;
    quarantined: number;
    ingested_at: string;
  }>;
  quarantine: Record<string, number>;
  dialed_countries: Array<{ country: string; calls: number; numbers: number }>;
}

const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : (v as number));

export async function caseInfo(conn: DuckDBConnection): Promise<CaseInfo> {
  const [totals] = await queryRows(conn, readSql(import.meta.url, 'info.sql'));
  const files = await queryRows(
    conn,
    `SELECT name AS file, kind, format, sha256, rows, loaded, quarantined,
            strftime(ingested_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at
       FROM files ORDER BY file_id`,
  );
  const reasons = await queryRows<{ reason: string; n: bigint }>(
    conn,
    'SELECT reason, count(*) AS n FROM quarantine GROUP BY reason ORDER BY n DESC, reason',
  );
  const countries = await queryRows(
    conn,
    `SELECT coalesce(dialed_country, dialed_status) AS country, count(*) AS calls, count(DISTINCT dialed_digits) AS numbers
       FROM call_rows GROUP BY ALL ORDER BY calls DESC, country`,
  );
  const synthetic = await queryRows(conn, `SELECT value FROM case_meta WHERE key = 'synthetic'`);
  return {
    synthetic: synthetic.length > 0,
    totals: Object.fromEntries(
      Object.entries(totals ?? {}).map(([k, v]) => [
        k,
        typeof v === 'bigint' ? Number(v) : (v as number | string | null),
      ]),
    ),
    files: files.map((f) => ({
      file: String(f.file),
      kind: String(f.kind),
      format: String(f.format),
      sha256: String(f.sha256),
      rows: num(f.rows),
      loaded: num(f.loaded),
      quarantined: num(f.quarantined),
      ingested_at: String(f.ingested_at),
    })),
    quarantine: Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)])),
    dialed_countries: countries.map((c) => ({
      country: String(c.country),
      calls: num(c.calls),
      numbers: num(c.numbers),
    })),
  };
}
