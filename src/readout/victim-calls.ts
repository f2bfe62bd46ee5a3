/**
 * The calls that count for a victim, for every reader outside the analysis (the console's victim
 * and suspect pages, the reports' callers, the portal's record). A call counts for its dialled
 * number, unless an analyst confirmed another reading of the pair of readings it gave
 * (docs/numbers.md, "Confirmations"): then for the number chosen. `analyze` copies the
 * confirmations into `confirmed_readings` and victims.sql counts the calls that way, so a
 * reader that went by the dialled number alone would show a confirmed rival reading with no
 * calls at all.
 *
 * Each reader's SQL names the calls `victim_calls`, a common table expression this module
 * writes: the columns of `calls` and `victim_digits`, the digits of the number the call counts
 * for (E.164 without its `+`). Looking numbers up stays a lookup: the calls are found by their
 * dialled digits (the numbers asked for and the numbers whose pair was confirmed as one of
 * them, each an equality the scan answers from the table), and only those few are mapped.
 */
import type { Analysis } from './analysis.ts';

/** A number as the victims table has it: `+` and at most 15 digits, the first not 0. */
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Up to this many dialled numbers are looked up one equality each (a scan DuckDB answers from
 * the column alone, 25–30 ms for 10M calls); more as one `IN` list, which DuckDB plans as a join
 * of every call party (about 250 ms at 10M calls, whatever the list's length).
 */
const EQUALITIES = 8;

/** One confirmed reading: the calls dialled as `number` with the rival `alt` (0: none) count for `chosen`. */
interface Reading {
  number: string;
  alt: string;
  chosen: string;
}

/** The analysis's confirmed readings, or null for an analysis made before there were any. */
const readings = new WeakMap<Analysis, Promise<Reading[] | null>>();

/**
 * Read once per analysis opened: the console reads it read-only, so they cannot change while it
 * is open (a new analysis is a new file opened). A handful of rows: analysts confirm them one by
 * one.
 */
function confirmedOf(a: Analysis): Promise<Reading[] | null> {
  let r = readings.get(a);
  if (!r) {
    r = (async () => {
      const [t] = await a.rows(
        `SELECT count(*) AS n FROM duckdb_tables()
          WHERE schema_name = 'main' AND table_name = 'confirmed_readings'`,
      );
      if (!Number(t?.n)) return null;
      const rows = await a.rows(
        `SELECT CAST(number AS VARCHAR) AS number, CAST(alt AS VARCHAR) AS alt,
                CAST(chosen AS VARCHAR) AS chosen
           FROM confirmed_readings`,
      );
      return rows.map((x) => ({
        number: String(x.number),
        alt: String(x.alt),
        chosen: String(x.chosen),
      }));
    })();
    readings.set(a, r);
  }
  return r;
}

/**
 * The mapping, the one place it is written outside victims.sql: each call of `source` (a table
 * expression with the columns of `calls`) with the number it counts for. `confirmed` is the
 * readings as a relation named `cr` (number, alt, chosen), or null when there is none to apply.
 */
function mapped(source: string, confirmed: string | null): string {
  if (confirmed === null) return `SELECT c.*, c.dialed_digits AS victim_digits FROM ${source} c`;
  return `SELECT c.*, coalesce(cr.chosen, c.dialed_digits) AS victim_digits
    FROM ${source} c
    LEFT JOIN ${confirmed} ON cr.number = c.dialed_digits
      AND cr.alt = coalesce(TRY_CAST(c.dialed_alt_e164 AS BIGINT), 0)`;
}

/**
 * `WITH victim_calls AS (…)`: every call with the number it counts for. For readers that filter
 * the calls on their own columns (an account's calls), which DuckDB applies before the mapping;
 * never filter it on `victim_digits` (that maps every call first): use victimCallsOf.
 */
export async function victimCalls(a: Analysis): Promise<string> {
  const confirmed = await confirmedOf(a);
  return `WITH victim_calls AS (${mapped('calls', confirmed?.length ? 'confirmed_readings cr' : null)})\n`;
}

/**
 * `WITH victim_calls AS (…)`: the calls that count for one of `numbers` (E.164; anything else
 * names no victim), with the number each counts for. The calls dialled as one of them that were
 * not confirmed as another number, and the calls whose pair of readings was confirmed as one of
 * them.
 */
export async function victimCallsOf(a: Analysis, numbers: readonly string[]): Promise<string> {
  const targets = [...new Set(numbers.filter((n) => E164.test(n)).map((n) => n.slice(1)))];
  if (targets.length === 0)
    return `WITH victim_calls AS (SELECT *, dialed_digits AS victim_digits FROM calls WHERE false)\n`;
  const all = (await confirmedOf(a)) ?? [];
  const wanted = new Set(targets);
  // The dialled numbers to look up: the numbers asked for, and those confirmed as one of them.
  const keys = [
    ...new Set([...targets, ...all.filter((r) => wanted.has(r.chosen)).map((r) => r.number)]),
  ];
  // The readings that decide where a looked-up call counts (its dialled number is a key), as
  // literals: the table itself need not be read, nor exist.
  const dialled = new Set(keys);
  const rows = all.filter((r) => dialled.has(r.number));
  const source =
    keys.length <= EQUALITIES
      ? `(${keys.map((k) => `SELECT * FROM calls WHERE dialed_digits = ${k}`).join(' UNION ALL ')})`
      : `(SELECT * FROM calls WHERE dialed_digits IN (${keys.join(', ')}))`;
  const confirmed = rows.length
    ? `(VALUES ${rows.map((r) => `(${r.number}, ${r.alt}, ${r.chosen})`).join(', ')}) AS cr (number, alt, chosen)`
    : null;
  return `WITH victim_calls AS (SELECT * FROM (${mapped(source, confirmed)}) WHERE victim_digits IN (${targets.join(', ')}))\n`;
}
