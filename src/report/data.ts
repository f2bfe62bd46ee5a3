/** Everything the report shows, read from an analysed case. */
import { caseIsSynthetic } from '../case/provenance.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { UndirectedGraph } from 'graphology';
import { COMPONENTS } from '../analyze/score.ts';
import { queryPlain, queryRows } from '../case/store.ts';
import { accountNetwork, type AccountNode, type LinkEdge } from '../readout/network.ts';
import { readStats } from '../readout/stats.ts';
import type { Rows } from './charts.ts';

export interface ReportData {
  synthetic: boolean;
  headline: Record<string, number | string | null>;
  stats: Record<string, Rows>;
  tiersByCountry: Rows;
  suspects: Rows;
  crews: Array<{ id: string; size: number; graph: UndirectedGraph<AccountNode, LinkEdge> }>;
}

export async function reportData(
  conn: DuckDBConnection,
  topSuspects = 20,
  topCrews = 3,
): Promise<ReportData> {
  const [headline] = await queryPlain(
    conn,
    `SELECT (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FILTER (WHERE connected) FROM calls) AS answered_calls,
       (SELECT count(*) FROM accounts) AS accounts,
       (SELECT count(*) FROM victims) AS victims,
       (SELECT count(*) FROM victims WHERE tier = 'harmed') AS harmed,
       (SELECT count(*) FROM victims WHERE tier = 'likely') AS likely,
       (SELECT count(*) FROM victims WHERE tier IN ('likely', 'harmed') AND country = 'GB') AS likely_or_harmed_gb,
       (SELECT count(*) FROM captures) AS captures,
       (SELECT count(*) FROM suspects WHERE priority <> '') AS priority_suspects,
       (SELECT count(DISTINCT crew_id) FROM crews) AS crews,
       (SELECT CAST(coalesce(sum(value_gbp), 0) AS DOUBLE) FROM payments) AS revenue_gbp,
       (SELECT strftime(min(started_at), '%Y-%m-%d') FROM calls) AS first_call,
       (SELECT strftime(max(started_at), '%Y-%m-%d') FROM calls) AS last_call,
       (SELECT count(*) FROM quarantine) AS quarantined,
       (SELECT count(*) FROM victims WHERE needs_review) AS needs_review,
       (SELECT calls FROM call_classes WHERE class = 'victim') AS victim_calls,
       (SELECT calls FROM call_classes WHERE class = 'unresolved') AS unresolved_calls,
       (SELECT count(*) FROM unresolved) AS unresolved_numbers,
       (SELECT sum(calls) FROM call_classes WHERE class NOT IN ('victim', 'unresolved')) AS excluded_calls`,
  );
  const synthetic = await caseIsSynthetic(conn);
  const tiers = await queryPlain(
    conn,
    `SELECT country, tier, victims,
       CASE tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END AS tier_order
     FROM stats_countries WHERE country <> '' ORDER BY country, tier_order`,
  );
  const suspects = await queryPlain(
    conn,
    `SELECT account_id, score, priority, country, crew_id,
       ${COMPONENTS.map((c) => (c === 'paid_gbp' ? 'CAST(paid_gbp AS DOUBLE) AS paid_gbp' : c)).join(', ')},
       ${COMPONENTS.map((c) => `points_${c}`).join(', ')}
     FROM suspects ORDER BY score DESC, account_id LIMIT ${topSuspects}`,
  );
  const crewRows = await queryRows<{ crew_id: string; n: bigint }>(
    conn,
    `SELECT crew_id, count(*) AS n FROM crews GROUP BY crew_id ORDER BY n DESC, crew_id LIMIT ${topCrews}`,
  );
  const crews = [];
  for (const c of crewRows) {
    crews.push({
      id: c.crew_id,
      size: Number(c.n),
      graph: await accountNetwork(conn, [c.crew_id]),
    });
  }
  return {
    synthetic,
    headline: headline ?? {},
    stats: await readStats(conn),
    tiersByCountry: tiers,
    suspects,
    crews,
  };
}
