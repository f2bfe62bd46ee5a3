/**
 * Cross-reference: identifiers from other investigations (a watchlist CSV `type,value,source`)
 * matched against everything in the case. Numbers are normalised first (international form, or
 * `00…`; a national number without a country cannot be matched and says so). Every watchlist
 * row comes back: with its hits, or with why it matched nothing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { normaliseNumber } from '../numbers/normalise.ts';
import { UnspoofError } from '../shared/errors.ts';
import { readSql, sqlString } from '../shared/sql.ts';

const TYPES: Record<string, string> = {
  number: 'number',
  phone: 'number',
  email: 'email',
  wallet: 'wallet',
  btc: 'wallet',
  btc_address: 'wallet',
  ip: 'ip',
  handle: 'handle',
  telegram: 'handle',
  username: 'handle',
};

export interface XrefRow {
  line: number;
  type: string;
  value: string;
  source: string;
  status: string;
  matched_as: string | null;
  accounts: string | null;
  victim_tier: string | null;
  calls: number | null;
  first_seen: string | null;
  last_seen: string | null;
}

/** The canonical type of a watchlist entry (as written when unknown). */
function canonicalType(type: string): string | undefined {
  return TYPES[type.trim().toLowerCase()];
}

/** The canonical form of a watchlist value, or why it has none. */
export function canonical(type: string, value: string): { norm: string | null; status: string } {
  const t = canonicalType(type);
  const v = value.trim();
  if (!t) return { norm: null, status: 'unknown_type' };
  if (!v) return { norm: null, status: 'empty_value' };
  if (t === 'number') {
    const n = normaliseNumber(v, null);
    if (n.status === 'valid') return { norm: n.e164, status: 'ok' };
    return { norm: null, status: n.status === 'quarantine' ? n.reason : `${n.status}_number` };
  }
  if (t === 'email') return { norm: v.toLowerCase(), status: 'ok' };
  if (t === 'handle') return { norm: v.replace(/^@/, '').toLowerCase(), status: 'ok' };
  return { norm: v, status: 'ok' };
}

export async function crossReference(
  conn: DuckDBConnection,
  watchlist: string,
): Promise<XrefRow[]> {
  let raw: Array<{ type: string | null; value: string | null; source: string | null }>;
  try {
    raw = await queryRows(
      conn,
      `SELECT "type", "value", "source" FROM read_csv(${sqlString(watchlist)}, header = true, all_varchar = true,
         columns = {'type': 'VARCHAR', 'value': 'VARCHAR', 'source': 'VARCHAR'}, auto_detect = false, strict_mode = true)`,
    );
  } catch (e) {
    throw new UnspoofError(
      'FILE_UNREADABLE',
      `${watchlist}: not a CSV with the columns type,value,source (${(e as Error).message.split('\n')[0]})`,
    );
  }
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE _wl (line INTEGER, type VARCHAR, value VARCHAR, source VARCHAR, norm VARCHAR, status VARCHAR)',
  );
  const app = await conn.createAppender('_wl', 'main', 'temp');
  raw.forEach((r, i) => {
    const c = canonical(r.type ?? '', r.value ?? '');
    app.appendInteger(i + 2);
    app.appendVarchar(canonicalType(r.type ?? '') ?? r.type ?? '');
    app.appendVarchar(r.value ?? '');
    app.appendVarchar(r.source ?? '');
    if (c.norm === null) app.appendNull();
    else app.appendVarchar(c.norm);
    app.appendVarchar(c.status);
    app.endRow();
  });
  app.flushSync();
  app.closeSync();
  await conn.run(readSql(import.meta.url, 'match.sql'));
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT w.line, w.type, w.value, w.source,
       CASE WHEN w.status <> 'ok' THEN w.status WHEN h.line IS NULL THEN 'no_match' ELSE 'hit' END AS status,
       h.matched_as, h.accounts, h.victim_tier, h.calls,
       strftime(h.first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, strftime(h.last_seen, '%Y-%m-%dT%H:%M:%SZ') AS last_seen
     FROM _wl w LEFT JOIN _hits h USING (line) ORDER BY w.line, h.matched_as`,
  );
  await conn.run('DROP TABLE _wl; DROP TABLE _hits');
  return rows.map((r) => ({
    line: Number(r.line),
    type: String(r.type),
    value: String(r.value),
    source: String(r.source),
    status: String(r.status),
    matched_as: (r.matched_as as string | null) ?? null,
    accounts: (r.accounts as string | null) ?? null,
    victim_tier: (r.victim_tier as string | null) ?? null,
    calls: r.calls === null || r.calls === undefined ? null : Number(r.calls),
    first_seen: (r.first_seen as string | null) ?? null,
    last_seen: (r.last_seen as string | null) ?? null,
  }));
}
