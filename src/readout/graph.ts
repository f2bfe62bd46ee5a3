/**
 * `unspoof graph`: the account network for Gephi and other graph tools, as GEXF
 * (graphology-gexf) or GraphML (written here: no maintained writer exists for graphology).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { UndirectedGraph } from 'graphology';
import { write as writeGexf } from 'graphology-gexf';
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { withAnalysedCase } from './analysed.ts';
import { accountNetwork, type AccountNode, type LinkEdge } from './network.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  format: z.enum(['gexf', 'graphml']).optional(),
  json: z.boolean().optional(),
});

/** The format `--format` names, else the one `--out`'s extension names, as `crews` does. */
export function graphFormat(out: string, format?: 'gexf' | 'graphml'): 'gexf' | 'graphml' {
  if (format) return format;
  const ext = path.extname(out).toLowerCase();
  if (ext === '.gexf') return 'gexf';
  if (ext === '.graphml') return 'graphml';
  throw new UnspoofError(
    'USAGE',
    `cannot tell the format from ${path.basename(out)}: name it .gexf or .graphml, or give --format`,
  );
}

const xml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );

const NODE_KEYS: Array<[keyof AccountNode, 'string' | 'double']> = [
  ['label', 'string'],
  ['score', 'double'],
  ['priority', 'string'],
  ['crew', 'string'],
  ['country', 'string'],
  ['paid_gbp', 'double'],
  ['likely_victims', 'double'],
];
const EDGE_KEYS: Array<keyof LinkEdge> = ['via', 'evidence', 'first_seen', 'last_seen'];

export function toGraphml(graph: UndirectedGraph<AccountNode, LinkEdge>): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...NODE_KEYS.map(([k, t]) => `  <key id="${k}" for="node" attr.name="${k}" attr.type="${t}"/>`),
    ...EDGE_KEYS.map((k) => `  <key id="${k}" for="edge" attr.name="${k}" attr.type="string"/>`),
    '  <graph id="accounts" edgedefault="undirected">',
  ];
  graph.forEachNode((id, a) => {
    out.push(`    <node id="${xml(id)}">`);
    for (const [k] of NODE_KEYS) out.push(`      <data key="${k}">${xml(String(a[k]))}</data>`);
    out.push('    </node>');
  });
  graph.forEachEdge((_e, a, s, t) => {
    out.push(`    <edge source="${xml(s)}" target="${xml(t)}">`);
    for (const k of EDGE_KEYS) out.push(`      <data key="${k}">${xml(a[k])}</data>`);
    out.push('    </edge>');
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

export async function graphCommand(raw: unknown, fx: Effects): Promise<void> {
  const parsed = parseOptions(Options, raw);
  const o = { ...parsed, format: graphFormat(parsed.out, parsed.format) };
  const graph = await withAnalysedCase(o.case, async (conn) => {
    await auditExport(o.case, 'graph', { out: o.out, format: o.format }, fx.now());
    return accountNetwork(conn);
  });
  const text =
    o.format === 'gexf' ? writeGexf(graph, { pretty: true, version: '1.3' }) : toGraphml(graph);
  fs.writeFileSync(o.out, text);
  const summary = { out: o.out, format: o.format, nodes: graph.order, edges: graph.size };
  fx.out(
    o.json
      ? JSON.stringify(summary)
      : `${graph.order.toLocaleString('en-GB')} accounts and ${graph.size.toLocaleString('en-GB')} links written to ${o.out} (${o.format})`,
  );
}
