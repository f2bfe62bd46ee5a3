/**
 * Accuracy of an analysis against a synthetic export's truth (truth/victims.csv, crews.csv,
 * priority.csv): per-tier precision and recall of victims, pairwise F1 of crews, and the
 * priority suspects that differ. Used by the accuracy test and the analysis bench.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { sqlString } from '../shared/sql.ts';

export interface Accuracy {
  tiers: Record<string, { truth: number; found: number; precision: number; recall: number }>;
  crews: { truthPairs: number; foundPairs: number; precision: number; recall: number; f1: number };
  priority: { truth: number; found: number; missing: number; extra: number };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

export async function accuracy(conn: DuckDBConnection, exportDir: string): Promise<Accuracy> {
  const truth = (f: string) => sqlString(path.join(exportDir, 'truth', f));
  const tiers = await queryRows<{ tier: string; truth: bigint; found: bigint; both: bigint }>(
    conn,
    `WITH t AS (SELECT number, tier FROM read_csv(${truth('victims.csv')}, all_varchar = true))
     SELECT tier,
       (SELECT count(*) FROM t WHERE t.tier = k.tier) AS truth,
       (SELECT count(*) FROM victims v WHERE v.tier = k.tier) AS found,
       (SELECT count(*) FROM t JOIN victims v USING (number, tier) WHERE t.tier = k.tier) AS both
     FROM (VALUES ('harmed'), ('likely'), ('contacted'), ('attempted')) k(tier)`,
  );
  const [pairs] = await queryRows<{ t: bigint; f: bigint; both: bigint }>(
    conn,
    `WITH t AS (SELECT account_id, crew_id FROM read_csv(${truth('crews.csv')}, all_varchar = true)),
     tp AS (SELECT a.account_id AS x, b.account_id AS y FROM t a JOIN t b
            ON a.crew_id = b.crew_id AND a.account_id < b.account_id),
     fp AS (SELECT a.account_id AS x, b.account_id AS y FROM crews a JOIN crews b
            ON a.crew_id = b.crew_id AND a.account_id < b.account_id)
     SELECT (SELECT count(*) FROM tp) AS t, (SELECT count(*) FROM fp) AS f,
            (SELECT count(*) FROM tp JOIN fp USING (x, y)) AS both`,
  );
  const [prio] = await queryRows<{ t: bigint; f: bigint; missing: bigint; extra: bigint }>(
    conn,
    `WITH t AS (SELECT account_id, jurisdiction FROM read_csv(${truth('priority.csv')}, all_varchar = true)),
     f AS (SELECT account_id, unnest(string_split(priority, ';')) AS jurisdiction FROM suspects WHERE priority <> '')
     SELECT (SELECT count(*) FROM t) AS t, (SELECT count(*) FROM f) AS f,
       (SELECT count(*) FROM t ANTI JOIN f USING (account_id, jurisdiction)) AS missing,
       (SELECT count(*) FROM f ANTI JOIN t USING (account_id, jurisdiction)) AS extra`,
  );
  const n = Number;
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
          recall: ratio(n(r.both), n(r.truth)),
        },
      ]),
    ),
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
  };
}
