/**
 * A crew as the console draws it: accounts, and the identifiers they share (wallet, email,
 * phone, telegram handle, device, IP) as nodes of their own type, so that what links two
 * accounts is visible on the graph itself. `neighbours` gives one account's links beyond its
 * crew, for "expand".
 */
import type { Analysis } from '../readout/analysis.ts';

export const NODE_TYPES = [
  'priority',
  'account',
  'wallet',
  'email',
  'phone',
  'telegram',
  'device',
  'ip',
] as const;

export interface GraphJson {
  nodes: Array<{ key: string; label: string; type: string; score?: number; crew?: string }>;
  edges: Array<{ source: string; target: string; first_seen: string; last_seen: string }>;
}

export async function crewGraph(a: Analysis, crewId: string): Promise<GraphJson> {
  const members = await a.rows(
    `SELECT s.account_id, s.score, s.priority, c.crew_id
       FROM crews c JOIN suspects s USING (account_id) WHERE c.crew_id = $crew`,
    { crew: crewId },
  );
  const links = await a.rows(
    `SELECT DISTINCT l.account_a, l.account_b, l.type, l.value, l.first_seen, l.last_seen
       FROM links l JOIN crews ca ON ca.account_id = l.account_a JOIN crews cb ON cb.account_id = l.account_b
      WHERE ca.crew_id = $crew AND cb.crew_id = $crew`,
    { crew: crewId },
  );
  return build(members, links);
}

export async function neighbours(a: Analysis, accountId: string): Promise<GraphJson> {
  const links = await a.rows(
    `SELECT account_a, account_b, type, value, first_seen, last_seen FROM links
      WHERE account_a = $id OR account_b = $id`,
    { id: accountId },
  );
  const members = await a.rows(
    `WITH l AS (SELECT account_a, account_b FROM links WHERE account_a = $id OR account_b = $id),
          ids AS (SELECT account_a AS account_id FROM l UNION SELECT account_b FROM l)
     SELECT s.account_id, s.score, s.priority, c.crew_id
       FROM ids JOIN suspects s USING (account_id) LEFT JOIN crews c USING (account_id)`,
    { id: accountId },
  );
  return build(members, links);
}

function build(
  members: Array<Record<string, unknown>>,
  links: Array<Record<string, unknown>>,
): GraphJson {
  const nodes: GraphJson['nodes'] = members.map((m) => ({
    key: `account:${String(m.account_id)}`,
    label: String(m.account_id),
    type: m.priority ? 'priority' : 'account',
    score: Number(m.score),
    crew: m.crew_id ? String(m.crew_id) : '',
  }));
  const known = new Set(nodes.map((n) => n.key));
  const edges: GraphJson['edges'] = [];
  const seen = new Set<string>();
  for (const l of links) {
    const id = `${String(l.type)}:${String(l.value)}`;
    if (!known.has(id)) {
      known.add(id);
      nodes.push({ key: id, label: String(l.value), type: String(l.type) });
    }
    for (const acc of [l.account_a, l.account_b]) {
      const source = `account:${String(acc)}`;
      const key = `${source}|${id}`;
      if (!known.has(source) || seen.has(key)) continue;
      seen.add(key);
      edges.push({
        source,
        target: id,
        first_seen: String(l.first_seen),
        last_seen: String(l.last_seen),
      });
    }
  }
  return { nodes, edges };
}
