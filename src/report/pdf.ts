/**
 * The report as a PDF (A4 landscape, so the tables keep their columns): the same model as the
 * HTML, charts drawn from their SVG to PNG (sharp), tables with column widths that add up to
 * the text width exactly and cells that wrap, a header row on every page a table reaches, and
 * every crew listed. The same model and clock give the same bytes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { columnWeights } from './html.ts';
import {
  CREW_COLUMNS,
  SUSPECT_COLUMNS,
  type CaseReport,
  type Cells,
  type Column,
  type Figure,
} from './model.ts';

const dejavu = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
const FONTS = path.join(path.dirname(dejavu), 'ttf');

export const PAGE = { size: 'A4', layout: 'landscape', margin: 40 } as const;

/** Column widths in points for a table as wide as `width`: they add up to it exactly. */
export function columnWidths(cols: readonly Column[], width: number): number[] {
  const weights = columnWeights(cols);
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((w / total) * width * 100) / 100);
  const rest = width - widths.reduce((a, b) => a + b, 0);
  widths[widths.length - 1] = Math.round(((widths.at(-1) ?? 0) + rest) * 100) / 100;
  return widths;
}

const png = (svg: string) => sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();

export async function reportPdf(r: CaseReport, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    layout: PAGE.layout,
    margin: PAGE.margin,
    pdfVersion: '1.7',
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: true,
    // The file ID is a hash of `info`: the report's own clock makes the bytes reproducible.
    info: { Title: `${r.title.name} · case report`, Creator: 'unspoof', CreationDate: now },
  });
  const done = buffer(doc);
  doc.registerFont('body', path.join(FONTS, 'DejaVuSans.ttf'));
  doc.registerFont('bold', path.join(FONTS, 'DejaVuSans-Bold.ttf'));
  doc.registerFont('cell', path.join(FONTS, 'DejaVuSansCondensed.ttf'));
  doc.registerFont('cell-bold', path.join(FONTS, 'DejaVuSansCondensed-Bold.ttf'));
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const room = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const text = (s: string, font = 'body', pt = 10, colour = '#1b1b1b') =>
    doc.font(font, pt).fillColor(colour).text(s, left, doc.y, { width });
  const h2 = (s: string) => {
    room(120);
    doc.moveDown(0.8);
    text(s, 'bold', 15);
    doc.moveDown(0.3);
  };
  const figure = async (f: Figure, maxHeight = 250) => {
    const image = await png(f.svg);
    const meta = await sharp(image).metadata();
    const scale = Math.min(width / (meta.width ?? 1), maxHeight / (meta.height ?? 1), 0.5);
    const h = (meta.height ?? 0) * scale;
    room(h + 40);
    text(f.title, 'bold', 11);
    doc.image(image, left, doc.y + 2, { width: (meta.width ?? 0) * scale, height: h });
    doc.y += h + 6;
    if (f.note) text(f.note, 'body', 9, '#555555');
    doc.moveDown(0.6);
  };
  const table = (cols: readonly Column[], rows: readonly Cells[], caption: string) => {
    const columnStyles = columnWidths(cols, width);
    const head = cols.map((c) => ({
      text: c.label,
      type: 'TH' as const,
      font: { src: 'cell-bold' },
      backgroundColor: '#eeeeee',
      align: { x: c.kind === 'text' ? ('left' as const) : ('right' as const) },
    }));
    const align = cols.map((c) => (c.kind === 'text' ? ('left' as const) : ('right' as const)));
    const start = () => {
      room(60);
      const t = doc.font('cell', 8).table({
        position: { x: left },
        maxWidth: width,
        columnStyles,
        defaultStyle: { padding: 3, border: 0.5, borderColor: '#bbbbbb' },
      });
      t.row(head);
      return t;
    };
    text(caption, 'bold', 10);
    doc.moveDown(0.2);
    let t = start();
    for (const row of rows) {
      // A row that would start at the foot of the page starts a new page, under the header again.
      if (doc.y + 40 > bottom()) {
        t.end();
        doc.addPage();
        t = start();
      }
      t.row(cols.map((c, i) => ({ text: row[c.key] ?? '', align: { x: align[i] ?? 'left' } })));
    }
    t.end();
    doc.x = left;
    doc.moveDown(0.6);
  };

  if (r.synthetic) {
    doc.rect(left, doc.y, width, 22).fill('#7a1f1f');
    doc
      .font('bold', 10)
      .fillColor('#ffffff')
      .text(
        'SYNTHETIC DATA — a generated case for demonstration and tests, not seized records',
        left + 8,
        doc.y + 6,
        { width: width - 16 },
      );
    doc.y += 12;
  }
  text('CASE REPORT', 'bold', 9, '#555555');
  text(r.title.name, 'bold', 22);
  text(
    `Generated ${r.generated} by unspoof. Personal data: restricted to the investigation; numbers of victims are not shown in this report. Money is in pounds sterling (GBP).`,
    'body',
    9,
    '#555555',
  );
  if (!r.title.named)
    text(
      'This case has no name, so its folder’s name stands in: set "name" in the case’s case.json.',
      'body',
      9,
      '#555555',
    );
  h2('Summary');
  text(r.summary, 'body', 11);
  h2('Headline figures');
  const pairs: Cells[] = [];
  for (let i = 0; i < r.headline.length; i += 2) {
    const [a, b] = [r.headline[i], r.headline[i + 1]];
    pairs.push({ l1: a?.[0] ?? '', v1: a?.[1] ?? '', l2: b?.[0] ?? '', v2: b?.[1] ?? '' });
  }
  const figureCols: Column[] = [
    { key: 'l1', label: 'Figure', kind: 'text' },
    { key: 'v1', label: 'Value', kind: 'number' },
    { key: 'l2', label: 'Figure', kind: 'text' },
    { key: 'v2', label: 'Value', kind: 'number' },
  ];
  table(figureCols, pairs, 'The case in figures');
  h2('Activity');
  for (const f of r.figures) await figure(f);
  h2('Top suspects and their score');
  text(r.scoreFormula, 'body', 9, '#555555');
  doc.moveDown(0.4);
  table(SUSPECT_COLUMNS, r.suspects, `The ${r.suspects.length} highest scores`);
  await figure(r.scoreChart, 420);
  h2(`Crews (${r.crews.length})`);
  if (r.crews.length === 0) text('No crews were found.');
  else {
    text(
      `Every crew, largest first; the largest ${r.crewGraphs.length} drawn as graphs (priority suspects in red).`,
      'body',
      9,
      '#555555',
    );
    doc.moveDown(0.4);
    table(CREW_COLUMNS, r.crews, `Every crew (${r.crews.length})`);
    for (const c of r.crewGraphs)
      await figure(
        {
          id: c.id,
          title: `${c.id}: ${c.accounts} accounts`,
          svg: c.svg,
          note: c.members.join(', '),
        },
        300,
      );
  }

  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    doc.page.margins.bottom = 0; // the footer sits below the text area: no new page for it
    doc
      .font('body', 8)
      .fillColor('#555555')
      .text(
        `${r.title.name} · case report · page ${i + 1} of ${pages.count}`,
        left,
        doc.page.height - 26,
        { width, align: 'center', lineBreak: false },
      );
  }
  doc.end();
  return done;
}
