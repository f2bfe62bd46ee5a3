/**
 * The report opens in a real browser with no network: every chart and crew graph is drawn
 * (visible marks of real size), the figures and top suspects are there, and nothing is fetched.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'node:test';
import { analyzeCase } from '../analyze/analyze.ts';
import { ingestExport } from '../ingest/ingest.ts';
import { memoryEffects } from '../shared/effects.ts';
import { synthTo } from '../synth/testkit.ts';
import { artifact, browserSkip, launch } from '../../test/browser.ts';
import { tempDir } from '../../test/fixtures.ts';
import { writeReport } from './command.ts';
import { esc } from '../shared/html.ts';

test(
  'the report renders its charts and crews in Chromium, self-contained',
  { skip: browserSkip },
  async () => {
    const { out } = await synthTo(20_000, 3);
    const caseDir = tempDir('unspoof-case-');
    const file = path.join(caseDir, 'report.html');
    await ingestExport({ exportDir: out, caseDir }, memoryEffects());
    await analyzeCase(caseDir, memoryEffects());
    await writeReport(caseDir, file, memoryEffects());
    const html = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(
      html,
      /<script|https?:\/\/(?!www\.w3\.org)/,
      'no script, no remote resource',
    );

    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      const charts = await page.$$eval('[data-chart]', (els) =>
        els.map((el) => {
          const svg = el.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          const marks = svg ? svg.querySelectorAll('path, rect, line').length : 0;
          return {
            id: el.getAttribute('data-chart'),
            w: box?.width ?? 0,
            h: box?.height ?? 0,
            marks,
          };
        }),
      );
      const ids = charts.map((c) => c.id);
      for (const id of [
        'calls-per-day',
        'victims-by-tier',
        'destination-countries',
        'brands',
        'revenue-per-month',
        'score-breakdown',
      ]) {
        assert.ok(ids.includes(id), `chart ${id} is in the page`);
      }
      assert.ok(
        ids.some((id) => id?.startsWith('crew-')),
        'the largest crews are drawn',
      );
      for (const c of charts) {
        assert.ok(c.w > 200 && c.h > 100, `${c.id} has a real size (${c.w}×${c.h})`);
        assert.ok(c.marks > 5, `${c.id} drew marks (${c.marks})`);
      }
      const headline = await page.textContent('#headline');
      assert.match(headline ?? '', /likely victims/i);
      const rows = await page.$$eval('#top-suspects tbody tr', (r) => r.length);
      assert.equal(rows, 20);
      assert.deepEqual(
        requests.filter((u) => !u.startsWith('file:')),
        [],
        'nothing fetched',
      );
      await page.screenshot({ path: artifact('report.png'), fullPage: true });
    } finally {
      await browser.close();
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(caseDir, { recursive: true, force: true });
    }
  },
);

test('text from the case is escaped in the report', () => {
  assert.equal(
    esc('<img src=x onerror=alert(1)>"\''),
    '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;',
  );
});
