/**
 * Resolves numbers with evidence (docs/numbers.md): each distinct key — a raw value and its
 * evidence countries — gets its chosen reading, the rule that gave it, how sure that is and the
 * rival reading it rejected. The readings of each rank are declared once here (`Reading`): the
 * SQL that finds a key's first applicable reading and the SQL that lists all of them are both
 * written from the list, so they cannot disagree. Every reading is a (value, country) pair that
 * the normaliser answers (`normaliseInto`: the fast path, each distinct pair once).
 *
 * Dialled numbers are millions, so they are resolved in two passes: every key's first
 * applicable reading, then — only for keys whose first reading is not certain and that have
 * other readings of comparable strength, or whose first reading is not valid — the rest. The
 * account's reading (a guess) is only evaluated when no stronger one applies or is valid.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { queryRows } from '../case/store.ts';
import { readSql, sqlString } from '../shared/sql.ts';
import { normaliseInto, type Normaliser } from './numbers.ts';

export type Rule =
  'plus' | 'idd' | 'brand' | 'route' | 'presented' | 'format' | 'intl' | 'account' | 'none';
export type Confidence = 'certain' | 'probable' | 'guess';

/** One reading: when it applies (SQL on `_rk`'s columns) and the (value, country) it parses. */
interface Reading {
  rank: number;
  rule: Rule;
  conf: Confidence;
  when: string;
  value: string;
  ctx: string;
}

const NATIONAL = "form IN ('digits', 'idd011')";

/**
 * A value that is not digits and separators (`*97`, `anonymous`, `s`): the normaliser only says
 * what it is (withheld, special, unparseable, a service code), with no country to read it in.
 */
const OTHER: Reading[] = [
  { rank: 10, rule: 'plus', conf: 'certain', when: "form = 'other'", value: 'raw', ctx: "''" },
];

/** Ranks 1 and 2 of both lists: a number written with `+` or `00`, certain as it stands. */
const WRITTEN_OUT: Reading[] = [
  { rank: 1, rule: 'plus', conf: 'certain', when: "form = 'plus'", value: 's', ctx: "''" },
  {
    rank: 2,
    rule: 'idd',
    conf: 'certain',
    when: "form = 'idd00'",
    value: "'+' || s[3:]",
    ctx: "''",
  },
];

/** Dialled numbers, in the order docs/numbers.md gives them. */
export const DIALLED: readonly Reading[] = [
  ...WRITTEN_OUT,
  {
    rank: 3,
    rule: 'route',
    conf: 'probable',
    when: `${NATIONAL} AND r <> ''`,
    value: 's',
    ctx: 'r',
  },
  {
    rank: 4,
    rule: 'presented',
    conf: 'probable',
    when: `${NATIONAL} AND p <> '' AND p <> r`,
    value: 's',
    ctx: 'p',
  },
  {
    rank: 5,
    rule: 'format',
    conf: 'probable',
    when: "nanp AND r <> 'US' AND p <> 'US'",
    value: 's',
    ctx: "'US'",
  },
  {
    rank: 6,
    rule: 'idd',
    conf: 'probable',
    when: "form = 'idd011'",
    value: "'+' || s[4:]",
    ctx: "''",
  },
  { rank: 7, rule: 'intl', conf: 'probable', when: 'intl', value: "'+' || s", ctx: "''" },
  {
    rank: 8,
    rule: 'account',
    conf: 'guess',
    // The key carries A only when it has neither R nor P (calls-presented.sql).
    when: `${NATIONAL} AND a <> '' AND r = '' AND p = '' AND NOT (nanp AND a = 'US')`,
    value: 's',
    ctx: 'a',
  },
  ...OTHER,
];

/** Presented numbers (caller IDs): `brand` is the register's number its digits match. */
export const PRESENTED: readonly Reading[] = [
  ...WRITTEN_OUT,
  { rank: 3, rule: 'brand', conf: 'certain', when: 'brand IS NOT NULL', value: 'brand', ctx: "''" },
  {
    rank: 4,
    rule: 'route',
    conf: 'probable',
    when: `${NATIONAL} AND r <> ''`,
    value: 's',
    ctx: 'r',
  },
  { rank: 5, rule: 'intl', conf: 'probable', when: 'intl', value: "'+' || s", ctx: "''" },
  {
    rank: 6,
    rule: 'account',
    conf: 'guess',
    when: `${NATIONAL} AND a <> '' AND a <> r`,
    value: 's',
    ctx: 'a',
  },
  ...OTHER,
];

/** Which ranks give a rival reading: the probable ones that evidence, not a guess, gives. */
const RIVALS = { dialled: [3, 7], presented: [4, 5] } as const;

const sql = (name: string) => readSql(import.meta.url, `sql/${name}`);

/** Every applicable reading of the keys in `from` (a table or subquery with `_rk`'s columns). */
function allReadings(
  readings: readonly Reading[],
  from: string,
  where: (x: Reading) => string = () => 'true',
): string {
  return readings
    .map(
      (x) =>
        `SELECT k, ${x.rank} AS rank, ${x.value} AS v, ${x.ctx} AS ctx FROM ${from} WHERE (${x.when}) AND (${where(x)})`,
    )
    .join('\nUNION ALL\n');
}

/** The first applicable reading's rank, value and country: columns over `_rk`'s. */
function firstReading(readings: readonly Reading[]): string {
  const pick = (f: (x: Reading) => string) =>
    `CASE ${readings.map((x) => `WHEN ${x.when} THEN ${f(x)}`).join(' ')} END`;
  return `${pick((x) => String(x.rank))} AS frank, ${pick((x) => x.value)} AS fv,
    ${pick((x) => x.ctx)} AS fctx`;
}

async function ranksTable(conn: DuckDBConnection, readings: readonly Reading[]): Promise<void> {
  const rows = readings.map((x) => `(${x.rank}, ${sqlString(x.rule)}, ${sqlString(x.conf)})`);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _ranks AS SELECT * FROM (VALUES ${rows.join(', ')}) t(rank, rule, conf)`,
  );
}

/** Evaluates the readings `_rq (k, rank, v, ctx)` and appends them to `_rv`. */
async function evaluate(
  conn: DuckDBConnection,
  normalise: Normaliser,
  alongside?: string,
): Promise<void> {
  await normaliseInto(
    conn,
    normalise,
    'SELECT DISTINCT v AS raw, ctx FROM _rq WHERE v IS NOT NULL',
    '_rn',
    alongside,
  );
  await conn.run(
    `INSERT INTO _rv SELECT q.k, q.rank, n.e164, n.country, n.status, n.reason
       FROM _rq q JOIN _rn n ON n.raw = q.v AND n.ctx = q.ctx;
     DROP TABLE _rn; DROP TABLE _rq;`,
  );
}

async function choose(
  conn: DuckDBConnection,
  readings: readonly Reading[],
  rivals: readonly [number, number],
): Promise<void> {
  await ranksTable(conn, readings);
  await conn.run(`SET VARIABLE alt_lo = ${rivals[0]}; SET VARIABLE alt_hi = ${rivals[1]};`);
  await conn.run(sql('resolve-choose.sql'));
  await conn.run(
    'DROP TABLE _rv; DROP TABLE _ranks; RESET VARIABLE alt_lo; RESET VARIABLE alt_hi;',
  );
}

/**
 * `out (raw, ctx, e164, country, status, reason, rule, confidence, alt_e164)` for every key of
 * `_rk` (`ctx`: the key's own column `key`), from `_rch`.
 */
async function result(conn: DuckDBConnection, out: string, key: string): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${out} AS
     SELECT k.raw, k.${key} AS ctx, c.e164, c.country,
       coalesce(c.status, 'invalid') AS status, c.reason,
       coalesce(c.rule, 'none') AS rule, c.conf AS confidence, c.alt_e164
     FROM _rk k LEFT JOIN _rch c ON c.k = k.k;
     DROP TABLE _rch; DROP TABLE _rk;`,
  );
}

/**
 * Presented numbers: `keysSql` gives distinct `raw, r, a`; makes `out` with `ctx` = r || '|' ||
 * a. All readings of every key are evaluated at once: a case has few distinct caller IDs.
 */
export async function resolvePresented(
  conn: DuckDBConnection,
  normalise: Normaliser,
  keysSql: string,
  out: string,
): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _rk0 AS SELECT raw, r, '' AS p, a, r || '|' || a AS key FROM (${keysSql})`,
  );
  await conn.run('SET VARIABLE intl_digits = 11');
  await conn.run(sql('resolve-keys.sql'));
  await brandDigits(conn);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _rk AS
     SELECT k.*, b.e164 AS brand
     FROM _rk k LEFT JOIN _brand_digits b ON b.digits = k.s AND k.form = 'digits'
       -- A national form is the brand's only where the route names no other country.
       AND (NOT b.national OR k.r IN ('', b.country))`,
  );
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE _rv (k BIGINT, rank INTEGER, e164 VARCHAR, country VARCHAR, status VARCHAR, reason VARCHAR)',
  );
  await conn.run(`CREATE OR REPLACE TEMP TABLE _rq AS ${allReadings(PRESENTED, '_rk')}`);
  await evaluate(conn, normalise);
  await choose(conn, PRESENTED, RIVALS.presented);
  await result(conn, out, 'key');
}

/**
 * A reading that certainly gives the number `e164` a key's first reading gave (an international
 * reading written out in SQL), so that it need not be parsed to know it is no rival; a national
 * reading in another country may be one, and is parsed.
 */
function sameAsFirst(x: Reading): string {
  return x.ctx === "''" ? `(${x.value}) = e164` : 'false';
}

/**
 * Dialled numbers: `keysSql` gives distinct `raw, ctx` where ctx is `R|P|A` (or '' for a
 * number whose reading needs no evidence); makes `out` keyed the same way. `alongside` runs
 * while the first pass's numbers are normalised (numbers.ts).
 *
 * Millions of keys: pass 1 parses each key's first applicable reading, in the statements the
 * old single-context lookup had (`_rk` with the reading, the normaliser, `out`). Pass 2 only
 * takes the keys that may have a rival (a later reading of ranks 4–7 that is not the same
 * number written out) or whose first reading is not valid, and updates their rows of `out`.
 */
export async function resolveDialled(
  conn: DuckDBConnection,
  normalise: Normaliser,
  keysSql: string,
  out: string,
  alongside?: string,
): Promise<void> {
  // A key without evidence (`+…`, `00…`: calls-presented.sql) is read as written, rank 1 or 2,
  // certain: the normaliser alone answers it, without the forms and readings of the others.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _rk0 AS
     SELECT raw, coalesce(split_part(ctx, '|', 1), '') AS r,
       coalesce(split_part(ctx, '|', 2), '') AS p, coalesce(split_part(ctx, '|', 3), '') AS a,
       ctx AS key
     FROM (${keysSql});
     CREATE OR REPLACE TEMP TABLE _rp0 AS SELECT raw FROM _rk0 WHERE key = '';
     DELETE FROM _rk0 WHERE key = '';`,
  );
  await conn.run('SET VARIABLE intl_digits = 11');
  const first = firstReading(DIALLED);
  await conn.run(sql('resolve-keys.sql').replace('/* first */', `, ${first}`));
  // Pass 1: each key's first applicable reading.
  await normaliseInto(
    conn,
    normalise,
    `SELECT DISTINCT fv AS raw, fctx AS ctx FROM _rk WHERE fv IS NOT NULL
     UNION SELECT raw, '' FROM _rp0`,
    '_rn',
    alongside,
  );
  await ranksTable(conn, DIALLED);
  const later = DIALLED.filter((x) => x.rank >= 4 && x.rank <= 8)
    .map(
      (x) =>
        `(${x.rank} > frank AND (${x.when}) AND ${x.rank === 8 ? 'NOT valid' : `(NOT valid OR NOT ${sameAsFirst(x)})`})`,
    )
    .join(' OR ');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _d1 AS
     WITH k AS (
       SELECT k.*, n.e164, n.country, n.status, n.reason, coalesce(n.status = 'valid', false) AS valid
       FROM _rk k LEFT JOIN _rn n ON n.raw = k.fv AND n.ctx = k.fctx
     )
     SELECT k.k, k.raw, k.key AS ctx, CASE WHEN valid THEN e164 END AS e164,
       CASE WHEN valid THEN country END AS country,
       CASE WHEN valid THEN 'valid' WHEN status IN ('withheld', 'special') THEN status
            WHEN reason = 'unparseable_number' THEN 'quarantine' ELSE 'invalid' END AS status,
       CASE WHEN reason = 'unparseable_number' THEN reason END AS reason,
       CASE WHEN valid THEN x.rule ELSE 'none' END AS rule,
       CASE WHEN valid THEN x.conf END AS confidence, NULL::VARCHAR AS alt_e164,
       coalesce(frank BETWEEN 3 AND 8 AND (${later}), false) AS again
     FROM k LEFT JOIN _ranks x ON x.rank = k.frank
     UNION ALL
     SELECT -1 - p.rowid, p.raw, '', CASE WHEN n.status = 'valid' THEN n.e164 END,
       CASE WHEN n.status = 'valid' THEN n.country END,
       CASE WHEN n.status IN ('valid', 'withheld', 'special') THEN n.status
            WHEN n.reason = 'unparseable_number' THEN 'quarantine' ELSE 'invalid' END,
       CASE WHEN n.reason = 'unparseable_number' THEN n.reason END,
       CASE WHEN n.status <> 'valid' THEN 'none'
            WHEN starts_with(ltrim(p.raw), '+') THEN 'plus' ELSE 'idd' END,
       CASE WHEN n.status = 'valid' THEN 'certain' END, NULL, false
     FROM _rp0 p JOIN _rn n ON n.raw = p.raw AND n.ctx = '';
     DROP TABLE _rn; DROP TABLE _rp0;`,
  );
  // Pass 2: the other readings of the keys that may have a rival, or no valid reading yet.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _r2 AS
     SELECT k.*, k.frank AS first_rank, d.status = 'valid' AS first_valid
     FROM _d1 d JOIN _rk k ON k.k = d.k WHERE d.again`,
  );
  const [more] = await queryRows<{ n: bigint }>(conn, 'SELECT count(*) AS n FROM _r2');
  if (Number(more?.n ?? 0) > 0) {
    const rest = (x: Reading) =>
      x.rank > 8 ? 'false' : `${x.rank} > first_rank${x.rank === 8 ? ' AND NOT first_valid' : ''}`;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE _rv (k BIGINT, rank INTEGER, e164 VARCHAR, country VARCHAR, status VARCHAR, reason VARCHAR);
       INSERT INTO _rv SELECT d.k, x.first_rank, d.e164, d.country, d.status, d.reason
         FROM _d1 d JOIN _r2 x ON x.k = d.k;
       CREATE OR REPLACE TEMP TABLE _rq AS ${allReadings(DIALLED, '_r2', rest)};`,
    );
    await evaluate(conn, normalise);
    await choose(conn, DIALLED, RIVALS.dialled);
  } else {
    await conn.run(
      'CREATE OR REPLACE TEMP TABLE _rch (k BIGINT, e164 VARCHAR, country VARCHAR, status VARCHAR, reason VARCHAR, rule VARCHAR, conf VARCHAR, alt_e164 VARCHAR); DROP TABLE _ranks;',
    );
  }
  await conn.run('DROP TABLE _r2; DROP TABLE _rk;');
  // The pass-2 answers over the pass-1 ones, as a view: updating the few rows in a table of
  // millions rewrote it (the checks and the insert read this once each).
  const pick = (c: string, from = c) =>
    `CASE WHEN c.k IS NULL THEN d.${c} ELSE c.${from} END AS ${c}`;
  await conn.run(
    `CREATE OR REPLACE TEMP VIEW ${out} AS
     SELECT d.raw, d.ctx, ${pick('e164')}, ${pick('country')}, ${pick('status')}, ${pick('reason')},
       ${pick('rule')}, ${pick('confidence', 'conf')}, ${pick('alt_e164')}
     FROM _d1 d LEFT JOIN _rch c ON c.k = d.k`,
  );
}

/**
 * `_brand_digits (digits, e164, national, country)`: each brand number's digits after `+` and
 * its national form's digits (`03303920698`), from the case's register (loaded before calls).
 */
async function brandDigits(conn: DuckDBConnection): Promise<void> {
  const rows = await queryRows<{ e164: string }>(conn, 'SELECT e164 FROM brands');
  const pairs = new Map<string, [string, boolean, string]>();
  for (const { e164 } of rows) {
    const p = parsePhoneNumberFromString(e164);
    const country = p?.country ?? '';
    pairs.set(e164.slice(1), [e164, false, country]);
    const national = p?.formatNational().replace(/[^0-9]/g, '');
    if (national && !pairs.has(national)) pairs.set(national, [e164, true, country]);
  }
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE _brand_digits (digits VARCHAR, e164 VARCHAR, national BOOLEAN, country VARCHAR)',
  );
  if (pairs.size === 0) return;
  const values = [...pairs].map(
    ([d, [e, n, c]]) => `(${sqlString(d)}, ${sqlString(e)}, ${n}, ${sqlString(c)})`,
  );
  await conn.run(`INSERT INTO _brand_digits VALUES ${values.join(', ')}`);
}
