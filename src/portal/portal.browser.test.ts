/**
 * The victim portal in a real browser (Debian's Chromium), end to end: a victim checks their
 * text and reports what happened with a payment and a photo, downloads their record — once
 * with JavaScript in English, once without JavaScript in Welsh — and an analyst finds both
 * reports in the console joined to the accounts that called them, the victim's words escaped.
 * axe-core on every portal page.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { artifact, axe, browserSkip, launch, signIn } from '../../test/browser.ts';
import { servedConsole } from '../../test/console-case.ts';
import { backends } from '../../test/ops-backends.ts';
import { caseTargets } from '../../test/outreach-fixtures.ts';
import { textedVictims, type TextedVictim } from '../../test/portal-fixtures.ts';
import { translator, type Lang } from './i18n/i18n.ts';

const XSS = `<img src=x onerror="document.title='pwned'"><script>alert('xss')</script>`;

/**
 * Reports as victim `v` in `page`. axe runs in the page itself, or — when the page has no
 * JavaScript — on the same HTML in `helper` (a page of this origin with JavaScript on).
 */
async function report(
  page: Page,
  base: string,
  v: TextedVictim,
  lang: Lang,
  photo: string,
  shots: string,
  helper?: Page,
) {
  const t = translator(lang);
  const checked: string[] = [];
  const look = async (name: string) => {
    if (helper) {
      await helper.setContent(await page.content(), { waitUntil: 'load' });
      await axe(helper, `${name} (${lang}, no JavaScript)`);
    } else await axe(page, `${name} (${lang})`);
    checked.push(name);
  };
  const submit = () =>
    Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
  await page.goto(`${base}/report`);
  await look('start');
  if (lang !== 'en') {
    await page.click(`a[hreflang="cy-GB"]`);
    await page.waitForURL(/lang=cy/);
    assert.equal(await page.textContent('h1'), t('start.title', { force: 'Cyber Crime Unit' }));
  }
  await page.click('a[href="/report/check"]');
  await look('check');
  await page.fill('#code', 'K7QM-4XD2-9VW*');
  await submit();
  assert.equal((await page.textContent('h1'))?.trim(), t('check.unknownTitle'));
  await look('not recognised');
  await page.goto(`${base}/report/check`);
  await page.fill('#code', v.code);
  await submit();
  assert.equal((await page.textContent('h1'))?.trim(), t('check.genuineTitle'));
  assert.ok((await page.textContent('main'))?.includes(v.brand));
  await look('genuine');
  await page.click('main a[href="/report/start"]');
  await look('sign in');
  await page.fill('#code', v.code);
  await page.fill('#digits', v.digits);
  await submit();
  await page.waitForURL(/\/report\/q\/when$/);
  await look('when');
  await page.fill('#when', '12');
  await page.fill('#when-month', '3');
  await page.fill('#when-year', '2026');
  await submit();
  await look('organisation');
  assert.equal(await page.inputValue('#organisation'), v.brand, 'pre-filled from the records');
  await page.fill('#organisation', `${v.brand} ${XSS}`);
  await submit();
  await look('asked');
  await page.check('input[name=asked][value=otp]');
  await page.check('input[name=asked][value=card]');
  await submit();
  await look('given');
  await page.check('input[name=given][value=otp]');
  await submit();
  await look('money');
  await page.check('input[name=lostMoney][value=true]');
  await submit();
  await page.waitForURL(/transactions/);
  await page.fill('#txdate', '13');
  await page.fill('#txdate-month', '3');
  await page.fill('#txdate-year', '2026');
  await page.fill('#amount', '2500');
  await page.fill('#payee', XSS);
  await Promise.all([page.waitForLoadState('load'), page.click('button[value=add]')]);
  await look('payments');
  assert.equal(await page.locator('main table tbody tr').count(), 1);
  await Promise.all([page.waitForLoadState('load'), page.click('button[value=continue]')]);
  await look('paid by');
  await page.check('input[name=paidBy][value=bank_transfer]');
  await submit();
  await look('story');
  await page.fill('#story', `They said my account was at risk. ${XSS}`);
  await submit();
  await page.waitForURL(/evidence/);
  await look('evidence');
  await page.setInputFiles('#file', photo);
  await Promise.all([
    page.waitForLoadState('load'),
    page.click('form[enctype] button[type=submit]'),
  ]);
  assert.ok((await page.textContent('main'))?.includes('photo.jpg'), 'the photo is listed');
  await page.screenshot({ path: artifact(`${shots}-evidence.png`), fullPage: true });
  await Promise.all([
    page.waitForLoadState('load'),
    page.click('form[action^="/report/q/evidence/done"] button'),
  ]);
  await look('contact');
  await page.check('input[name=way][value=phone]');
  await page.check('input[name=consent][value=yes]');
  await submit();
  await page.waitForURL(/check-answers/);
  await look('check answers');
  assert.ok((await page.textContent('main'))?.includes(XSS), 'the story shows as text');
  await page.screenshot({ path: artifact(`${shots}-check-answers.png`), fullPage: true });
  await submit();
  await page.waitForURL(/done$/);
  await look('confirmation');
  const ref = (await page.textContent('#crime-ref'))?.trim() ?? '';
  assert.match(ref, /^UNS-/);
  // The record, fetched with the page's own cookies (the link downloads it).
  const res = await page.request.get(`${base}/report/record.pdf`, { timeout: 15_000 });
  assert.equal(res.status(), 200, await res.text());
  const pdf = await res.body();
  assert.equal(pdf.subarray(0, 8).toString(), '%PDF-1.7');
  assert.equal(await page.title().then((x) => x.includes('pwned')), false);
  return { ref, checked };
}

const backend = backends[0];
test(
  'in Chromium, victims report with an upload (JavaScript on in English, off in Welsh) and an analyst sees the reports joined to the suspects',
  { skip: browserSkip, timeout: 240_000 },
  async () => {
    const { db, drop } = await backend!.open();
    const served = await servedConsole(db);
    const { base, logins } = served;
    const victims = await textedVictims(db, 2, 0, (await caseTargets()).slice(0, 2));
    const photo = artifact('photo.jpg');
    fs.writeFileSync(
      photo,
      await sharp({ create: { width: 300, height: 200, channels: 3, background: '#246' } })
        .withExif({ IFD0: { Artist: 'victim phone' } })
        .jpeg()
        .toBuffer(),
    );
    const browser = await launch();
    try {
      const withJs = await browser.newContext({ acceptDownloads: true });
      const en = await report(
        await withJs.newPage(),
        base,
        victims[0] as TextedVictim,
        'en',
        photo,
        'portal-en-js',
      );
      // Without JavaScript axe cannot run in the page: it runs on the same HTML in a helper.
      const noJs = await browser.newContext({ acceptDownloads: true, javaScriptEnabled: false });
      const helper = await withJs.newPage();
      await helper.goto(`${base}/report/check`);
      const cy = await report(
        await noJs.newPage(),
        base,
        victims[1] as TextedVictim,
        'cy',
        photo,
        'portal-cy-nojs',
        helper,
      );
      assert.equal(en.checked.length, cy.checked.length);

      const analyst = await (await browser.newContext()).newPage();
      const dialogs: string[] = [];
      analyst.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await signIn(analyst, base, logins.analyst as never);
      await analyst.goto(`${base}/reports`);
      await axe(analyst, 'reports inbox');
      for (const ref of [en.ref, cy.ref])
        assert.ok((await analyst.textContent('#reports'))?.includes(ref));
      await analyst.click(`a:text("${en.ref}")`);
      await axe(analyst, 'a report');
      assert.ok(
        (await analyst.textContent('main'))?.includes(XSS),
        "the victim's words show as text",
      );
      assert.ok(
        (await analyst.locator('#callers tbody tr').count()) > 0,
        'joined to the accounts that called',
      );
      const img = analyst.locator('ul.evidence img');
      await img.waitFor();
      assert.ok(
        await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth > 0),
        'the re-encoded copy shows',
      );
      await analyst.screenshot({ path: artifact('portal-console-report.png'), fullPage: true });
      assert.deepEqual(dialogs, []);
      assert.notEqual(await analyst.title(), 'pwned');
      const audit = await db.query<{ action: string }>(
        `SELECT action FROM audit WHERE actor = 'analyst'`,
      );
      for (const a of ['report_view', 'evidence_view'])
        assert.ok(
          audit.some((r) => r.action === a),
          a,
        );
    } finally {
      await browser.close();
      await served.close();
      await drop();
    }
  },
);
