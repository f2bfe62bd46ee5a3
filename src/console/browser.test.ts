/**
 * The console in a real browser (Debian's Chromium through playwright-core): sign in with a
 * password and a TOTP code, read the overview, open a suspect and see its crew graph drawn,
 * filter victims, unmask a number and find the audit row; per-role denials; axe-core on every
 * page. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { artifact, axe, browserSkip, launch, signIn } from '../../test/browser.ts';
import { analysedCase } from '../../test/console-case.ts';
import { backends } from '../../test/ops-backends.ts';
import { checkpointNow, listAudit } from '../audit/audit.ts';
import { createDemoUsers, type DemoLogin } from '../demo/users.ts';
import { memoryEffects } from '../shared/effects.ts';
import { addUser, totp } from '../users/users.ts';
import { openAnalysis } from '../readout/analysis.ts';
import { buildConsole } from './server.ts';

/** How many pixels of an element's screenshot differ from its background. */
async function inkedPixels(page: Page, selector: string): Promise<number> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  let inked = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (
      (png.data[i] as number) < 235 ||
      (png.data[i + 1] as number) < 235 ||
      (png.data[i + 2] as number) < 235
    )
      inked++;
  }
  return inked;
}

// One backend: the walk is about the browser, and the store's behaviour is tested on both
// elsewhere. The real PostgreSQL when there is one (CI), else PGlite.
for (const backend of backends.slice(-1)) {
  test(
    `${backend.name}: in Chromium, an analyst signs in, reads the overview, opens a crew graph, filters and unmasks a victim; a supervisor finds the audit row`,
    { skip: browserSkip, timeout: 180_000 },
    async () => {
      const { db, drop } = await backend.open();
      const analysis = await openAnalysis(await analysedCase());
      const fx = memoryEffects();
      const app = await buildConsole({
        ops: db,
        analysis,
        fx: { ...fx, now: () => new Date() },
        synthetic: true,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const logins = Object.fromEntries(
        (await createDemoUsers(db, new Date())).map((l) => [l.name, l]),
      );
      const browser = await launch({ webgl: true });
      try {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 1000 },
          bypassCSP: false,
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

        await signIn(page, base, logins.analyst as DemoLogin);
        assert.equal(
          await page.locator('figure.chart svg').count(),
          5,
          'five charts on the overview',
        );
        for (const svg of await page.locator('figure.chart svg').all()) {
          const box = await svg.boundingBox();
          assert.ok(box && box.width > 100 && box.height > 50);
        }
        await page.screenshot({ path: artifact('console-overview.png'), fullPage: true });

        // The biggest crew, then its top suspect: the crew graph is drawn on the suspect page.
        await page.goto(`${base}/crews`);
        await page.locator('#crews tbody a').first().click();
        await page.locator('#crew-graph[data-rendered="true"]').waitFor({ timeout: 30_000 });
        await page.locator('table a[href^="/suspects/"]').first().click();
        await page.locator('#crew-graph[data-rendered="true"]').waitFor({ timeout: 30_000 });
        assert.ok(
          (await inkedPixels(page, '#crew-graph')) > 500,
          'the crew graph has drawn nodes and links',
        );
        const before = Number(await page.locator('#crew-graph').getAttribute('data-nodes'));
        assert.match((await page.locator('.graph-panel').textContent()) ?? '', /account/);
        await page.screenshot({ path: artifact('console-suspect.png'), fullPage: true });
        assert.ok(before > 1);

        // Victims: filter to harmed US victims, open one, unmask it with a reason.
        await page.goto(`${base}/victims`);
        await page.selectOption('#tier', 'harmed');
        await page.selectOption('#country', 'US');
        await Promise.all([page.waitForURL(/tier=harmed/), page.click('form.filters button')]);
        const tiers = await page.locator('#victims tbody tr td:nth-child(3)').allTextContents();
        assert.ok(tiers.length > 0 && tiers.every((t) => t.trim() === 'harmed'));
        await page.screenshot({ path: artifact('console-victims.png'), fullPage: true });
        await page.locator('#victims tbody a').first().click();
        const masked = (await page.locator('h1').textContent()) ?? '';
        assert.match(masked, /Victim \+1 \d{4} \d•• •\d\d/);
        await page.fill('#reason', 'the victim asked to be called back');
        await Promise.all([page.waitForURL(/\/unmask$/), page.click('form.unmask button')]);
        const shown = (await page.locator('dl.facts').textContent()) ?? '';
        const number = /\+1\d{10}/.exec(shown)?.[0];
        assert.ok(number, 'unmasked');
        assert.doesNotMatch(
          (await page.locator('h1').textContent()) ?? '',
          /\+1\d{10}/,
          'the title stays masked',
        );

        // A supervisor finds the unmasking in the audit log.
        const sup = await (
          await browser.newContext({ viewport: { width: 1280, height: 900 } })
        ).newPage();
        await signIn(sup, base, logins.supervisor as DemoLogin);
        await sup.goto(`${base}/audit`);
        const row = sup.locator('#audit tbody tr', { hasText: 'unmask' }).first();
        assert.match(
          (await row.textContent()) ?? '',
          /analyst[\s\S]*unmask[\s\S]*victim:[A-Za-z0-9_-]{43}[\s\S]*called back/,
        );
        // The log checkpointed, then verified against it from the page.
        await checkpointNow(db, 'on demand', new Date());
        await sup.goto(`${base}/audit`);
        await Promise.all([
          sup.waitForURL(/verified=ok/),
          sup.getByRole('button', { name: 'Verify the log against it' }).click(),
        ]);
        assert.match(
          (await sup.locator('#checkpoint-h ~ [role=status]').textContent()) ?? '',
          /Verified: the log \(\d+ entries\) extends the checkpoint/,
        );
        await sup.screenshot({ path: artifact('console-audit.png'), fullPage: true });
        const audit = await listAudit(db);
        assert.ok(audit.some((r) => r.action === 'login' && r.actor === 'analyst'));

        // Denials by role: outreach sees no suspects; a partner never unmasks; admin sees no victims.
        const out = await (await browser.newContext()).newPage();
        await signIn(out, base, logins.outreach as DemoLogin);
        const denied = await out.goto(`${base}/suspects`);
        assert.equal(denied?.status(), 403);
        assert.equal(
          await out.locator('nav a[href="/suspects"]').count(),
          0,
          'no link to what the role cannot open',
        );
        const adm = await (await browser.newContext()).newPage();
        await signIn(adm, base, logins.admin as DemoLogin).catch(() => undefined);
        assert.equal((await adm.goto(`${base}/victims`))?.status(), 403);

        // A newcomer enrols in the browser: enrolment secret and password, then the QR code.
        const { enrolmentSecret } = await addUser(
          db,
          { name: 'newcomer', role: 'analyst' },
          'test',
          new Date(),
        );
        const nc = await (await browser.newContext()).newPage();
        await nc.goto(`${base}/enrol`);
        await nc.fill('#name', 'newcomer');
        await nc.fill('#secret', enrolmentSecret);
        await nc.fill('#password', 'a long passphrase of five words');
        await nc.click('button[type=submit]');
        assert.equal(await nc.locator('figure.qr svg').count(), 1, 'the QR code is shown');
        const key = ((await nc.locator('.totp-key').textContent()) ?? '').replaceAll(' ', '');
        await nc.screenshot({ path: artifact('console-enrol.png') });
        // The current step's code: a code from an earlier step expires while a slow click lands.
        await nc.fill('#code', totp('newcomer', key).generate({ timestamp: Date.now() }));
        await nc.click('button[type=submit]');
        assert.match((await nc.locator('main').textContent()) ?? '', /You are enrolled/);
        await signIn(
          nc,
          base,
          {
            name: 'newcomer',
            role: 'analyst',
            country: null,
            password: 'a long passphrase of five words',
            totpSecret: key,
          },
          // That step's code is spent: the sign-in types the next one (the server takes ±1 step).
          new Date(Date.now() + 30_000),
        );
        assert.equal(await nc.locator('figure.chart svg').count(), 5);

        // Accessibility of every page the analyst uses.
        for (const url of [
          '/',
          '/suspects',
          '/victims',
          '/crews',
          '/quarantine',
          '/case',
          '/enrol',
        ]) {
          await page.goto(`${base}${url}`);
          await axe(page, url);
        }
        await page.goto(`${base}/login`);
        assert.deepEqual(
          errors.filter((e) => !/favicon/.test(e)),
          [],
          'no errors in the browser console',
        );
      } finally {
        await browser.close();
        await app.close();
        analysis.close();
        await drop();
      }
    },
  );
}
