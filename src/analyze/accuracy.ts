/**
 * Accuracy of an analysis against a synthetic export's truth (truth/victims.csv, crews.csv,
 * priority.csv, switch.json): per-tier precision and recall of victims, the truly ambiguous
 * victims flagged for review, the listed numbers nobody called that outreach would text,
 * pairwise F1 of crews, the priority suspects that differ, and what the case read of the switch
 * records' shapes (docs/switch-records.md) against what the synth wrote. Used by the accuracy
 * test and the accuracy bench.
 *
 * The unknown account `(none)` (calls without an account code, §3) is no account of the
 * service: the truth cannot name it, so it is left out of the crews and priority suspects
 * found. Accounts named only by calls are the service's own and are scored like any other
 * (the truth knows them: no identifiers, no payments, so never in a crew, never a priority).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { sqlString } from '../shared/sql.ts';

export interface Accuracy {
  tiers: Record<string, { truth: number; found: number; precision: number; recall: number }>;
  /**
   * Victims the truth marks as truly ambiguous (every call to them needs review under
   * docs/numbers.md): how many, and how many are listed flagged for review under either reading.
   */
  review: { truth: number; flagged: number };
  /** Listed victims not flagged for review whose number nobody called: would be texted. */
  strangers: number;
  crews: { truthPairs: number; foundPairs: number; precision: number; recall: number; f1: number };
  priority: { truth: number; found: number; missing: number; extra: number };
  /**
   * The accounts that paid only in bitcoin with no GBP value (truth/payers.csv): how many are
   * priority suspects by the truth's £100 rule, and how many the analysis got wrong either way.
   */
  btcOnly: { payers: number; truth: number; missing: number; extra: number };
  /** Wallets found against truth/wallets.csv (every address spent from): pairwise. */
  wallets: {
    addresses: number;
    truthPairs: number;
    foundPairs: number;
    precision: number;
    recall: number;
    f1: number;
  };
  /**
   * Suspects with a login that locates them (truth/jurisdiction.csv `located_logins`): how many,
   * and how many the analysis places in the country the truth says.
   */
  jurisdiction: { suspects: number; correct: number; share: number };
  /** The loaded calls by class: truth/calls.json and the case's (`call_classes`). */
  classes: Counts;
  /** Each count of truth/switch.json (absent: an export written before it) and the case's. */
  switch: Counts;
}

/** Counts of a truth file and the case's; the keys whose counts differ are in `mismatches`. */
export interface Counts {
  counts: Record<string, { truth: number | string; found: number | string }>;
  mismatches: string[];
}

/** How the case counts each figure of truth/calls.json (docs/numbers.md). */
const CLASS_COUNTS: Record<string, string> = {
  calls: 'SELECT count(*) FROM calls',
  ...Object.fromEntries(
    ['victim', 'unresolved', 'own_phone', 'brand_number', 'service_code'].map((c) => [
      c,
      `SELECT coalesce(sum(calls), 0) FROM call_classes WHERE class = '${c}'`,
    ]),
  ),
};

/** How the case counts each figure of truth/switch.json (docs/switch-records.md). */
const SWITCH_COUNTS: Record<string, string> = {
  legs: 'SELECT count(*) FROM call_legs',
  duplicates: "SELECT count(*) FROM quarantine WHERE reason = 'duplicate_row'",
  no_account_calls: "SELECT count(*) FROM calls WHERE account_id = '(none)'",
  calls_only_accounts: `SELECT count(*) FROM calls c JOIN accounts a USING (account_id)
    WHERE a.origin = 'calls'`,
  calls_only_account_codes: "SELECT count(*) FROM accounts WHERE origin = 'calls'",
  non_number_caller_ids:
    "SELECT count(*) FROM calls WHERE presented_kind NOT IN ('number', 'withheld')",
  alphanumeric_caller_ids: "SELECT count(*) FROM calls WHERE presented_kind = 'alphanumeric'",
  extension_caller_ids: "SELECT count(*) FROM calls WHERE presented_kind = 'extension'",
  outside_line: "SELECT count(*) FROM calls WHERE dialed_source = 'outside_line'",
  dial_string: "SELECT count(*) FROM calls WHERE dialed_source = 'dial_string'",
  disposition_conflicts: 'SELECT count(*) FROM calls WHERE disposition_conflict',
  leg_disposition_conflicts: 'SELECT count(*) FROM call_legs WHERE disposition_conflict',
  nonexistent_starts: "SELECT count(*) FROM calls WHERE start_time_flag = 'nonexistent'",
  ambiguous_starts: "SELECT count(*) FROM calls WHERE start_time_flag = 'ambiguous'",
  clock: "SELECT string_agg(DISTINCT timezone, ',') FROM files WHERE kind = 'calls'",
};

async function truthCounts(
  conn: DuckDBConnection,
  file: string,
  queries: Record<string, string>,
): Promise<Counts> {
  const counts: Counts['counts'] = {};
  const mismatches: string[] = [];
  if (!fs.existsSync(file)) return { counts, mismatches };
  const truth = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number | string>;
  for (const [key, value] of Object.entries(truth)) {
    const sql = queries[key];
    if (!sql) continue;
    const [row] = await queryRows<{ n: bigint | string | null }>(conn, `SELECT (${sql}) AS n`);
    // No such figure in the case (the zone of a canonical file, whose times carry theirs).
    if (row?.n === null || row?.n === undefined) continue;
    const found = typeof value === 'number' ? Number(row.n) : String(row.n);
    counts[key] = { truth: value, found };
    if (found !== value) mismatches.push(key);
  }
  return { counts, mismatches };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

export async function accuracy(conn: DuckDBConnection, exportDir: string): Promise<Accuracy> {
  const truthFile = (f: string) => path.join(exportDir, 'truth', f);
  const truth = (f: string) => sqlString(truthFile(f));
  const victimsFile = path.join(exportDir, 'truth', 'victims.csv');
  const header = fs.readFileSync(victimsFile, 'utf8').split('\n', 1)[0] ?? '';
  const review = header.split(',').includes('review') ? "review = 'true'" : 'false';
  const readingsFile = path.join(exportDir, 'truth', 'readings.csv');
  const readings = fs.existsSync(readingsFile)
    ? `SELECT reading FROM read_csv(${sqlString(readingsFile)}, all_varchar = true)`
    : 'SELECT NULL AS reading';
  // Scored apart: the truly ambiguous victims (`t.review`) and the rows flagged for review that
  // are one of their readings, or another number a flagged call was read as (truth/readings.csv:
  // listed as needing review, never texted). Precision is over every other listed victim, recall
  // over every other true victim, flagged or not.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _truth AS
       SELECT number, tier, ${review} AS review FROM read_csv(${truth('victims.csv')}, all_varchar = true);
     CREATE OR REPLACE TEMP TABLE _found AS
       SELECT v.number, v.tier, v.needs_review,
         v.needs_review AND (EXISTS (SELECT 1 FROM _truth t WHERE t.review
           AND t.number IN (v.number, v.alt_number))
           OR v.number IN (${readings})) AS ambiguous
       FROM victims v`,
  );
  const tiers = await queryRows<{
    tier: string;
    truth: bigint;
    found: bigint;
    both: bigint;
    listed: bigint;
  }>(
    conn,
    `SELECT tier,
       (SELECT count(*) FROM _truth t WHERE t.tier = k.tier AND NOT t.review) AS truth,
       (SELECT count(*) FROM _found v WHERE v.tier = k.tier AND NOT v.ambiguous) AS found,
       (SELECT count(*) FROM _found v JOIN _truth t USING (number, tier)
         WHERE t.tier = k.tier AND NOT v.ambiguous) AS both,
       (SELECT count(*) FROM _truth t JOIN _found v USING (number, tier)
         WHERE t.tier = k.tier AND NOT t.review) AS listed
     FROM (VALUES ('harmed'), ('likely'), ('contacted'), ('attempted')) k(tier)`,
  );
  const [amb] = await queryRows<{ truth: bigint; flagged: bigint; strangers: bigint }>(
    conn,
    `SELECT (SELECT count(*) FROM _truth WHERE review) AS truth,
       (SELECT count(*) FROM _truth t WHERE t.review AND EXISTS (SELECT 1 FROM victims v
         WHERE v.needs_review AND t.number IN (v.number, v.alt_number))) AS flagged,
       (SELECT count(*) FROM victims v WHERE NOT v.needs_review
         AND v.number NOT IN (SELECT number FROM _truth)) AS strangers`,
  );
  await conn.run('DROP TABLE _truth; DROP TABLE _found');
  const [pairs] = await queryRows<{ t: bigint; f: bigint; both: bigint }>(
    conn,
    `WITH t AS (SELECT account_id, crew_id FROM read_csv(${truth('crews.csv')}, all_varchar = true)),
     tp AS (SELECT a.account_id AS x, b.account_id AS y FROM t a JOIN t b
            ON a.crew_id = b.crew_id AND a.account_id < b.account_id),
     f AS (SELECT account_id, crew_id FROM crews WHERE account_id <> '(none)'),
     fp AS (SELECT a.account_id AS x, b.account_id AS y FROM f a JOIN f b
            ON a.crew_id = b.crew_id AND a.account_id < b.account_id)
     SELECT (SELECT count(*) FROM tp) AS t, (SELECT count(*) FROM fp) AS f,
            (SELECT count(*) FROM tp JOIN fp USING (x, y)) AS both`,
  );
  const [prio] = await queryRows<{ t: bigint; f: bigint; missing: bigint; extra: bigint }>(
    conn,
    `WITH t AS (SELECT account_id, jurisdiction FROM read_csv(${truth('priority.csv')}, all_varchar = true)),
     f AS (SELECT account_id, unnest(string_split(priority, ';')) AS jurisdiction FROM suspects
           WHERE priority <> '' AND account_id <> '(none)')
     SELECT (SELECT count(*) FROM t) AS t, (SELECT count(*) FROM f) AS f,
       (SELECT count(*) FROM t ANTI JOIN f USING (account_id, jurisdiction)) AS missing,
       (SELECT count(*) FROM f ANTI JOIN t USING (account_id, jurisdiction)) AS extra`,
  );
  const n = Number;
  const extra = await newFigures(conn, truthFile);
  const tp = n(pairs?.t ?? 0);
  const fp = n(pairs?.f ?? 0);
  const both = n(pairs?.both ?? 0);
  const precision = ratio(both, fp);
  const recall = ratio(both, tp);
  return {
    tiers: Object.fromEntries(
      tiers.map((r) => [
        r.tier,
        {
          truth: n(r.truth),
          found: n(r.found),
          precision: ratio(n(r.both), n(r.found)),
          recall: ratio(n(r.listed), n(r.truth)),
        },
      ]),
    ),
    review: { truth: n(amb?.truth ?? 0), flagged: n(amb?.flagged ?? 0) },
    strangers: n(amb?.strangers ?? 0),
    crews: {
      truthPairs: tp,
      foundPairs: fp,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    },
    priority: {
      truth: n(prio?.t ?? 0),
      found: n(prio?.f ?? 0),
      missing: n(prio?.missing ?? 0),
      extra: n(prio?.extra ?? 0),
    },
    ...extra,
    classes: await truthCounts(conn, truthFile('calls.json'), CLASS_COUNTS),
    switch: await truthCounts(conn, truthFile('switch.json'), SWITCH_COUNTS),
  };
}

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const empty = { payers: 0, truth: 0, missing: 0, extra: 0 };

/** Money, wallets and jurisdiction against the truth (absent in an export made before them). */
async function newFigures(
  conn: DuckDBConnection,
  truthFile: (f: string) => string,
): Promise<Pick<Accuracy, 'btcOnly' | 'wallets' | 'jurisdiction'>> {
  const csv = (f: string) => `read_csv(${sqlString(truthFile(f))}, all_varchar = true)`;
  const n = Number;
  let btcOnly = empty;
  if (fs.existsSync(truthFile('payers.csv'))) {
    const [b] = await queryRows<Record<string, bigint>>(
      conn,
      `WITH b AS (SELECT account_id FROM ${csv('payers.csv')} WHERE paid_by = 'btc'),
       t AS (SELECT account_id FROM ${csv('priority.csv')} SEMI JOIN b USING (account_id)),
       f AS (SELECT account_id FROM suspects SEMI JOIN b USING (account_id)
             WHERE list_contains(string_split(priority, ';'), 'GB'))
       SELECT (SELECT count(*) FROM b) AS payers, (SELECT count(*) FROM t) AS truth,
         (SELECT count(*) FROM t ANTI JOIN f USING (account_id)) AS missing,
         (SELECT count(*) FROM f ANTI JOIN t USING (account_id)) AS extra`,
    );
    btcOnly = {
      payers: n(b?.payers),
      truth: n(b?.truth),
      missing: n(b?.missing),
      extra: n(b?.extra),
    };
  }
  let wallets = { addresses: 0, truthPairs: 0, foundPairs: 0, precision: 1, recall: 1, f1: 1 };
  if (fs.existsSync(truthFile('wallets.csv'))) {
    // Pairs counted from group sizes (n·(n−1)/2), not listed: one wallet of thousands of
    // addresses would be millions of pairs.
    const [w] = await queryRows<Record<string, bigint>>(
      conn,
      `WITH j AS (SELECT t.address, t.wallet AS tw, f.wallet AS fw
                  FROM ${csv('wallets.csv')} t LEFT JOIN wallet_addresses f ON f.address = t.address),
       pairs AS (SELECT k, sum(c * (c - 1) / 2) AS p FROM (
         SELECT 't' AS k, count(*) AS c FROM j GROUP BY tw
         UNION ALL SELECT 'f', count(*) FROM j GROUP BY coalesce(fw, address)
         UNION ALL SELECT 'b', count(*) FROM j GROUP BY tw, coalesce(fw, address)) GROUP BY k)
       SELECT (SELECT count(*) FROM j) AS addresses,
         (SELECT p FROM pairs WHERE k = 't') AS t, (SELECT p FROM pairs WHERE k = 'f') AS f,
         (SELECT p FROM pairs WHERE k = 'b') AS b`,
    );
    const p = ratio(n(w?.b), n(w?.f));
    const r = ratio(n(w?.b), n(w?.t));
    wallets = {
      addresses: n(w?.addresses),
      truthPairs: n(w?.t),
      foundPairs: n(w?.f),
      precision: p,
      recall: r,
      f1: f1(p, r),
    };
  }
  let jurisdiction = { suspects: 0, correct: 0, share: 1 };
  if (fs.existsSync(truthFile('jurisdiction.csv'))) {
    const [j] = await queryRows<Record<string, bigint>>(
      conn,
      `SELECT count(*) AS suspects, count(*) FILTER (WHERE s.jurisdiction = t.country) AS correct
       FROM ${csv('jurisdiction.csv')} t JOIN suspects s USING (account_id)
       WHERE CAST(t.located_logins AS INTEGER) > 0`,
    );
    jurisdiction = {
      suspects: n(j?.suspects),
      correct: n(j?.correct),
      share: ratio(n(j?.correct), n(j?.suspects)),
    };
  }
  return { btcOnly, wallets, jurisdiction };
}
