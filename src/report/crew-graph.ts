/**
 * A crew drawn as a graph (Vega's force layout, rendered to static SVG): accounts as nodes,
 * sized by score and coloured by priority, links labelled by what they share.
 */
import type { UndirectedGraph } from 'graphology';
import type { Spec } from 'vega';
import type { AccountNode, LinkEdge } from '../readout/network.ts';
import { renderVega } from './charts.ts';

export async function crewSvg(graph: UndirectedGraph<AccountNode, LinkEdge>): Promise<string> {
  const ids = graph.nodes();
  const index = new Map(ids.map((id, i) => [id, i]));
  const nodes = ids.map((id) => {
    const a = graph.getNodeAttributes(id);
    return { id, score: a.score, flagged: a.priority ? 'priority suspect' : 'other account' };
  });
  const links = graph.mapEdges((_e, a, s, t) => ({
    source: index.get(s) as number,
    target: index.get(t) as number,
    via: a.via,
  }));
  const spec: Spec = {
    width: 360,
    height: 260,
    padding: 8,
    autosize: 'none',
    data: [
      { name: 'links', values: links },
      {
        name: 'nodes',
        values: nodes,
        transform: [
          {
            type: 'force',
            iterations: 300,
            static: true,
            forces: [
              { force: 'center', x: 180, y: 130 },
              { force: 'collide', radius: 18 },
              { force: 'nbody', strength: -60 },
              { force: 'link', links: 'links', distance: 50 },
            ],
          },
        ],
      },
    ],
    scales: [
      {
        name: 'colour',
        type: 'ordinal',
        domain: ['priority suspect', 'other account'],
        range: ['#d62728', '#1f77b4'],
      },
      {
        name: 'size',
        type: 'linear',
        domain: { data: 'nodes', field: 'score' },
        range: [60, 400],
        zero: true,
      },
    ],
    legends: [{ fill: 'colour', orient: 'top-left' }],
    marks: [
      {
        type: 'path',
        from: { data: 'links' },
        encode: { update: { stroke: { value: '#999' }, strokeWidth: { value: 1.5 } } },
        transform: [
          {
            type: 'linkpath',
            shape: 'line',
            sourceX: 'datum.source.x',
            sourceY: 'datum.source.y',
            targetX: 'datum.target.x',
            targetY: 'datum.target.y',
          },
        ],
      },
      {
        type: 'symbol',
        from: { data: 'nodes' },
        encode: {
          update: {
            x: { field: 'x' },
            y: { field: 'y' },
            fill: { scale: 'colour', field: 'flagged' },
            size: { scale: 'size', field: 'score' },
            stroke: { value: 'white' },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'nodes' },
        encode: {
          update: {
            x: { field: 'x' },
            y: { field: 'y', offset: -12 },
            text: { field: 'id' },
            align: { value: 'center' },
            fontSize: { value: 10 },
          },
        },
      },
    ],
  };
  return renderVega(spec);
}
