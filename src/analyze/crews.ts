/**
 * Crews: groups of accounts joined by links (docs/analysis.md, "Network: identifiers, links,
 * crews"). A crew is a connected group
 * of two or more linked accounts; a group larger than the case's `max_crew_size` is split into
 * communities with graphology's Louvain (seeded, so a case's crews are stable run to run).
 * Crew ids are `crew0001…` by size (largest first), then by smallest account id.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { connectedComponents } from 'graphology-components';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

// The package is CommonJS with an ES-style declaration: at run time the import is the function.
const louvain = louvainModule as unknown as (typeof louvainModule)['default'];

export interface CrewOptions {
  maxCrewSize: number;
  seed: number;
}

/** Groups accounts from their link pairs; returns crews as sorted lists of account ids. */
export function groupCrews(pairs: ReadonlyArray<readonly [string, string]>, o: CrewOptions) {
  const graph = new UndirectedGraph();
  for (const [a, b] of pairs) {
    if (a === b) continue;
    graph.mergeNode(a);
    graph.mergeNode(b);
    graph.mergeEdge(a, b);
  }
  const groups: string[][] = [];
  for (const component of connectedComponents(graph)) {
    if (component.length < 2) continue;
    if (component.length <= o.maxCrewSize) {
      groups.push(component);
      continue;
    }
    const sub = graph.copy();
    const keep = new Set(component);
    sub.forEachNode((n: string) => {
      if (!keep.has(n)) sub.dropNode(n);
    });
    const gen = xoroshiro128plus(o.seed);
    const communities = louvain(sub, { rng: () => uniformFloat64(gen) });
    const byCommunity = new Map<number, string[]>();
    for (const [node, c] of Object.entries(communities)) {
      const list = byCommunity.get(c) ?? [];
      list.push(node);
      byCommunity.set(c, list);
    }
    for (const list of byCommunity.values()) if (list.length >= 2) groups.push(list);
  }
  for (const g of groups) g.sort();
  groups.sort((x, y) => y.length - x.length || ((x[0] ?? '') < (y[0] ?? '') ? -1 : 1));
  return groups;
}

/** Reads `links`, writes `crews (crew_id, account_id, crew_size)`. Returns the crew count. */
export async function computeCrews(conn: DuckDBConnection, o: CrewOptions): Promise<number> {
  const reader = await conn.runAndReadAll(
    'SELECT DISTINCT account_a, account_b FROM links ORDER BY account_a, account_b',
  );
  const [as = [], bs = []] = reader.getColumnsJS() as string[][];
  const groups = groupCrews(
    as.map((a, i) => [a, bs[i] as string] as const),
    o,
  );
  await conn.run(
    'CREATE OR REPLACE TABLE crews (crew_id VARCHAR NOT NULL, account_id VARCHAR NOT NULL, crew_size INTEGER NOT NULL)',
  );
  const appender = await conn.createAppender('crews');
  const width = Math.max(4, String(groups.length).length);
  groups.forEach((members, i) => {
    const id = `crew${String(i + 1).padStart(width, '0')}`;
    for (const m of members) {
      appender.appendVarchar(id);
      appender.appendVarchar(m);
      appender.appendInteger(members.length);
      appender.endRow();
    }
  });
  appender.flushSync();
  appender.closeSync();
  return groups.length;
}
