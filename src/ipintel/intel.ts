/**
 * The analysis's IP step (docs/ip-intelligence.md): every distinct address of the logins and
 * payments is read once in JavaScript (address.ts), then placed by the offline databases and
 * matched against the lists in one SQL statement (sql/ip-intel.sql).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { readSql } from '../shared/sql.ts';
import { readIp } from './address.ts';
import { loadDatabases, type IpDatabase } from './databases.ts';

export async function ipIntel(conn: DuckDBConnection): Promise<IpDatabase[]> {
  const dbs = await loadDatabases(conn);
  const ips = await queryRows<{ ip: string }>(
    conn,
    `SELECT DISTINCT ip FROM (SELECT ip FROM logins UNION ALL SELECT ip FROM payments)
     WHERE nullif(trim(ip), '') IS NOT NULL`,
  );
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE _ip (ip VARCHAR, canonical VARCHAR, family TINYINT, num VARCHAR, range VARCHAR)',
  );
  const a = await conn.createAppender('_ip', 'main', 'temp');
  for (const { ip } of ips) {
    const r = readIp(ip);
    a.appendVarchar(ip);
    if (r) {
      a.appendVarchar(r.canonical);
      a.appendTinyInt(r.family);
      a.appendVarchar(r.num.toString());
      a.appendVarchar(r.range);
    } else {
      a.appendNull();
      a.appendNull();
      a.appendNull();
      a.appendVarchar('invalid');
    }
    a.endRow();
  }
  a.flushSync();
  a.closeSync();
  await conn.run(readSql(import.meta.url, 'sql/ip-intel.sql'));
  return dbs;
}
