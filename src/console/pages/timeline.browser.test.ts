/**
 * The timeline in a real browser (Debian's Chromium): an analyst opens the case's timeline, reads
 * its rows (each named, so no colour is needed) on a time axis in the case's zone, zooms into a
 * bar by clicking it and out again, and opens a suspect's timeline from its page. axe-core on
 * each.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { artifact, axe, browserSkip, launch, signIn } from '../../../test/browser.ts';
import { servedConsole } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import type { DemoLogin } from '../../demo/users.ts';

const backend = backends[0];
test(
  'in Chromium, an analyst reads the case timeline, zooms into a bar and out, and opens a suspect’s',
  { skip: browserSkip, timeout: 120_000 },
  async () => {
    const { db, drop } = await backend!.open();
    const served = await servedConsole(db);
    const { base, logins } = served;
    const browser = await launch();
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 1280, height: 1000 } })
      ).newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await signIn(page, base, logins.analyst as DemoLogin);
      await page.click('nav a[href="/timeline"]');
      await page.waitForURL(`${base}/timeline`);

      const chart = page.locator('figure.timeline-chart svg');
      await chart.waitFor();
      const texts = await chart.locator('text').allTextContents();
      for (const kind of ['calls', 'payments', 'logins', 'captures'])
        assert.ok(texts.includes(kind), `the ${kind} row is named`);
      assert.ok(
        texts.some((t) => /^Time \(UTC\), each bar 1 week$/.test(t)),
        `the axis names its zone (${texts.join('|')})`,
      );
      // Real dates on the axis: the synthetic case runs from late 2020 to late 2022 (which
      // years are labelled depends on where its first event falls).
      assert.ok(
        texts.some((t) => /^202[0-2]$/.test(t)),
        `a year on the axis (${texts.join('|')})`,
      );
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 600 && box.height > 200, 'the chart has a real size');
      await page.screenshot({ path: artifact('console-timeline.png'), fullPage: true });
      await axe(page, '/timeline');

      // A bar is a link to its own range: clicking it zooms in.
      const bars = chart.locator('a');
      assert.ok((await bars.count()) > 20, 'bars link to their ranges');
      // The bar itself (an SVG link's own box is not where its shape is drawn).
      await Promise.all([page.waitForURL(/from=.*&to=/), bars.nth(10).locator('path').click()]);
      const zoomed = (await page.locator('main p').first().textContent()) ?? '';
      assert.match(zoomed, /each bar (6 hours|1 hour|15 minutes)/, zoomed);
      await Promise.all([
        page.waitForURL(/from=/),
        page.click('nav.timeline-moves a:text("Zoom out")'),
      ]);
      assert.match((await page.locator('main p').first().textContent()) ?? '', /each bar/);

      // A suspect's timeline from its page.
      await page.goto(`${base}/suspects`);
      await page.locator('#suspects tbody a').first().click();
      await Promise.all([page.waitForURL(/\/timeline$/), page.click('a:text("on a timeline")')]);
      assert.match((await page.locator('h1').textContent()) ?? '', /Timeline of suspect/);
      assert.equal(await page.locator('figure.timeline-chart svg').count(), 1);
      await axe(page, 'a suspect’s timeline');
      assert.deepEqual(errors, [], 'no errors in the browser console');
    } finally {
      await browser.close();
      await served.close();
      await drop();
    }
  },
);
