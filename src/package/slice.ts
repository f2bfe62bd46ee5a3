/**
 * One partner country's slice of the case, written as the package's tables (CSV and Parquet,
 * straight from DuckDB, so a country of millions of calls never passes through JavaScript) and
 * read back as the small rows the MISP, FollowTheMoney and CASE/UCO writers need. What goes in
 * and what stays out is docs/package.md's; sql/slice.sql applies it.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { readNamedSql, sqlString } from '../shared/sql.ts';
import type { SliceCrew, SliceFile, SliceLink, SlicePayment, SliceSuspect } from './slice-types.ts';

const SQL = readNamedSql(import.meta.url, 'sql/slice.sql');

/** The package's tables, in the order they are written. */
export const TABLES = [
  'suspects',
  'accounts',
  'payments',
  'logins',
  'calls',
  'crews',
  'links',
  'victims',
] as const;

/**
 * The key of a country's pseudonyms: the same victim or account has the same pseudonym in every
 * package to that country (a partner can follow it from one package to the next) and a
 * different one in another country's, so two partners cannot join theirs.
 */
export function pseudonymKey(sealKey: Buffer, country: string): Buffer {
  return crypto.createHmac('sha256', sealKey).update(`package-pseudonym/${country}`).digest();
}

/** HMAC-SHA256's inner and outer pads of a 32-byte key (RFC 2104), hex, for sql/slice.sql. */
function pads(key: Buffer): { ipad: string; opad: string } {
  const block = Buffer.alloc(64);
  key.copy(block);
  const xor = (b: number) => Buffer.from(block.map((x) => x ^ b)).toString('hex');
  return { ipad: xor(0x36), opad: xor(0x5c) };
}

/** A value's pseudonym as sql/slice.sql makes it (for tests and the docs' example). */
export const pseudonym = (key: Buffer, value: string): string =>
  `p-${crypto.createHmac('sha256', key).update(value).digest('hex').slice(0, 20)}`;

/** Makes the slice's temp tables on `conn` (a read-only connection to the analysis). */
export async function makeSlice(
  conn: DuckDBConnection,
  country: string,
  key: Buffer,
): Promise<void> {
  const { ipad, opad } = pads(key);
  await conn.run(`SET VARIABLE pkg_country = ${sqlString(country)}`);
  await conn.run(`SET VARIABLE pkg_ipad = ${sqlString(ipad)}`);
  await conn.run(`SET VARIABLE pkg_opad = ${sqlString(opad)}`);
  for (const step of ['pseudonym', 'accounts', 'suspects', 'payments', 'logins', 'calls'] as const)
    await conn.run(SQL[step] as string);
  for (const step of ['victims', 'crews', 'links'] as const) await conn.run(SQL[step] as string);
}

/** Writes every table as `tables/<name>.csv` and `.parquet` under `dir`; returns row counts. */
export async function writeTables(
  conn: DuckDBConnection,
  dir: string,
): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const t of TABLES) {
    const base = path.join(dir, 'tables', t);
    // Times in UTC, written as ISO 8601 with the offset: what every spreadsheet reads.
    await conn.run(
      `COPY pkg_${t} TO ${sqlString(`${base}.csv`)} (HEADER, DELIMITER ',', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%SZ')`,
    );
    await conn.run(
      `COPY pkg_${t} TO ${sqlString(`${base}.parquet`)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const [n] = await queryRows<{ n: bigint }>(conn, `SELECT count(*) AS n FROM pkg_${t}`);
    counts[t] = Number(n?.n ?? 0);
  }
  return counts;
}

const text = (v: unknown): string | null =>
  v == null ? null : v instanceof Date ? v.toISOString() : String(v);

/** The rows the partner formats are made from (bounded: accounts, payments, crews, links). */
export async function sliceRows(conn: DuckDBConnection): Promise<{
  suspects: SliceSuspect[];
  payments: SlicePayment[];
  crews: SliceCrew[];
  links: SliceLink[];
}> {
  const suspects = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT a.*, s.score, s.priority, s.calls, s.likely_victims + s.harmed_victims AS victims,
       coalesce((SELECT list(DISTINCT l.ip ORDER BY l.ip) FROM pkg_logins l
                 WHERE l.account_id = a.account_id AND nullif(trim(l.ip), '') IS NOT NULL), []) AS ips
     FROM pkg_accounts a JOIN pkg_suspects s USING (account_id) ORDER BY a.account_id`,
  );
  const payments = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT payment_id, account_id, paid_at, CAST(amount_btc AS VARCHAR) AS amount_btc,
       CAST(amount AS VARCHAR) AS amount, currency,
       CAST(value_gbp AS VARCHAR) AS value_gbp, btc_address, txid FROM pkg_payments`,
  );
  const crews = await queryRows<Record<string, unknown>>(
    conn,
    'SELECT crew_id, account_id, crew_size FROM pkg_crews',
  );
  const links = await queryRows<Record<string, unknown>>(conn, 'SELECT * FROM pkg_links');
  return {
    suspects: suspects.map((r) => ({
      account_id: String(r.account_id),
      username: text(r.username),
      email: text(r.email),
      phone: text(r.phone),
      telegram: text(r.telegram),
      declared_country: text(r.declared_country),
      jurisdiction_basis: String(r.jurisdiction_basis ?? ''),
      jurisdiction_strength: String(r.jurisdiction_strength ?? ''),
      created_at: text(r.created_at),
      plan: text(r.plan),
      score: Number(r.score),
      priority: String(r.priority ?? ''),
      calls: Number(r.calls),
      victims: Number(r.victims),
      ips: (r.ips as string[]).map(String),
    })),
    payments: payments.map((r) => ({
      payment_id: String(r.payment_id),
      account_id: String(r.account_id),
      paid_at: text(r.paid_at) as string,
      amount_btc: text(r.amount_btc),
      amount: text(r.amount),
      currency: text(r.currency),
      value_gbp: text(r.value_gbp),
      btc_address: text(r.btc_address),
      txid: text(r.txid),
    })),
    crews: crews.map((r) => ({
      crew_id: String(r.crew_id),
      account_id: String(r.account_id),
      crew_size: Number(r.crew_size),
    })),
    links: links.map((r) => ({
      account_a: String(r.account_a),
      account_b: String(r.account_b),
      other_country: text(r.other_country),
      type: String(r.type),
      value: String(r.value),
      first_seen: text(r.first_seen),
      last_seen: text(r.last_seen),
    })),
  };
}

/** The seized files the case was made from. */
export async function seizedFiles(conn: DuckDBConnection): Promise<SliceFile[]> {
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT file_id, name, kind, sha256, bytes, loaded, quarantined, ingested_at FROM files
     ORDER BY file_id`,
  );
  return rows.map((r) => ({
    file_id: Number(r.file_id),
    name: String(r.name),
    kind: String(r.kind),
    sha256: String(r.sha256),
    bytes: Number(r.bytes),
    rows_loaded: Number(r.loaded),
    rows_quarantined: Number(r.quarantined),
    ingested_at: text(r.ingested_at) as string,
  }));
}
