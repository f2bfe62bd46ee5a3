/** The account network for Gephi: GEXF through graphology-gexf, GraphML that parses back. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { UndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { memoryEffects } from '../shared/effects.ts';
import { analysedCase } from '../../test/analysis-case.ts';
import { tempDir } from '../../test/fixtures.ts';
import { graphCommand, graphFormat, toGraphml } from './graph.ts';
import { golden } from '../../test/golden.ts';

test('GEXF and GraphML hold the linked accounts and the evidence of each link', async () => {
  const { caseDir } = await analysedCase();
  const dir = tempDir('unspoof-graph-');
  const gexf = path.join(dir, 'g.gexf');
  await graphCommand({ case: caseDir, out: gexf, format: 'gexf' }, memoryEffects());
  const g = parseGexf(UndirectedGraph, fs.readFileSync(gexf, 'utf8'));
  assert.deepEqual(g.nodes().sort(), ['a1', 'a2', 'a3', 'a4', 'a5']);
  assert.equal(g.size, 3);
  assert.equal(g.getEdgeAttribute(g.edge('a4', 'a5') as string, 'evidence'), 'ip:203.0.113.7');
  assert.equal(g.getNodeAttribute('a1', 'priority'), 'GB');

  const graphml = path.join(dir, 'g.graphml');
  await graphCommand({ case: caseDir, out: graphml, format: 'graphml' }, memoryEffects());
  golden('network.graphml', fs.readFileSync(graphml, 'utf8'));
});

test('the format comes from --format, else from the file name, as crews does', async () => {
  assert.equal(graphFormat('x.gexf'), 'gexf');
  assert.equal(graphFormat('out/X.GraphML'), 'graphml');
  assert.equal(graphFormat('x.gexf', 'graphml'), 'graphml');
  assert.throws(() => graphFormat('x.csv'), { code: 'USAGE', message: /\.gexf or \.graphml/ });
  const { caseDir } = await analysedCase();
  const out = path.join(tempDir('unspoof-graph-'), 'network.gexf');
  await graphCommand({ case: caseDir, out }, memoryEffects());
  assert.equal(parseGexf(UndirectedGraph, fs.readFileSync(out, 'utf8')).order, 5);
});

test('GraphML escapes what it writes', () => {
  const g = new UndirectedGraph();
  const attrs = {
    label: 'a<&>"',
    score: 1,
    priority: '',
    crew: '',
    country: '',
    paid_gbp: 0,
    likely_victims: 0,
  };
  g.addNode('a<1>', attrs);
  g.addNode('b', { ...attrs, label: 'b' });
  g.addEdge('a<1>', 'b', { via: 'email', evidence: "email:x'y@z", first_seen: '', last_seen: '' });
  const xml = toGraphml(g as never);
  assert.match(xml, /<node id="a&lt;1&gt;">/);
  assert.match(xml, /a&lt;&amp;&gt;&quot;/);
  assert.match(xml, /email:x&apos;y@z/);
});
