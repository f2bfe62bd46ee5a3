/**
 * The portal in each of its languages: every page a victim can reach says `<html lang>` right
 * and shows no English text left untranslated; the language comes from the switcher (kept in a
 * cookie), else Accept-Language, else — once a genuine code is typed — the language the text's
 * country is texted in, else English.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import escapeHtml from 'escape-html';
import type { FastifyInstance } from 'fastify';
import { backends } from '../../test/ops-backends.ts';
import { Visitor, type Page } from '../../test/portal-client.ts';
import { testPortal, textedVictims, type TextedVictim } from '../../test/portal-fixtures.ts';
import type { OpsDb } from '../ops/db.ts';
import { LANGS, LOCALES, translator, type Key, type Lang } from './i18n/i18n.ts';
import { PAGES } from './i18n/pages.ts';
import { LANG_COOKIE } from './web/context.ts';

const englishOnly = translator('en');
/** English page texts long enough to be unmistakable, that every other language words otherwise. */
const englishTexts = (lang: Lang): string[] =>
  (Object.keys(PAGES.en) as Key[])
    .map((k) => [englishOnly(k), translator(lang)(k)] as const)
    .filter(([en, other]) => en !== other && en.length >= 12 && !en.includes('{'))
    .map(([en]) => en);

/** What a page must be in `lang`: its html lang, and none of the English texts (as written). */
function assertIn(lang: Lang, page: Page, what: string): void {
  assert.ok(
    page.body.includes(`<html lang="${LOCALES[lang]}"`),
    `${what} (${lang}): <html lang="${LOCALES[lang]}">`,
  );
  const t = translator(lang);
  assert.ok(page.body.includes(escapeHtml(t('frame.service'))), `${what} (${lang}): its frame`);
  if (lang === 'en') return;
  for (const en of englishTexts(lang)) {
    assert.ok(
      !page.body.includes(en) && !page.body.includes(escapeHtml(en)),
      `${what} (${lang}) has English left: “${en}”`,
    );
  }
}

const langOfPage = (page: { body: string }) => /<html lang="([^"]+)"/.exec(page.body)?.[1];

for (const backend of backends) {
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  let gb: TextedVictim[];
  let nl: TextedVictim[];

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    gb = await textedVictims(ops, LANGS.length + 1, 700);
    nl = await textedVictims(
      ops,
      4,
      0,
      Array.from({ length: 4 }, (_, i) => ({
        number: `+3161234${String(i).padStart(4, '0')}`,
        country: 'NL',
        brand: 'ING',
        callDate: '2026-03-12',
        zones: 'Europe/Amsterdam',
      })),
    );
    app = await testPortal(ops);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  for (const [i, lang] of LANGS.entries()) {
    test(`${backend.name}: every page in ${lang}, with its lang attribute and no English left`, async () => {
      const v = gb[i] as TextedVictim;
      const t = translator(lang);
      const b = new Visitor(app, `198.51.100.${120 + i}`);
      // The switcher's link, then the cookie it leaves for every later page.
      let page = await b.get(`/report?lang=${lang}`);
      assert.equal(b.cookies.get(LANG_COOKIE), lang);
      assertIn(lang, page, 'start');
      assert.ok(page.body.includes(`href="/report?lang=cy" lang="cy-GB" hreflang="cy-GB"`));
      assertIn(lang, await b.get('/report/check'), 'check');
      page = await b.post('/report/check', { code: v.code });
      assertIn(lang, page, 'check: genuine');
      assert.ok(page.body.includes(escapeHtml(t('check.genuineTitle'))));
      page = await b.post('/report/check', { code: 'K7QM-4XD2-9VW*' });
      assertIn(lang, page, 'check: not recognised');
      assert.ok(page.body.includes(escapeHtml(t('check.unknownTitle'))));
      assertIn(lang, await b.post('/report/check', { code: '' }), 'check: error');
      assertIn(lang, await b.get('/report/start'), 'sign in');
      assertIn(lang, await b.get('/report/start?expired=1'), 'sign in: expired');
      page = await b.post('/report/start', { code: v.code, digits: '' });
      assertIn(lang, page, 'sign in: error');
      assert.ok(page.body.includes(escapeHtml(t('signin.digitsMissing'))));
      page = await b.post('/report/start', { code: v.code, digits: v.digits });
      assert.equal(page.location, '/report/q/when');

      for (const slug of ['when', 'organisation', 'asked', 'given', 'money'])
        assertIn(lang, await b.get(`/report/q/${slug}`), `question ${slug}`);
      page = await b.post('/report/q/when', {});
      assert.equal(page.status, 400);
      assertIn(lang, page, 'question when: error');
      assert.ok(page.body.includes(escapeHtml(t('error.title'))));
      await b.post('/report/q/when', { 'when-day': '12', 'when-month': '3', 'when-year': '2026' });
      await b.post('/report/q/organisation', { organisation: v.brand });
      await b.post('/report/q/asked', { asked: ['otp'] });
      await b.post('/report/q/given', { given: ['nothing'] });
      await b.post('/report/q/money', { lostMoney: 'true' });
      assertIn(lang, await b.get('/report/q/transactions'), 'payments');
      await b.post('/report/q/transactions', {
        'txdate-day': '12',
        'txdate-month': '3',
        'txdate-year': '2026',
        amount: '250',
        currency: 'GBP',
        action: 'add',
      });
      assertIn(lang, await b.get('/report/q/transactions'), 'payments, one added');
      await b.post('/report/q/transactions', { action: 'continue' });
      for (const slug of ['paid-by', 'story', 'evidence', 'contact'])
        assertIn(lang, await b.get(`/report/q/${slug}`), `question ${slug}`);
      await b.post('/report/q/paid-by', { paidBy: 'bank_transfer' });
      await b.post('/report/q/story', { story: 'He said he was from the bank.' });
      await b.post('/report/q/evidence/done', {});
      await b.post('/report/q/contact', { way: 'phone', consent: 'yes' });
      page = await b.get('/report/check-answers');
      assertIn(lang, page, 'check your answers');
      page = await b.post('/report/submit', {});
      assert.equal(page.location, '/report/done');
      page = await b.get('/report/done');
      assertIn(lang, page, 'report sent');
      assert.ok(page.body.includes(escapeHtml(t('done.title'))));

      assertIn(lang, await b.get('/report/nowhere'), 'not found');
      page = await b.post('/report/start', { code: v.code, digits: v.digits }, null);
      assert.equal(page.status, 403);
      assertIn(lang, page, 'form expired');
    });
  }

  test(`${backend.name}: without a choice, Accept-Language picks the language, else English`, async () => {
    const get = (headers: Record<string, string>) =>
      app.inject({ method: 'GET', url: '/report', remoteAddress: '198.51.100.140', headers });
    assert.equal(langOfPage(await get({})), 'en-GB');
    assert.equal(langOfPage(await get({ 'accept-language': 'fr-BE,fr;q=0.9' })), 'fr-FR');
    assert.equal(langOfPage(await get({ 'accept-language': 'nl' })), 'nl-NL');
    assert.equal(langOfPage(await get({ 'accept-language': 'de-DE,de;q=0.9' })), 'en-GB');
    // A choice made with the switcher wins over the browser's.
    const chosen = await get({ 'accept-language': 'nl', cookie: `${LANG_COOKIE}=cy` });
    assert.equal(langOfPage(chosen), 'cy-GB');
  });

  test(`${backend.name}: a victim who chose no language reads on in their text's language`, async () => {
    // A Dutch number's victim, no language chosen: Dutch from the sign-in on, remembered.
    const a = new Visitor(app, '198.51.100.150');
    assert.equal(langOfPage(await a.get('/report/start')), 'en-GB');
    let page = await a.post('/report/start', {
      code: (nl[0] as TextedVictim).code,
      digits: (nl[0] as TextedVictim).digits,
    });
    assert.equal(page.status, 303);
    assert.equal(a.cookies.get(LANG_COOKIE), 'nl');
    page = await a.get('/report/q/when');
    assert.equal(langOfPage(page), 'nl-NL');
    assert.match(page.body, /Wanneer werd u gebeld\?/);
    // The switcher still changes it.
    assert.equal(langOfPage(await a.get('/report/q/when?lang=en')), 'en-GB');
    assert.equal(langOfPage(await a.get('/report/q/organisation')), 'en-GB');

    // "Is this text from us?" answers in the text's language too.
    const c = new Visitor(app, '198.51.100.151');
    await c.get('/report/check');
    page = await c.post('/report/check', { code: (nl[1] as TextedVictim).code });
    assert.equal(langOfPage(page), 'nl-NL');
    assert.match(page.body, /Deze sms is van ons/);

    // A victim who chose English with the switcher keeps it.
    const e = new Visitor(app, '198.51.100.152');
    await e.get('/report/start?lang=en');
    const chose = nl[2] as TextedVictim;
    assert.equal(
      (await e.post('/report/start', { code: chose.code, digits: chose.digits })).status,
      303,
    );
    assert.equal(e.cookies.get(LANG_COOKIE), 'en');
    assert.equal(langOfPage(await e.get('/report/q/when')), 'en-GB');

    // So does one whose browser asks for English: nothing is set for them.
    const w = new Visitor(app, '198.51.100.153');
    await w.get('/report/start');
    const reads = nl[3] as TextedVictim;
    const res = await app.inject({
      method: 'POST',
      url: '/report/start',
      remoteAddress: '198.51.100.153',
      headers: {
        cookie: [...w.cookies].map(([k, x]) => `${k}=${x}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
        'accept-language': 'en-GB,en;q=0.9',
      },
      payload: new URLSearchParams({
        _csrf: w.csrf,
        code: reads.code,
        digits: reads.digits,
      }).toString(),
    });
    assert.equal(res.statusCode, 303);
    assert.ok(!res.cookies.some((x) => x.name === LANG_COOKIE), 'no language set');

    // A GB number's victim never gets Welsh by country: English.
    const g = new Visitor(app, '198.51.100.154');
    await g.get('/report/start');
    const victim = gb[LANGS.length] as TextedVictim;
    await g.post('/report/start', { code: victim.code, digits: victim.digits });
    assert.equal(g.cookies.get(LANG_COOKIE), undefined);
    assert.equal(langOfPage(await g.get('/report/q/when')), 'en-GB');
  });
}
