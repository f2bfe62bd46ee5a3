/**
 * The report as one self-contained HTML page: inline CSS and SVG only, and a Content Security
 * Policy that forbids fetching anything, so it opens the same on an air-gapped machine.
 * Every text that comes from the case is escaped.
 */
import { COMPONENTS } from '../analyze/score.ts';
import { esc } from '../shared/html.ts';
import type { Rows } from './charts.ts';

const num = (v: unknown) =>
  typeof v === 'number' ? v.toLocaleString('en-GB', { maximumFractionDigits: 2 }) : esc(v);

export interface Figure {
  id: string;
  title: string;
  svg: string;
  note?: string;
}

export interface Page {
  title: string;
  generated: string;
  synthetic: boolean;
  headline: Array<[string, string | number | null]>;
  figures: Figure[];
  suspects: Rows;
  suspectsChart: string;
  crews: Array<{ id: string; size: number; svg: string; members: string[] }>;
  scoreFormula: string;
}

const CSS = `
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.8rem;margin:0 0 4px}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;padding-bottom:4px}
.banner{background:#7a1f1f;color:#fff;padding:8px 24px;font-weight:600}
.meta{color:#555}.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}
.figure{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px}
.figure .n{font-size:1.6rem;font-weight:700}.figure .l{color:#555;font-size:.9rem}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0;overflow-x:auto}
.chart h3{margin:0 0 8px;font-size:1rem}.row{display:flex;flex-wrap:wrap;gap:12px}.row .chart{flex:1 1 440px}
table{border-collapse:collapse;background:#fff;font-size:.85rem}th,td{border:1px solid #ddd;padding:4px 6px;text-align:right}
th{background:#eee}td.t,th.t{text-align:left}.crews{display:flex;flex-wrap:wrap;gap:12px}
.note{color:#555;font-size:.9rem}`;

export function renderPage(p: Page): string {
  const figures = p.headline
    .map(
      ([label, n]) =>
        `<div class="figure"><div class="n">${num(n)}</div><div class="l">${esc(label)}</div></div>`,
    )
    .join('');
  const chart = (f: Figure) =>
    `<section class="chart" id="${esc(f.id)}" data-chart="${esc(f.id)}"><h3>${esc(f.title)}</h3>${f.svg}${
      f.note ? `<p class="note">${esc(f.note)}</p>` : ''
    }</section>`;
  const cols = ['account_id', 'score', 'priority', 'country', 'crew_id', ...COMPONENTS];
  const head = [...cols, ...COMPONENTS.map((c) => `points_${c}`)];
  const table = `<table id="top-suspects"><thead><tr>${head
    .map((c, i) => `<th class="${i < 5 ? 't' : ''}">${esc(c.replaceAll('_', ' '))}</th>`)
    .join('')}</tr></thead><tbody>${p.suspects
    .map(
      (r) =>
        `<tr>${head.map((c, i) => `<td class="${i < 5 ? 't' : ''}">${num(r[c])}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  const crews = p.crews
    .map(
      (c) =>
        `<section class="chart" data-chart="crew-${esc(c.id)}"><h3>${esc(c.id)}: ${c.size} accounts</h3>${c.svg}<p class="note">${c.members.map(esc).join(', ')}</p></section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
${p.synthetic ? '<div class="banner" role="note">SYNTHETIC DATA — a generated case for demonstration and tests, not seized records</div>' : ''}
<main>
<h1>${esc(p.title)}</h1>
<p class="meta">Generated ${esc(p.generated)} by unspoof. Personal data: restricted to the investigation; numbers of victims are not shown in this report.</p>
<h2>Headline figures</h2>
<div class="figures" id="headline">${figures}</div>
<h2>Activity</h2>
${p.figures.map(chart).join('\n')}
<h2>Top suspects and their score</h2>
<p class="note">${esc(p.scoreFormula)}</p>
<section class="chart" data-chart="score-breakdown"><h3>Score, component by component</h3>${p.suspectsChart}</section>
<div class="chart">${table}</div>
<h2>Largest crews</h2>
<div class="crews">${crews || '<p>No crews were found.</p>'}</div>
</main>
</body>
</html>
`;
}
