/**
 * The account network as a graphology graph: accounts that are linked (or in a crew) as nodes,
 * with their score, priority, crew and country; one edge per linked pair, naming the
 * identifiers that link them. Shared by the graph export and the report.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UndirectedGraph } from 'graphology';
import { queryRows } from '../case/store.ts';
import { sqlString } from '../shared/sql.ts';

export interface AccountNode {
  label: string;
  score: number;
  priority: string;
  crew: string;
  country: string;
  paid_gbp: number;
  likely_victims: number;
}

export interface LinkEdge {
  via: string;
  evidence: string;
  first_seen: string;
  last_seen: string;
}

/** `crews`: only these crews (by id); absent: every linked account. */
export async function accountNetwork(
  conn: DuckDBConnection,
  crews?: readonly string[],
): Promise<UndirectedGraph<AccountNode, LinkEdge>> {
  const crewFilter = crews
    ? `WHERE c.crew_id IN (${crews.map(sqlString).join(', ') || 'NULL'})`
    : '';
  const nodes = await queryRows<Record<string, unknown>>(
    conn,
    `WITH linked AS (SELECT account_a AS account_id FROM links UNION SELECT account_b FROM links)
     SELECT s.account_id, s.score, s.priority, coalesce(c.crew_id, '') AS crew, coalesce(s.country, '') AS country,
            CAST(s.paid_gbp AS DOUBLE) AS paid_gbp, s.likely_victims + s.harmed_victims AS likely_victims
       FROM linked l JOIN suspects s USING (account_id) LEFT JOIN crews c USING (account_id)
       ${crewFilter} ORDER BY s.account_id`,
  );
  const graph = new UndirectedGraph<AccountNode, LinkEdge>();
  for (const n of nodes) {
    graph.addNode(String(n.account_id), {
      label: String(n.account_id),
      score: Number(n.score),
      priority: String(n.priority),
      crew: String(n.crew),
      country: String(n.country),
      paid_gbp: Number(n.paid_gbp),
      likely_victims: Number(n.likely_victims),
    });
  }
  const edges = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT account_a, account_b, string_agg(DISTINCT type, ';' ORDER BY type) AS via,
            string_agg(type || ':' || value, ';' ORDER BY type, value) AS evidence,
            strftime(min(first_seen), '%Y-%m-%dT%H:%M:%SZ') AS first_seen,
            strftime(max(last_seen), '%Y-%m-%dT%H:%M:%SZ') AS last_seen
       FROM links GROUP BY account_a, account_b ORDER BY account_a, account_b`,
  );
  for (const e of edges) {
    const a = String(e.account_a);
    const b = String(e.account_b);
    if (!graph.hasNode(a) || !graph.hasNode(b)) continue;
    graph.addEdge(a, b, {
      via: String(e.via),
      evidence: String(e.evidence),
      first_seen: String(e.first_seen),
      last_seen: String(e.last_seen),
    });
  }
  return graph;
}
