/**
 * The offline IP databases (docs/ip-intelligence.md), from the npm registry in their CSV forms:
 * `@ip-location-db/geo-whois-asn-country` (country) and `@ip-location-db/asn` (autonomous system
 * and its organisation). Their version is the day they were built (`2.3.YYYYMMDDHH`), recorded
 * with each analysis. Read by DuckDB straight into range tables in the one 128-bit space of
 * address.ts, so every address is looked up in one ASOF join.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../shared/sql.ts';
import { IPV4_BASE } from './address.ts';

const require = createRequire(import.meta.url);

export interface IpDatabase {
  package: string;
  version: string;
  /** The day the database was built (from its version), ISO. */
  built: string | null;
}

function packageDir(name: string): { dir: string; db: IpDatabase } {
  const pj = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(pj, 'utf8')) as { version: string };
  const m = /\.(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  return {
    dir: path.dirname(pj),
    db: { package: name, version, built: m ? `${m[1]}-${m[2]}-${m[3]}` : null },
  };
}

const COUNTRY = '@ip-location-db/geo-whois-asn-country';

/** The country database's CSV of one family (numbers form: first,last,country). */
export function countryCsv(family: 4 | 6): string {
  return path.join(packageDir(COUNTRY).dir, `geo-whois-asn-country-ipv${family}-num.csv`);
}
const ASN = '@ip-location-db/asn';

/**
 * Makes `_geo (first_ip, last_ip, country)` and `_asn (first_ip, last_ip, asn, org)` (temp) and
 * says which databases they are.
 */
export async function loadDatabases(conn: DuckDBConnection): Promise<IpDatabase[]> {
  const geo = packageDir(COUNTRY);
  const asn = packageDir(ASN);
  const read = (file: string, cols: string, v4: boolean) =>
    `SELECT CAST(a AS UHUGEINT) + ${v4 ? IPV4_BASE : 0n} AS first_ip,
            CAST(b AS UHUGEINT) + ${v4 ? IPV4_BASE : 0n} AS last_ip, * EXCLUDE (a, b)
     FROM read_csv(${sqlString(file)}, header = false, quote = '"', columns = {${cols}})`;
  const geoCols = `'a': 'VARCHAR', 'b': 'VARCHAR', 'country': 'VARCHAR'`;
  const asnCols = `'a': 'VARCHAR', 'b': 'VARCHAR', 'asn': 'BIGINT', 'org': 'VARCHAR'`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE _geo AS
    ${read(path.join(geo.dir, 'geo-whois-asn-country-ipv4-num.csv'), geoCols, true)}
    UNION ALL ${read(path.join(geo.dir, 'geo-whois-asn-country-ipv6-num.csv'), geoCols, false)}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE _asn AS
    ${read(path.join(asn.dir, 'asn-ipv4-num.csv'), asnCols, true)}
    UNION ALL ${read(path.join(asn.dir, 'asn-ipv6-num.csv'), asnCols, false)}`);
  return [geo.db, asn.db];
}
