/**
 * The report as one self-contained HTML page: inline CSS and SVG only, and a Content Security
 * Policy that forbids fetching anything, so it opens the same on an air-gapped machine.
 * Every text that comes from the case is escaped. Tables are as wide as the page and wrap their
 * cells; crews come in sections of CREWS_PER_SECTION with links between them.
 */
import { esc } from '../shared/html.ts';
import {
  CREW_COLUMNS,
  SUSPECT_COLUMNS,
  type CaseReport,
  type Cells,
  type Column,
  type Figure,
} from './model.ts';

export const CREWS_PER_SECTION = 50;

const CSS = `
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.8rem;margin:0 0 4px}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;padding-bottom:4px}
.kicker{margin:0;color:#555;text-transform:uppercase;letter-spacing:.05em;font-size:.85rem}
.banner{background:#7a1f1f;color:#fff;padding:8px 24px;font-weight:600}
.meta{color:#555}.summary{font-size:1.05rem;line-height:1.5;max-width:70em}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;margin:0}
.figures div{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px}
.figures dd{margin:0;font-size:1.4rem;font-weight:700}.figures dt{color:#555;font-size:.9rem}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0;overflow-x:auto}
.chart h3{margin:0 0 8px;font-size:1rem}.chart svg{max-width:100%;height:auto}
.table-wrap{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0}
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.85rem}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:right;vertical-align:top;overflow-wrap:anywhere}
th{background:#eee}td.t,th.t{text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}
.crews{display:flex;flex-wrap:wrap;gap:12px}.crews .chart{flex:1 1 400px}
nav.sections ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
.note{color:#555;font-size:.9rem}
@media print{body{background:#fff}.chart,.table-wrap{break-inside:avoid}}`;

/** Relative widths of a table's columns (text columns wider than numbers, members widest). */
export function columnWeights(cols: readonly Column[]): number[] {
  return cols.map((c) => (c.key === 'members' ? 5 : c.kind === 'text' ? 1.6 : 1));
}

export function tableHtml(
  id: string,
  caption: string,
  cols: readonly Column[],
  rows: readonly Cells[],
): string {
  const weights = columnWeights(cols);
  const total = weights.reduce((a, b) => a + b, 0);
  const colgroup = weights
    .map((w) => `<col style="width:${((100 * w) / total).toFixed(2)}%">`)
    .join('');
  const cls = (c: Column) => (c.kind === 'text' ? ' class="t"' : '');
  return `<table id="${esc(id)}"><caption>${esc(caption)}</caption><colgroup>${colgroup}</colgroup><thead><tr>${cols
    .map((c) => `<th scope="col"${cls(c)}>${esc(c.label)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cols.map((c) => `<td${cls(c)}>${esc(r[c.key])}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const chart = (f: Figure) =>
  `<section class="chart" id="${esc(f.id)}" data-chart="${esc(f.id)}"><h3>${esc(f.title)}</h3>${f.svg}${
    f.note ? `<p class="note">${esc(f.note)}</p>` : ''
  }</section>`;

/** Crews `from` to `to` (1-based, inclusive) as the label of their section. */
const range = (from: number, to: number) => (from === to ? `${from}` : `${from}–${to}`);

export function renderPage(r: CaseReport): string {
  const heading = r.title.name;
  const unnamed = r.title.named
    ? ''
    : `<p class="note" id="unnamed">This case has no name, so its folder's name stands in: set "name" in the case's case.json.</p>`;
  const figures = r.headline
    .map(([label, v]) => `<div><dt>${esc(label)}</dt><dd>${esc(v)}</dd></div>`)
    .join('');
  const sections: string[] = [];
  for (let i = 0; i < r.crews.length; i += CREWS_PER_SECTION) {
    const n = i / CREWS_PER_SECTION + 1;
    const to = Math.min(i + CREWS_PER_SECTION, r.crews.length);
    sections.push(
      `<section class="table-wrap crew-page" id="crews-${n}">${tableHtml(
        `crews-table-${n}`,
        `Crews ${range(i + 1, to)} of ${r.crews.length}`,
        CREW_COLUMNS,
        r.crews.slice(i, to),
      )}</section>`,
    );
  }
  const nav =
    sections.length > 1
      ? `<nav class="sections" aria-label="Crews by section"><ul>${sections
          .map((_, i) => {
            const from = i * CREWS_PER_SECTION + 1;
            const to = Math.min(from + CREWS_PER_SECTION - 1, r.crews.length);
            return `<li><a href="#crews-${i + 1}">Crews ${range(from, to)}</a></li>`;
          })
          .join('')}</ul></nav>`
      : '';
  const graphs = r.crewGraphs
    .map(
      (c) =>
        `<section class="chart" data-chart="crew-${esc(c.id)}"><h3>${esc(c.id)}: ${c.accounts} accounts</h3>${c.svg}<p class="note">${c.members.map(esc).join(', ')}</p></section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading)} · case report</title>
<style>${CSS}</style>
</head>
<body>
${r.synthetic ? '<div class="banner" role="note">SYNTHETIC DATA — a generated case for demonstration and tests, not seized records</div>' : ''}
<main>
<p class="kicker">Case report</p>
<h1>${esc(heading)}</h1>
<p class="meta">Generated ${esc(r.generated)} by unspoof. Personal data: restricted to the investigation; numbers of victims are not shown in this report. Money is in pounds sterling (GBP).</p>
${unnamed}
<h2>Summary</h2>
<p class="summary" id="summary">${esc(r.summary)}</p>
<h2>Headline figures</h2>
<dl class="figures" id="headline">${figures}</dl>
<h2>Activity</h2>
${r.figures.map(chart).join('\n')}
<h2>Top suspects and their score</h2>
<p class="note">${esc(r.scoreFormula)}</p>
${chart(r.scoreChart)}
<div class="table-wrap">${tableHtml('top-suspects', `The ${r.suspects.length} highest scores`, SUSPECT_COLUMNS, r.suspects)}</div>
<h2 id="crews">Crews (${r.crews.length})</h2>
${r.crews.length === 0 ? '<p>No crews were found.</p>' : `<p class="note">Every crew, largest first; the largest ${r.crewGraphs.length} drawn as graphs (priority suspects in red).</p>`}
<div class="crews">${graphs}</div>
${nav}
${sections.join('\n')}
</main>
</body>
</html>
`;
}
