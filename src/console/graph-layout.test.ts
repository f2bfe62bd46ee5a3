/**
 * The crew graph's layout on a crew shaped like iSpoof's largest (hundreds of accounts, a few
 * identifiers shared by many, most by two): every node has its own place and the drawing uses
 * both directions, not a line with nodes piled up.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UndirectedGraph } from 'graphology';
import { seedPosition, spreadLayout } from './client/layout.ts';

function bigCrew(accounts: number): UndirectedGraph {
  const g = new UndirectedGraph();
  const add = (key: string) => {
    if (!g.hasNode(key)) g.addNode(key, { ...seedPosition(g.order), size: 5 });
  };
  for (let i = 0; i < accounts; i++) {
    const a = `account:${i}`;
    add(a);
    // A wallet shared by every tenth account, a device shared by neighbours, an IP by many.
    const shared = [`wallet:${Math.floor(i / 10)}`, `device:${Math.floor(i / 2)}`, `ip:${i % 7}`];
    for (const id of shared) {
      add(id);
      if (!g.hasEdge(a, id)) g.addEdge(a, id);
    }
  }
  return g;
}

test('the largest crew spreads over the plane, every node at its own place', () => {
  const g = bigCrew(600);
  spreadLayout(g);
  const xs: number[] = [];
  const ys: number[] = [];
  const places = new Set<string>();
  g.forEachNode((_, a) => {
    xs.push(a.x as number);
    ys.push(a.y as number);
    places.add(`${Math.round((a.x as number) * 100)}|${Math.round((a.y as number) * 100)}`);
  });
  assert.ok(xs.every(Number.isFinite) && ys.every(Number.isFinite), 'finite positions');
  assert.equal(places.size, g.order, 'no two nodes on one place');
  const w = Math.max(...xs) - Math.min(...xs);
  const h = Math.max(...ys) - Math.min(...ys);
  const aspect = w / h;
  assert.ok(
    aspect > 0.25 && aspect < 4,
    `spread in both directions (${w.toFixed(0)} × ${h.toFixed(0)})`,
  );
});

test('seed positions are distinct and grow outwards', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const p = seedPosition(i);
    seen.add(`${p.x.toFixed(6)}|${p.y.toFixed(6)}`);
  }
  assert.equal(seen.size, 1000);
  const r = (i: number) => Math.hypot(seedPosition(i).x, seedPosition(i).y);
  assert.ok(r(999) > r(10));
});
