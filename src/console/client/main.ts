/**
 * The console's client module (bundled by esbuild when the server starts, served as
 * /assets/console.js). Pages work without it; it draws crew graphs with sigma.js: zoom, pan,
 * node types by colour, click a node to select it, open the account or expand its neighbours.
 */
import { UndirectedGraph as Graph } from 'graphology';
import Sigma from 'sigma';
import { seedPosition, spreadLayout } from './layout.ts';

interface GraphJson {
  nodes: Array<{ key: string; label: string; type: string; score?: number }>;
  edges: Array<{ source: string; target: string }>;
}

export const COLOURS: Record<string, string> = {
  priority: '#b3261e',
  account: '#1d70b8',
  wallet: '#f47738',
  email: '#4c2c92',
  phone: '#00703c',
  telegram: '#28a197',
  device: '#6f777b',
  ip: '#d4351c',
};

function addData(graph: Graph, data: GraphJson, near?: { x: number; y: number }): number {
  let added = 0;
  const labelled = data.nodes.length <= LABEL_ALL_BELOW;
  for (const n of data.nodes) {
    if (graph.hasNode(n.key)) continue;
    const account = n.type === 'priority' || n.type === 'account';
    graph.addNode(n.key, {
      label: n.label,
      kind: n.type,
      ...seedPosition(graph.order, near, near ? 1 : 10),
      size: account ? 6 + Math.min(10, (n.score ?? 0) / 2) : 4,
      color: COLOURS[n.type] ?? '#505a5f',
      // What links the accounts is named on the graph itself, not only when selected.
      forceLabel: labelled && !account,
    });
    added++;
  }
  for (const e of data.edges) {
    if (graph.hasNode(e.source) && graph.hasNode(e.target) && !graph.hasEdge(e.source, e.target)) {
      graph.addEdge(e.source, e.target, { size: 1, color: '#b1b4b6' });
    }
  }
  return added;
}

/** Up to this many nodes, every identifier's label is drawn; beyond, only on zooming in. */
const LABEL_ALL_BELOW = 300;

async function fetchGraph(url: string): Promise<GraphJson> {
  const res = await fetch(url, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`the graph could not be loaded (${res.status})`);
  return (await res.json()) as GraphJson;
}

async function drawCrew(container: HTMLElement): Promise<void> {
  const graph = new Graph();
  addData(graph, await fetchGraph(container.dataset.src as string));
  spreadLayout(graph);
  // Large crews stay smooth: labels and links are hidden while the camera moves.
  const large = graph.order > 1000;
  const renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: large ? 10 : 7,
    defaultEdgeType: 'line',
    hideEdgesOnMove: large,
    hideLabelsOnMove: large,
  });
  const panel = document.createElement('div');
  panel.className = 'graph-panel';
  panel.setAttribute('aria-live', 'polite');
  panel.textContent = `${graph.order} nodes, ${graph.size} links. Select an account to open it or expand it.`;
  container.after(panel);

  const select = (node: string) => {
    const attrs = graph.getNodeAttributes(node);
    panel.replaceChildren();
    const title = document.createElement('strong');
    title.textContent = `${attrs.kind as string}: ${attrs.label as string}`;
    panel.append(title);
    if (node.startsWith('account:')) {
      const id = node.slice('account:'.length);
      const open = document.createElement('a');
      open.href = `/suspects/${encodeURIComponent(id)}`;
      open.textContent = 'Open account';
      const expand = document.createElement('button');
      expand.type = 'button';
      expand.textContent = 'Expand neighbours';
      expand.addEventListener('click', () => {
        void fetchGraph(`/accounts/${encodeURIComponent(id)}/neighbours.json`).then((data) => {
          const added = addData(graph, data, { x: attrs.x as number, y: attrs.y as number });
          spreadLayout(graph, 30);
          renderer.refresh();
          expand.textContent = `${added} added`;
          container.dataset.nodes = String(graph.order);
        });
      });
      panel.append(' ', open, ' ', expand);
    }
  };
  renderer.on('clickNode', ({ node }) => select(node));
  renderer.on('doubleClickNode', ({ node }) => {
    if (node.startsWith('account:'))
      window.location.assign(`/suspects/${encodeURIComponent(node.slice(8))}`);
  });
  const focus = container.dataset.focus;
  if (focus && graph.hasNode(focus)) {
    graph.setNodeAttribute(focus, 'highlighted', true);
    select(focus);
  }
  container.dataset.nodes = String(graph.order);
  // Marked drawn once sigma has drawn a frame (tests and the bench wait for it).
  renderer.once('afterRender', () => {
    container.dataset.rendered = 'true';
  });
  renderer.refresh();
}

for (const el of document.querySelectorAll<HTMLElement>('#crew-graph')) {
  drawCrew(el).catch((e: unknown) => {
    el.textContent = (e as Error).message;
    el.dataset.rendered = 'error';
  });
}

/** A campaign's progress, polled every two seconds while it is being sent. */
async function followProgress(el: HTMLElement): Promise<void> {
  const url = el.dataset.progressUrl;
  if (!url) return;
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) return;
    const p = (await res.json()) as Record<string, number | string>;
    const bar = el.querySelector('progress');
    if (bar) bar.value = Number(p.done);
    for (const span of el.querySelectorAll<HTMLElement>('[data-k]')) {
      const v = p[span.dataset.k ?? ''];
      if (typeof v === 'number') span.textContent = v.toLocaleString('en-GB');
    }
    el.dataset.state = String(p.state);
    if (p.state !== 'sending' && p.state !== 'approved' && p.state !== 'paused') return;
  }
}

for (const el of document.querySelectorAll<HTMLElement>('[data-progress-url]')) {
  void followProgress(el);
}
