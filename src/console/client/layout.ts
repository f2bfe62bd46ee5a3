/**
 * Where the crew graph's nodes go (no DOM here, so it is tested in Node). Nodes start on a
 * sunflower spiral, each at its own place: started on one circle, nodes added in pairs shared a
 * place, and ForceAtlas2 cannot push apart nodes that sit on each other, so the largest crew drew
 * as a line with its nodes piled up. Then ForceAtlas2 spreads them, with its Barnes-Hut
 * approximation on large graphs and enough rounds for their size.
 */
import type { UndirectedGraph } from 'graphology';
import forceAtlas2Import from 'graphology-layout-forceatlas2';

// The package is CommonJS with ESM types: the bundler hands over the function, Node's loader
// (the tests) the module object whose `default` it is; typed for the bundler's view.
type ForceAtlas2 = typeof forceAtlas2Import extends { default: infer D }
  ? D
  : typeof forceAtlas2Import;
const forceAtlas2 = ((forceAtlas2Import as { default?: unknown }).default ??
  forceAtlas2Import) as ForceAtlas2;

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/** The place of the `i`-th node on the spiral around `near` (`spread` apart). */
export function seedPosition(
  i: number,
  near: { x: number; y: number } = { x: 0, y: 0 },
  spread = 10,
): { x: number; y: number } {
  const r = spread * Math.sqrt(i + 0.5);
  return { x: near.x + r * Math.cos(i * GOLDEN_ANGLE), y: near.y + r * Math.sin(i * GOLDEN_ANGLE) };
}

/** Rounds of ForceAtlas2: fewer on very large graphs, which Barnes-Hut makes cheaper per round. */
export function layoutRounds(order: number): number {
  return order > 2000 ? 60 : order > 500 ? 120 : 200;
}

export function spreadLayout(graph: UndirectedGraph, iterations = layoutRounds(graph.order)): void {
  forceAtlas2.assign(graph, {
    iterations,
    settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 300 },
  });
}
