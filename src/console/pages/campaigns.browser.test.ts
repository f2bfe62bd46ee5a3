/**
 * A campaign in a real browser (Debian's Chromium): a supervisor approves it and starts it on
 * its page, watches the live progress reach every victim while a dispatcher sends to the local
 * SMS centre, and the outreach officer finds the texts on the phone page. axe-core on both.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { artifact, axe, browserSkip, launch, signIn } from '../../../test/browser.ts';
import { analysedCase, servedConsole } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import {
  content,
  dispatcherOn,
  fastDispatch,
  madeUpTargets,
} from '../../../test/outreach-fixtures.ts';
import type { DemoLogin } from '../../demo/users.ts';
import { createCampaign } from '../../outreach/campaigns.ts';
import { refKeys } from '../../outreach/keys.ts';
import { parseFaults } from '../../smsc/faults.ts';
import { smscLog } from '../../smsc/log.ts';
import { startSimulator } from '../../smsc/simulator.ts';
import { listUsers } from '../../users/users.ts';

const backend = backends[0];
test(
  'in Chromium, a supervisor approves and starts a campaign, its progress goes live to the end, and the phone shows the texts',
  { skip: browserSkip, timeout: 180_000 },
  async () => {
    const { db, drop } = await backend!.open();
    const caseDir = await analysedCase();
    const log = smscLog(caseDir);
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.rmSync(log, { force: true });
    const sim = await startSimulator({ port: 0, log, faults: parseFaults('receipt-delay=50') });
    const served = await servedConsole(db);
    const { base, logins } = served;
    const author = (await listUsers(db)).find((u) => u.name === 'outreach');
    assert.ok(author);
    const targets = madeUpTargets(40);
    const { id } = await createCampaign(
      db,
      author,
      { content: content({ name: 'Browser pilot' }), filter: {} },
      { targets, synthetic: true },
      await refKeys(db),
      new Date(),
    );
    const run = await dispatcherOn(db, sim.port, fastDispatch({ rate: 20 }));
    const browser = await launch();
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 1280, height: 1000 } })
      ).newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

      await signIn(page, base, logins.supervisor as DemoLogin);
      await page.goto(`${base}/campaigns/${id}`);
      await axe(page, 'a campaign page');
      await Promise.all([
        page.waitForURL(`${base}/campaigns/${id}`),
        page.click('text=Approve (four eyes)'),
      ]);
      assert.match((await page.locator('dl.facts').textContent()) ?? '', /approved/);
      await Promise.all([
        page.waitForURL(`${base}/campaigns/${id}`),
        page.click('text=Start sending'),
      ]);
      // The client module polls the progress: the counts move without a reload.
      await page.waitForFunction(
        (n) =>
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string | null } | null };
            }
          ).document.querySelector('[data-k=delivered]')?.textContent === String(n),
        targets.length,
        { timeout: 60_000 },
      );
      assert.equal(await page.locator('progress').getAttribute('value'), String(targets.length));
      await page.screenshot({ path: artifact('campaign-progress.png'), fullPage: true });

      await page.context().clearCookies();
      await signIn(page, base, logins.outreach as DemoLogin);
      await page.goto(`${base}/phone`);
      assert.equal(await page.locator('figure.sms.phone').count(), targets.length);
      assert.match(
        (await page.locator('figure.sms.phone blockquote').first().textContent()) ?? '',
        /enter reference [0-9A-Z]{4}-/,
      );
      await axe(page, 'the phone page');
      await page.screenshot({ path: artifact('phone.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await run.stop();
      await sim.close();
      await served.close();
      await drop();
    }
  },
);
