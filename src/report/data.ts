/** Everything the report shows, read from an analysed case in a few bulk queries. */
import { caseIsSynthetic } from '../case/provenance.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { UndirectedGraph } from 'graphology';
import { COMPONENTS } from '../analyze/score.ts';
import type { Settings } from '../case/settings.ts';
import { queryPlain, queryRows } from '../case/store.ts';
import { accountNetwork, type AccountNode, type LinkEdge } from '../readout/network.ts';
import { readStats } from '../readout/stats.ts';
import type { Rows } from './charts.ts';

/** A crew as the report lists it: every crew has one, however many there are. */
export interface CrewRow {
  id: string;
  accounts: number;
  prioritySuspects: number;
  calls: number;
  paidGbp: number;
  topScore: number;
  /** Its accounts, highest score first (at most MEMBERS_SHOWN; `accounts` says how many). */
  members: string[];
}

export interface ReportData {
  synthetic: boolean;
  headline: Record<string, number | string | null>;
  stats: Record<string, Rows>;
  tiersByCountry: Rows;
  suspects: Rows;
  /** The largest crews with their graphs (`graphs` of them). */
  crews: Array<{ id: string; size: number; graph: UndirectedGraph<AccountNode, LinkEdge> }>;
}

/** A crew row names this many of its accounts: the rest are on its console page and in `crews`. */
export const MEMBERS_SHOWN = 12;

export async function reportData(
  conn: DuckDBConnection,
  topSuspects = 20,
  graphs = 3,
): Promise<ReportData> {
  const [headline] = await queryPlain(
    conn,
    `SELECT (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FILTER (WHERE connected) FROM calls) AS answered_calls,
       (SELECT count(*) FROM accounts) AS accounts,
       (SELECT count(DISTINCT c.account_id) FROM calls c JOIN accounts a USING (account_id)
         WHERE a.origin IS DISTINCT FROM 'none') AS calling_accounts,
       (SELECT count(*) FROM calls c JOIN accounts a USING (account_id)
         WHERE a.origin = 'none') AS calls_without_account,
       (SELECT count(*) FROM victims) AS victims,
       (SELECT count(*) FROM victims WHERE tier = 'harmed') AS harmed,
       (SELECT count(*) FROM victims WHERE tier = 'likely') AS likely,
       (SELECT count(*) FROM victims WHERE tier = 'contacted') AS contacted,
       (SELECT count(*) FROM victims WHERE tier = 'attempted') AS attempted,
       (SELECT count(*) FROM victims WHERE tier IN ('likely', 'harmed') AND country = 'GB') AS likely_or_harmed_gb,
       (SELECT count(*) FROM captures) AS captures,
       (SELECT count(*) FROM suspects) AS suspects,
       (SELECT count(*) FROM suspects WHERE priority <> '') AS priority_suspects,
       (SELECT count(DISTINCT crew_id) FROM crews) AS crews,
       (SELECT count(*) FROM crews) AS crew_accounts,
       (SELECT CAST(coalesce(sum(value_gbp), 0) AS DOUBLE) FROM payment_values) AS revenue_gbp,
       (SELECT count(*) FROM reported_losses) AS loss_victims,
       (SELECT CAST(coalesce(sum(lost_gbp), 0) AS DOUBLE) FROM reported_losses) AS reported_loss_gbp,
       (SELECT strftime(min(started_at), '%Y-%m-%d') FROM calls) AS first_call,
       (SELECT strftime(max(started_at), '%Y-%m-%d') FROM calls) AS last_call,
       (SELECT count(*) FROM quarantine) AS quarantined,
       (SELECT count(*) FROM victims WHERE needs_review) AS needs_review,
       (SELECT calls FROM call_classes WHERE class = 'victim') AS victim_calls,
       (SELECT calls FROM call_classes WHERE class = 'unresolved') AS unresolved_calls,
       (SELECT count(*) FROM unresolved) AS unresolved_numbers,
       (SELECT sum(calls) FROM call_classes WHERE class NOT IN ('victim', 'unresolved')) AS excluded_calls`,
  );
  const [analysis] = await queryRows<{ value: string }>(
    conn,
    `SELECT value FROM case_meta WHERE key = 'analysis'`,
  );
  const settings = analysis
    ? (JSON.parse(analysis.value) as { settings?: Settings }).settings
    : undefined;
  const synthetic = await caseIsSynthetic(conn);
  const tiers = await queryPlain(
    conn,
    `SELECT country, tier, victims,
       CASE tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END AS tier_order
     FROM stats_countries WHERE country <> '' ORDER BY country, tier_order`,
  );
  const suspects = await queryPlain(
    conn,
    // Where the evidence places the user (docs/jurisdiction.md), the declared country failing it.
    `SELECT account_id, score, priority, coalesce(jurisdiction, country) AS country, crew_id,
       ${COMPONENTS.map((c) => (c.endsWith('_gbp') ? `CAST(${c} AS DOUBLE) AS ${c}` : c)).join(', ')},
       ${COMPONENTS.map((c) => `points_${c}`).join(', ')}
     FROM suspects ORDER BY score DESC, account_id LIMIT ${topSuspects}`,
  );
  const largest = await queryRows<{ crew_id: string; n: bigint }>(
    conn,
    `SELECT crew_id, count(*) AS n FROM crews GROUP BY crew_id ORDER BY n DESC, crew_id LIMIT ${graphs}`,
  );
  const crews = [];
  for (const c of largest) {
    crews.push({
      id: c.crew_id,
      size: Number(c.n),
      graph: await accountNetwork(conn, [c.crew_id]),
    });
  }
  return {
    synthetic,
    headline: { ...headline, likely_seconds: settings?.likely_seconds ?? null },
    stats: await readStats(conn),
    tiersByCountry: tiers,
    suspects,
    crews,
  };
}

/** Every crew, largest first, in one query (1,930 crews at iSpoof's size: a few hundred KB). */
export async function crewRows(conn: DuckDBConnection): Promise<CrewRow[]> {
  const rows = await queryRows<{
    crew_id: string;
    accounts: bigint;
    priority_suspects: bigint;
    calls: bigint;
    paid_gbp: number;
    top_score: number | null;
    members: string[];
  }>(
    conn,
    `SELECT c.crew_id, count(*) AS accounts,
       count(*) FILTER (WHERE s.priority <> '') AS priority_suspects,
       CAST(coalesce(sum(s.calls), 0) AS BIGINT) AS calls,
       CAST(coalesce(sum(s.paid_gbp), 0) AS DOUBLE) AS paid_gbp,
       CAST(max(s.score) AS DOUBLE) AS top_score,
       list(c.account_id ORDER BY s.score DESC NULLS LAST, c.account_id)[1:${MEMBERS_SHOWN}] AS members
     FROM crews c LEFT JOIN suspects s USING (account_id)
     GROUP BY c.crew_id ORDER BY accounts DESC, c.crew_id`,
  );
  return rows.map((r) => ({
    id: r.crew_id,
    accounts: Number(r.accounts),
    prioritySuspects: Number(r.priority_suspects),
    calls: Number(r.calls),
    paidGbp: r.paid_gbp,
    topScore: r.top_score ?? 0,
    members: r.members,
  }));
}
