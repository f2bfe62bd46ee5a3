/**
 * The report's words and tables against golden files (test/golden/report-*.txt; regenerate with
 * UPDATE_GOLDEN=1 after a deliberate change, and read the diff): the case's name as its title,
 * the written summary, the headline figures with their currency, every suspect row and every
 * crew. And the PDF read back by an independent reader (poppler's pdftotext): the same title
 * and summary, money in pounds, and no word outside the page.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { analyzeCase } from '../analyze/analyze.ts';
import { loadInputs } from '../analyze/inputs.ts';
import { intelInputs } from '../synth/intel.ts';
import { ingestExport } from '../ingest/ingest.ts';
import { withAnalysedCase } from '../readout/analysed.ts';
import { memoryEffects } from '../shared/effects.ts';
import { synthTo } from '../synth/testkit.ts';
import { tempDir } from '../../test/fixtures.ts';
import { writeReport } from './command.ts';
import { caseReport, CREW_COLUMNS, SUSPECT_COLUMNS, type CaseReport } from './model.ts';
import { golden } from '../../test/golden.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

/** The report's text as a reader meets it, without the charts' drawing. */
function asText(r: CaseReport): string {
  const table = (cols: typeof SUSPECT_COLUMNS, rows: Array<Record<string, string>>) =>
    [
      cols.map((c) => c.label).join(' | '),
      ...rows.map((x) => cols.map((c) => x[c.key] ?? '').join(' | ')),
    ].join('\n');
  return [
    `# ${r.title.name}`,
    '',
    r.summary,
    '',
    ...r.headline.map(([k, v]) => `${k}: ${v}`),
    '',
    `## Figures: ${r.figures.map((f) => f.title).join('; ')}`,
    '',
    '## Top suspects',
    table(SUSPECT_COLUMNS, r.suspects),
    '',
    `## Crews (${r.crews.length})`,
    table(CREW_COLUMNS, r.crews),
    '',
  ].join('\n');
}

let caseDir: string;
before(async () => {
  const { out } = await synthTo(20_000, 3);
  caseDir = tempDir('unspoof-report-golden-');
  await ingestExport({ exportDir: out, caseDir }, memoryEffects());
  await loadInputs(caseDir, intelInputs(out)!, memoryEffects());
  await analyzeCase(caseDir, memoryEffects());
  fs.writeFileSync(path.join(caseDir, 'case.json'), JSON.stringify({ name: 'Operation Nightjar' }));
});

test('the report says what the case found, in words and tables (golden)', async () => {
  const r = await withAnalysedCase(caseDir, (conn) =>
    caseReport(conn, { title: { name: 'Operation Nightjar', named: true }, now: NOW }),
  );
  assert.match(r.summary, /^Between .+ the service's users placed [\d,]+ calls/);
  assert.ok(r.crews.length > 3, `every crew is listed (${r.crews.length})`);
  assert.ok(
    r.headline.some(([k, v]) => /revenue/i.test(k) && /^£[\d,]+\.\d\d$/.test(v)),
    'revenue in pounds',
  );
  golden('report-synth-20000-3.txt', asText(r));
});

test('the PDF report reads back with its title, summary and pounds, every word on the page', async (t) => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    if (!process.env.CI) return t.skip('no pdftotext (apt-get install poppler-utils)');
  }
  const file = path.join(caseDir, 'report.pdf');
  const fx = memoryEffects();
  await writeReport(caseDir, file, { ...fx, now: () => NOW });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /Operation Nightjar/);
  assert.match(text, /the service's users placed/);
  assert.match(text, /£[\d,]+\.\d\d/);
  // Every word's box inside the page (pdftotext -bbox: one <word> per word, the page's size).
  const boxes = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const pages = [...boxes.matchAll(/<page width="([\d.]+)" height="([\d.]+)">/g)];
  assert.ok(pages.length > 1, `${pages.length} pages`);
  const width = Number(pages[0]?.[1]);
  const outside = [
    ...boxes.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g),
  ].filter((m) => Number(m[1]) < 0 || Number(m[2]) > width);
  assert.deepEqual(
    outside.map((m) => m[0]),
    [],
    'no word runs off the page',
  );
});
