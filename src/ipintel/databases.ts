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
 * Makes `_ip_country (first_ip, last_ip, country)` and `_ip_asn (first_ip, last_ip, asn, org)`
 * (temp tables) of the installed databases, and says which they are. They are read from the
 * CSVs and flattened once per installation and version (2.6 s at their size), then read from
 * the cache (0.3 s); a case does not keep a copy of its own.
 */
export async function loadDatabases(conn: DuckDBConnection): Promise<IpDatabase[]> {
  const geo = packageDir(COUNTRY);
  const asn = packageDir(ASN);
  const dbs = [geo.db, asn.db];
  if (!(await fromCache(conn, dbs))) await build(conn, geo.dir, asn.dir, dbs);
  return dbs;
}

/**
 * The flattened ranges are the same for every case of one installation: they are kept beside
 * the packages (node_modules/.cache/unspoof), one Parquet file per database version, written
 * to a temporary name and renamed, so a process never reads a half-written one. Parquet has no
 * 128-bit integer: an address is kept as its two 64-bit halves (as text it took 30 s to write).
 * No cache (a read-only installation): the ranges are built from the CSVs each time.
 */
function cachePath(dbs: readonly IpDatabase[], table: string): string {
  const dir = path.join(path.dirname(packageDir(ASN).dir), '..', '.cache', 'unspoof');
  const versions = dbs.map((d) => d.version).join('-');
  return path.join(dir, `${table.replace(/^_/, '')}-${versions}.parquet`);
}

const TABLES = ['_ip_country', '_ip_asn'] as const;

async function fromCache(conn: DuckDBConnection, dbs: readonly IpDatabase[]): Promise<boolean> {
  if (!TABLES.every((t) => fs.existsSync(cachePath(dbs, t)))) return false;
  const join = (half: string) =>
    `(CAST(${half}_hi AS UHUGEINT) << 64) | CAST(${half}_lo AS UHUGEINT) AS ${half}_ip`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE _ip_country AS
      SELECT ${join('first')}, ${join('last')}, country
      FROM read_parquet(${sqlString(cachePath(dbs, '_ip_country'))});
    CREATE OR REPLACE TEMP TABLE _ip_asn AS
      SELECT ${join('first')}, ${join('last')}, asn, org
      FROM read_parquet(${sqlString(cachePath(dbs, '_ip_asn'))});`);
  return true;
}

async function toCache(conn: DuckDBConnection, dbs: readonly IpDatabase[]): Promise<void> {
  try {
    for (const t of TABLES) {
      const file = cachePath(dbs, t);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      const split = (half: string) =>
        `CAST(${half}_ip >> 64 AS UBIGINT) AS ${half}_hi,
         CAST(${half}_ip & CAST(18446744073709551615 AS UHUGEINT) AS UBIGINT) AS ${half}_lo`;
      await conn.run(
        `COPY (SELECT ${split('first')}, ${split('last')}, * EXCLUDE (first_ip, last_ip) FROM ${t})
         TO ${sqlString(tmp)} (FORMAT parquet)`,
      );
      fs.renameSync(tmp, file);
    }
  } catch {
    // A read-only installation: the next case builds its ranges again.
  }
}

async function build(
  conn: DuckDBConnection,
  geoDir: string,
  asnDir: string,
  dbs: readonly IpDatabase[],
): Promise<void> {
  const read = (file: string, cols: string, v4: boolean) =>
    `SELECT CAST(a AS UHUGEINT) + ${v4 ? IPV4_BASE : 0n} AS first_ip,
            CAST(b AS UHUGEINT) + ${v4 ? IPV4_BASE : 0n} AS last_ip, * EXCLUDE (a, b)
     FROM read_csv(${sqlString(file)}, header = false, quote = '"', columns = {${cols}})`;
  const [geo, asn] = [{ dir: geoDir }, { dir: asnDir }];
  const geoCols = `'a': 'VARCHAR', 'b': 'VARCHAR', 'country': 'VARCHAR'`;
  const asnCols = `'a': 'VARCHAR', 'b': 'VARCHAR', 'asn': 'BIGINT', 'org': 'VARCHAR'`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE _geo AS
    ${read(path.join(geo.dir, 'geo-whois-asn-country-ipv4-num.csv'), geoCols, true)}
    UNION ALL ${read(path.join(geo.dir, 'geo-whois-asn-country-ipv6-num.csv'), geoCols, false)}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE _asn AS
    ${read(path.join(asn.dir, 'asn-ipv4-num.csv'), asnCols, true)}
    UNION ALL ${read(path.join(asn.dir, 'asn-ipv6-num.csv'), asnCols, false)}`);
  await flatten(conn, '_geo', ['country']);
  await flatten(conn, '_asn', ['asn', 'org']);
  await conn.run(`CREATE OR REPLACE TEMP TABLE _ip_country AS SELECT * FROM _geo;
    CREATE OR REPLACE TEMP TABLE _ip_asn AS SELECT * FROM _asn;
    DROP TABLE _geo; DROP TABLE _asn;`);
  await toCache(conn, dbs);
}

/**
 * The databases nest a few ranges in others (651 of 550,668 in the country database; the
 * innermost one says where an address is). A range that starts before the furthest end of
 * those before it (one window over the sorted table) overlaps; the range that holds it is the
 * last one that overlaps nothing and starts before it (an ASOF join). Each such group is cut into
 * ranges that overlap no other, each the innermost range's (`innermost`); the rest are kept as
 * they are. After this a range an ASOF join finds is the only one that can hold an address.
 */
async function flatten(conn: DuckDBConnection, table: string, cols: string[]): Promise<void> {
  const list = cols.join(', ');
  await conn.run(`CREATE OR REPLACE TEMP TABLE _r AS
    SELECT *, coalesce(first_ip <= max(last_ip) OVER (ORDER BY first_ip, last_ip DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS nested
    FROM ${table};
    CREATE OR REPLACE TEMP TABLE _top AS SELECT * EXCLUDE (nested) FROM _r WHERE NOT nested;
    CREATE OR REPLACE TEMP TABLE _grp AS
    SELECT t.first_ip AS grp, n.first_ip, n.last_ip, ${cols.map((c) => `n.${c}`).join(', ')}
    FROM (SELECT * FROM _r WHERE nested) n ASOF JOIN _top t ON n.first_ip >= t.first_ip;
    INSERT INTO _grp SELECT t.first_ip, t.first_ip, t.last_ip, ${cols.map((c) => `t.${c}`).join(', ')}
    FROM _top t SEMI JOIN (SELECT DISTINCT grp FROM _grp) g ON g.grp = t.first_ip;`);
  const reader = await conn.runAndReadAll(
    `SELECT CAST(grp AS VARCHAR), CAST(first_ip AS VARCHAR), CAST(last_ip AS VARCHAR), ${list}
     FROM _grp ORDER BY grp, first_ip`,
  );
  const groups = new Map<string, Array<Range<unknown[]>>>();
  for (const r of reader.getRowsJS()) {
    const g = groups.get(String(r[0])) ?? [];
    g.push({ first: BigInt(String(r[1])), last: BigInt(String(r[2])), values: r.slice(3) });
    groups.set(String(r[0]), g);
  }
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _flat (f VARCHAR, l VARCHAR, ${cols.map((c) => `${c} VARCHAR`).join(', ')})`,
  );
  const a = await conn.createAppender('_flat', 'main', 'temp');
  for (const ranges of groups.values()) {
    for (const seg of innermost(ranges)) {
      a.appendVarchar(seg.first.toString());
      a.appendVarchar(seg.last.toString());
      for (const v of seg.values) {
        if (v === null || v === undefined) a.appendNull();
        else a.appendVarchar(String(v));
      }
      a.endRow();
    }
  }
  a.flushSync();
  a.closeSync();
  const typed = cols.map((c) => `CAST(${c} AS ${c === 'asn' ? 'BIGINT' : 'VARCHAR'}) AS ${c}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS
    SELECT first_ip, last_ip, ${list} FROM _top ANTI JOIN (SELECT DISTINCT grp FROM _grp) g
      ON g.grp = _top.first_ip
    UNION ALL
    SELECT CAST(f AS UHUGEINT), CAST(l AS UHUGEINT), ${typed.join(', ')} FROM _flat
    ORDER BY first_ip;
    DROP TABLE _r; DROP TABLE _top; DROP TABLE _grp; DROP TABLE _flat`);
}

interface Range<T> {
  first: bigint;
  last: bigint;
  values: T;
}

/** Overlapping ranges cut at every boundary; each piece is the smallest range's that holds it. */
export function innermost<T>(ranges: ReadonlyArray<Range<T>>): Array<Range<T>> {
  const cuts = [...new Set(ranges.flatMap((r) => [r.first, r.last + 1n]))].sort((x, y) =>
    x < y ? -1 : x > y ? 1 : 0,
  );
  const out: Array<Range<T>> = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const first = cuts[i]!;
    const last = cuts[i + 1]! - 1n;
    let best: Range<T> | undefined;
    for (const r of ranges) {
      if (
        r.first <= first &&
        last <= r.last &&
        (!best || r.last - r.first < best.last - best.first)
      )
        best = r;
    }
    if (!best) continue;
    const prev = out.at(-1);
    if (prev && prev.last + 1n === first && prev.values === best.values) prev.last = last;
    else out.push({ first, last, values: best.values });
  }
  return out;
}
