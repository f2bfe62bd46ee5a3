/**
 * Normalises the distinct (number, context country) pairs of a staged column: DuckDB finds the
 * distinct pairs and rewrites each to the international form libphonenumber-js would read
 * (sql/number-candidates.sql), the memoised normaliser resolves each distinct international
 * form once, and the result goes back as a lookup table that the checks join.
 *
 * The rewrite is the fast path, and it never changes an answer: `+…` and context-free `00…`
 * numbers are exactly what `normaliseNumber` parses; a national number rewritten with its
 * country's code (`07400 123456` in GB → `+447400123456`, `0044 …` → `+44…`, `447400123456`
 * when too long to be a national number → `+447400123456`) is trusted only when that form is
 * valid, and everything else (other characters, an invalid rewrite, other countries) goes
 * through `normaliseNumber` itself. `numbers.test.ts` checks this against libphonenumber-js.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { UnspoofError } from '../shared/errors.ts';
import { Metadata, type CountryCode } from 'libphonenumber-js/max';
import { normaliseMany, type Flat, type Normaliser } from '../numbers/many.ts';
import { normaliseInternationalFile } from '../numbers/international-file.ts';
import { stripNumber } from '../numbers/normalise.ts';
import { routeCountry } from '../numbers/route.ts';
import type { NumberingPlan } from '../numbers/fast.ts';
import { readsWithoutPlus } from '../numbers/without-plus.ts';
import { readSql, sqlString } from '../shared/sql.ts';

export type { Normaliser };

/**
 * Context countries whose national forms are rewritten in SQL; a country is listed only once
 * the property test covers it. What each rewrite may do comes from libphonenumber-js's own
 * metadata (`ruleRows`): the calling code, whether the national prefix is `0`, whether the
 * international prefix is `00`, the longest national number, and NANP membership.
 */
export const FAST_COUNTRIES: readonly string[] = [
  'GB',
  'US',
  'CA',
  'NL',
  'AU',
  'FR',
  'IE',
  'DE',
  'RO',
  'NG',
  'ES',
];

/**
 * Creates `table (raw, ctx, e164, country, status, reason)` from `keysSql`, which must return
 * distinct `raw, ctx` (ctx: a country code or '' for none). `alongside`, when given, is a
 * statement that does not depend on the numbers: DuckDB runs it on its own threads while this
 * thread normalises the international forms, so neither waits for the other.
 */
export async function normaliseInto(
  conn: DuckDBConnection,
  normalise: Normaliser,
  keysSql: string,
  table: string,
  alongside?: string,
): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE _k AS ${keysSql}`);
  await ensureRules(conn);
  await conn.run(readSql(import.meta.url, 'sql/number-candidates.sql'));
  await conn.run('DROP TABLE _k');

  // 1. Each distinct international form, once (numbers/international-file.ts). A million of
  //    them cross between DuckDB and this thread as files in DuckDB's own scratch folder (the
  //    case's), each way in a fraction of what reading them as values (0.9 s) and appending the
  //    answers row by row (1.3–2 s) cost; the answers are written while DuckDB runs `alongside`.
  const dir = await scratchDir(conn);
  const id = randomUUID();
  const candFile = path.join(dir, `${id}-cands.csv`);
  const answerFile = path.join(dir, `${id}-answers.csv`);
  try {
    await conn.run(
      `COPY (SELECT DISTINCT cand FROM _kc WHERE cand IS NOT NULL) TO ${sqlString(candFile)} (FORMAT csv, HEADER false)`,
    );
    const running = alongside === undefined ? undefined : conn.run(alongside);
    // Settled before anything else uses the connection, whether normalising fails or not.
    const normalised = await Promise.allSettled([
      Promise.resolve().then(() => {
        const n = normaliseInternationalFile(candFile, answerFile);
        if (n === null) {
          throw new UnspoofError('INTERNAL', 'numbers: a rewritten form is not + and digits');
        }
        return n;
      }),
      running,
    ]);
    for (const r of normalised) if (r.status === 'rejected') throw r.reason;
    const expected = (normalised[0] as PromiseFulfilledResult<number>).value;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE _cr AS SELECT * FROM read_csv(${sqlString(answerFile)},
         header = false, auto_detect = false, quote = '', escape = '',
         columns = {'cand': 'VARCHAR', 'e164': 'VARCHAR', 'country': 'VARCHAR', 'status': 'VARCHAR', 'reason': 'VARCHAR'})`,
    );
    const [count] = await queryRows<{ n: bigint }>(conn, 'SELECT count(*) AS n FROM _cr');
    if (Number(count?.n ?? -1) !== expected) {
      throw new UnspoofError('INTERNAL', `numbers: ${expected} answers written, ${count?.n} read`);
    }
  } finally {
    fs.rmSync(candFile, { force: true });
    fs.rmSync(answerFile, { force: true });
  }

  // 2. The reference path for what the rewrite could not answer.
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE _slow (raw VARCHAR, ctx VARCHAR, e164 VARCHAR, country VARCHAR, status VARCHAR, reason VARCHAR)',
  );
  const slow = await conn.runAndReadAll(
    `SELECT k.raw, k.ctx, k.without_plus FROM _kc k LEFT JOIN _cr c ON c.cand = k.cand
      WHERE k.cand IS NULL OR k.without_plus OR (k.national AND c.status <> 'valid')`,
  );
  const [allRaws = [], allCtxs = [], withoutPlus = []] = slow.getColumnsJS() as [
    string[],
    string[],
    boolean[],
  ];
  const raws: string[] = [];
  const ctxs: string[] = [];
  for (let i = 0; i < allRaws.length; i++) {
    const [raw, ctx] = [allRaws[i] as string, allCtxs[i] as string];
    if (withoutPlus[i] && readsWithoutPlus(stripNumber(raw) ?? '', ctx)) continue;
    raws.push(raw);
    ctxs.push(ctx);
  }
  await append(conn, '_slow', raws, ctxs, await normaliseMany(raws, ctxs, normalise));

  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT k.raw, k.ctx,
       CASE WHEN s.raw IS NULL THEN c.e164 ELSE s.e164 END AS e164,
       CASE WHEN s.raw IS NULL THEN c.country ELSE s.country END AS country,
       CASE WHEN s.raw IS NULL THEN c.status ELSE s.status END AS status,
       CASE WHEN s.raw IS NULL THEN c.reason ELSE s.reason END AS reason
     FROM _kc k
     LEFT JOIN _slow s ON s.raw = k.raw AND s.ctx = k.ctx
     LEFT JOIN _cr c ON c.cand = k.cand;
     DROP TABLE _kc; DROP TABLE _cr; DROP TABLE _slow;`,
  );
}

/** DuckDB's scratch folder (for a case, its own `.duckdb-tmp`), made if it is not there yet. */
async function scratchDir(conn: DuckDBConnection): Promise<string> {
  const [row] = await queryRows<{ dir: string }>(
    conn,
    "SELECT current_setting('temp_directory') AS dir",
  );
  const dir = path.resolve(row?.dir || '.tmp');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** `(ctx, cc, nanp, trunk0, idd00, maxlen)` for each fast country, from the metadata. */
export function ruleRows(): Array<[string, string, boolean, boolean, boolean, number]> {
  const metadata = new Metadata();
  return FAST_COUNTRIES.map((c) => {
    metadata.selectNumberingPlan(c as CountryCode);
    // The numbering plan's accessors exist at run time but are missing from the typings.
    const plan = metadata.numberingPlan as unknown as NumberingPlan;
    const cc = plan.callingCode();
    return [
      c,
      cc,
      cc === '1' && plan.nationalPrefix() === '1',
      plan.nationalPrefix() === '0',
      plan.IDDPrefix() === '00',
      Math.max(...(plan.possibleLengths() ?? [])),
    ];
  });
}

async function ensureRules(conn: DuckDBConnection): Promise<void> {
  const rows = ruleRows().map(
    ([c, cc, nanp, trunk0, idd00, maxlen]) =>
      `(${sqlString(c)}, ${sqlString(cc)}, ${nanp}, ${trunk0}, ${idd00}, ${maxlen})`,
  );
  await conn.run(
    `CREATE TEMP TABLE IF NOT EXISTS _nat AS SELECT * FROM (VALUES ${rows.join(', ')}) t(ctx, cc, nanp, trunk0, idd00, maxlen)`,
  );
}

/** Appends each value with its context and its result. */
async function append(
  conn: DuckDBConnection,
  table: string,
  raws: readonly string[],
  ctxs: readonly string[],
  results: readonly Flat[],
): Promise<void> {
  const appender = await conn.createAppender(table, 'main', 'temp');
  const opt = (v: string | null) =>
    v === null ? appender.appendNull() : appender.appendVarchar(v);
  for (let i = 0; i < raws.length; i++) {
    const [e164, country, status, reason] = results[i] as Flat;
    appender.appendVarchar(raws[i] as string);
    appender.appendVarchar(ctxs[i] ?? '');
    opt(e164);
    opt(country);
    appender.appendVarchar(status);
    opt(reason);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

/**
 * `_route_cc (route, cc, rule)`: the country each distinct route of `from` names, if any, and
 * the rule that names it (docs/switch-records.md §5) — the export's own mapping (`named`: the
 * mapping file's and export.json's `routes`) first, then the route's name by pattern.
 */
export async function routeCountries(
  conn: DuckDBConnection,
  from: string,
  named: Record<string, { cc: string; rule: string }> = {},
): Promise<void> {
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE _route_cc (route VARCHAR, cc VARCHAR, rule VARCHAR)',
  );
  const reader = await conn.runAndReadAll(
    `SELECT DISTINCT route FROM ${from} WHERE route IS NOT NULL`,
  );
  const appender = await conn.createAppender('_route_cc', 'main', 'temp');
  for (const [route] of reader.getRowsJS() as Array<[string]>) {
    const pattern = routeCountry(route);
    const found = named[route] ?? (pattern ? { cc: pattern, rule: 'pattern' } : null);
    appender.appendVarchar(route);
    if (found) {
      appender.appendVarchar(found.cc);
      appender.appendVarchar(found.rule);
    } else {
      appender.appendNull();
      appender.appendNull();
    }
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}
