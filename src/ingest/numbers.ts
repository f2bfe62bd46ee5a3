/**
 * Normalises the distinct (number, context country) pairs of a staged column in one pass:
 * DuckDB finds the distinct pairs, the memoised normaliser resolves each once, and the result
 * goes back as a lookup table that the checks join.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createNormaliser, type Normalised } from '../numbers/normalise.ts';
import { isCountry, routeCountry } from '../numbers/route.ts';

export type Normaliser = ReturnType<typeof createNormaliser>;

/**
 * Creates `table (raw, ctx, e164, country, status, reason)` from `keysSql`, which must return
 * distinct `raw, ctx` (ctx: a country code or '' for none).
 */
export async function normaliseInto(
  conn: DuckDBConnection,
  normalise: Normaliser,
  keysSql: string,
  table: string,
): Promise<number> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (raw VARCHAR, ctx VARCHAR, e164 VARCHAR, country VARCHAR, status VARCHAR, reason VARCHAR)`,
  );
  const reader = await conn.runAndReadAll(keysSql);
  const columns = reader.getColumnsJS() as Array<Array<string | null>>;
  const raws = columns[0] ?? [];
  const ctxs = columns[1] ?? [];
  const appender = await conn.createAppender(table, 'main', 'temp');
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i];
    if (raw === null || raw === undefined) continue;
    const ctx = ctxs[i] ?? '';
    const r: Normalised = normalise(raw, isCountry(ctx) ? ctx : null);
    appender.appendVarchar(raw);
    appender.appendVarchar(ctx);
    if (r.e164 === null) appender.appendNull();
    else appender.appendVarchar(r.e164);
    if (r.country === null) appender.appendNull();
    else appender.appendVarchar(r.country);
    appender.appendVarchar(r.status);
    if (r.status === 'quarantine') appender.appendVarchar(r.reason);
    else appender.appendNull();
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
  return raws.length;
}

/** `_route_cc (route, cc)`: the country each distinct route names, if any. */
export async function routeCountries(conn: DuckDBConnection): Promise<void> {
  await conn.run('CREATE OR REPLACE TEMP TABLE _route_cc (route VARCHAR, cc VARCHAR)');
  const reader = await conn.runAndReadAll(
    'SELECT DISTINCT route FROM _src WHERE route IS NOT NULL',
  );
  const appender = await conn.createAppender('_route_cc', 'main', 'temp');
  for (const [route] of reader.getRowsJS() as Array<[string]>) {
    const cc = routeCountry(route);
    appender.appendVarchar(route);
    if (cc) appender.appendVarchar(cc);
    else appender.appendNull();
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}
