import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TEMPLATES, LANGS, type Lang } from './languages.ts';
import { plainText } from './texts.ts';
import {
  CODE_STAND_IN,
  DEFAULT_TEMPLATE,
  encodingOf,
  formatCallDate,
  LONGEST_CALL_DATE,
  longestCallDate,
  MAX_SEGMENTS,
  render,
  safetyProblems,
  type Values,
} from './template.ts';

const values: Values = {
  force: 'Metropolitan Police',
  site: 'met.police.uk/ispoof',
  brand: 'Barclays',
  call_date: '12 March 2026',
  reference: 'K7QM-4XD2-9VW*',
};
const rules = (t: string, v: Values = values) =>
  safetyProblems(t, 'met.police.uk/ispoof', v).map((p) => p.rule);

describe('message templates', () => {
  it('the default template is safe, names the brand and the date, and fits in two GSM-7 segments', () => {
    assert.deepEqual(rules(DEFAULT_TEMPLATE), []);
    const text = render(DEFAULT_TEMPLATE, values);
    assert.match(text, /on 12 March 2026 someone called this phone pretending to be Barclays\./);
    assert.match(
      text,
      /type met\.police\.uk\/ispoof into your browser and enter reference K7QM-4XD2-9VW\*\./,
    );
    const e = encodingOf(text);
    assert.equal(e.encoding, 'GSM-7');
    assert.ok(e.segments <= 2, `${e.segments} segments`);
  });

  it('refuses a link, or any domain but the official one', () => {
    assert.deepEqual(rules('Go to https://met.police.uk/ispoof, ref {reference}'), ['link']);
    assert.deepEqual(rules('Go to met-police-refunds.com, ref {reference}'), ['link']);
    assert.deepEqual(rules('Go to bit.ly/x1, ref {reference}'), ['link']);
    assert.deepEqual(rules('Go to {site}, ref {reference}'), []);
  });

  it('refuses requests for personal details or money, and urgency', () => {
    assert.ok(rules('Please reply with your PIN and ref {reference}').includes('personal_details'));
    assert.ok(
      rules('Confirm your card number at {site}, ref {reference}').includes('personal_details'),
    );
    assert.ok(rules('To get a refund pay the £5 fee, ref {reference}').includes('payment'));
    assert.ok(
      rules('Transfer your savings to a safe account, ref {reference}').includes('payment'),
    );
    assert.ok(rules('Act now: call us immediately, ref {reference}').includes('urgency'));
    assert.ok(rules('Do not delay, send your PIN, ref {reference}').includes('personal_details'));
    // Saying what the police will never ask is not asking for it.
    assert.deepEqual(
      rules('We will never ask you for money, passwords or bank details. Ref {reference}'),
      [],
    );
  });

  it('refuses a text without the reference code, an unknown placeholder, or over three segments', () => {
    assert.deepEqual(rules('Hello from {force}'), ['reference']);
    assert.deepEqual(rules('Hello {name}, ref {reference}'), ['placeholder']);
    assert.deepEqual(rules(`${'word '.repeat(100)} ref {reference}`), ['segments']);
    // A character outside GSM-7 makes the whole text UCS-2: 70 characters a segment.
    const ucs = safetyProblems(`Réf ${'✓'.repeat(250)} {reference}`, 'met.police.uk', values);
    assert.equal(ucs[0]?.rule, 'segments');
    assert.match(ucs[0]?.detail ?? '', /UCS-2, forced by ✓/);
  });

  it('refuses markup, control characters or braces in the force’s name and the texts (TEXT_UNSAFE)', () => {
    const ok = { template: DEFAULT_TEMPLATE, translations: {}, forceName: 'Metropolitan Police' };
    assert.doesNotThrow(() => plainText(ok));
    for (const [what, bad] of [
      ['a tag in the name', { ...ok, forceName: '<b>Met</b> Police' }],
      ['a script', { ...ok, forceName: 'Met<script>alert(1)</script>' }],
      ['an entity', { ...ok, forceName: 'Met &amp; City' }],
      ['a placeholder', { ...ok, forceName: 'Met {reference}' }],
      ['a direction override', { ...ok, forceName: 'Met\u202ePolice' }],
      ['a control character', { ...ok, forceName: 'Met\u0007Police' }],
      ['markup in a translation', { ...ok, translations: { cy: '<a href=x>{reference}</a>' } }],
    ] as const)
      assert.throws(() => plainText(bad), { code: 'TEXT_UNSAFE' }, what);
    // A line break and an ampersand between words are plain text.
    assert.doesNotThrow(() => plainText({ ...ok, forceName: 'Avon & Somerset' }));
    assert.doesNotThrow(() => plainText({ ...ok, template: `${DEFAULT_TEMPLATE}\nThank you.` }));
    assert.doesNotThrow(() => plainText({ ...ok, template: `${DEFAULT_TEMPLATE}\r\nThank you.` }));
    assert.throws(() => plainText({ ...ok, template: `${DEFAULT_TEMPLATE}\rThank you.` }));
  });

  it('counts segments and names the characters that force UCS-2', () => {
    assert.deepEqual(encodingOf('a'.repeat(160)), {
      encoding: 'GSM-7',
      segments: 1,
      characters: 160,
      ucs2Characters: [],
    });
    assert.equal(encodingOf('a'.repeat(161)).segments, 2);
    const u = encodingOf('Café – ok');
    assert.equal(u.encoding, 'UCS-2');
    assert.deepEqual(u.ucs2Characters, ['–']);
  });

  it('writes the call date as a victim reads it', () => {
    assert.equal(formatCallDate('2026-03-02'), '2 March 2026');
    assert.equal(formatCallDate(null), '');
  });

  it('writes the call date in each language, GSM-7 only, first days and August in French too', () => {
    assert.equal(formatCallDate('2026-03-02', 'en'), '2 March 2026');
    assert.equal(formatCallDate('2026-03-12', 'cy'), '12 Mawrth 2026');
    assert.equal(formatCallDate('2026-07-31', 'cy'), '31 Gorffennaf 2026');
    assert.equal(formatCallDate('2026-03-12', 'nl'), '12 maart 2026');
    assert.equal(formatCallDate('2026-02-12', 'fr'), '12 février 2026');
    assert.equal(formatCallDate('2026-08-01', 'fr'), '1er aout 2026');
    assert.equal(formatCallDate('2026-08-15', 'fr'), '15 aout 2026');
    assert.equal(formatCallDate(null, 'fr'), '');
    assert.equal(longestCallDate('en'), LONGEST_CALL_DATE);
    assert.equal(longestCallDate(), LONGEST_CALL_DATE);
    for (const lang of LANGS) {
      for (let m = 1; m <= 12; m++) {
        const d = formatCallDate(`2026-${String(m).padStart(2, '0')}-01`, lang);
        assert.equal(encodingOf(d).encoding, 'GSM-7', `${lang}: ${d}`);
        assert.ok(d.length <= longestCallDate(lang).length, `${lang}: ${d}`);
      }
    }
  });
});

/** The values of a long campaign: a 40-character force, a 31-character brand, a long site. */
const longest = (lang: Lang): Values => ({
  force: 'Police Service of Northern Ireland PSNI!',
  site: 'report.police-service.example',
  brand: 'Nationwide Building Society Ltd',
  call_date: longestCallDate(lang),
  reference: CODE_STAND_IN,
});
const rulesIn = (lang: Lang, t: string) =>
  safetyProblems(t, 'met.police.uk/ispoof', values, lang).map((p) => p.rule);

describe('message templates in Welsh, Dutch and French', () => {
  it('keeps the English default byte for byte', () => {
    assert.equal(DEFAULT_TEMPLATES.en, DEFAULT_TEMPLATE);
  });

  for (const lang of LANGS) {
    it(`${lang}: the default template is safe, GSM-7, and fits ${MAX_SEGMENTS} segments with long values`, () => {
      const t = DEFAULT_TEMPLATES[lang];
      const long = longest(lang);
      assert.deepEqual(safetyProblems(t, long.site, long, lang), []);
      assert.deepEqual(safetyProblems(t, values.site, values, lang), []);
      for (const p of ['{force}', '{call_date}', '{brand}', '{site}', '{reference}'])
        assert.ok(t.includes(p), `${lang} has ${p}`);
      // Reply STOP: the keyword optout.ts takes first in a reply.
      assert.match(t, /\bSTOP\b/);
      assert.doesNotMatch(t, /https?:|www\./);
      const e = encodingOf(render(t, long));
      assert.equal(e.encoding, 'GSM-7', `${lang}: ${e.ucs2Characters.join(' ')}`);
      assert.equal(e.segments, 3);
      const usual = encodingOf(render(t, values));
      assert.equal(usual.segments, lang === 'en' || lang === 'nl' ? 2 : 3);
    });
  }

  it('Welsh: refuses asking for a PIN or bank details, for money, and urgency; not "we never ask"', () => {
    assert.deepEqual(rulesIn('cy', 'Anfonwch eich rhif PIN atom ni, cyf {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(rulesIn('cy', 'Rhowch eich manylion banc ar {site}, cyf {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(rulesIn('cy', 'Rydym yn gofyn i chi am eich cyfrinair. Cyf {reference}'), [
      'personal_details',
    ]);
    // "ni" is "us" here, not a negation.
    assert.deepEqual(rulesIn('cy', 'Rhowch eich PIN i ni, cyf {reference}'), ['personal_details']);
    assert.deepEqual(rulesIn('cy', 'Peidiwch ag oedi, anfonwch eich PIN, cyf {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(
      rulesIn('cy', 'Trosglwyddwch eich cynilion i gyfrif diogel, cyf {reference}'),
      ['payment'],
    );
    assert.deepEqual(rulesIn('cy', 'Talwch ffi o £5 i gael eich arian yn ôl. Cyf {reference}'), [
      'payment',
    ]);
    assert.deepEqual(rulesIn('cy', 'Atebwch ar unwaith, cyf {reference}'), ['urgency']);
    assert.deepEqual(rulesIn('cy', 'Ni fyddwn byth yn gofyn am eich PIN. Cyf {reference}'), []);
    assert.deepEqual(
      rulesIn('cy', 'Fyddwn ni byth yn gofyn am eich PIN na manylion eich cerdyn. Cyf {reference}'),
      [],
    );
    assert.deepEqual(rulesIn('cy', 'Ni fyddwn yn gofyn i chi symud arian. Cyf {reference}'), []);
  });

  it('Dutch: refuses asking for a PIN or bank details, for money, and urgency; not "we never ask"', () => {
    assert.deepEqual(rulesIn('nl', 'Stuur ons uw pincode, ref {reference}'), ['personal_details']);
    // The verb last, as Dutch puts it.
    assert.deepEqual(rulesIn('nl', 'Wilt u uw bankgegevens doorgeven op {site}? Ref {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(rulesIn('nl', 'Verlies geen tijd, geef uw pincode, ref {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(
      rulesIn('nl', 'Maak uw spaargeld over naar een veilige rekening, ref {reference}'),
      ['payment'],
    );
    assert.deepEqual(rulesIn('nl', 'Betaal € 5 administratiekosten, ref {reference}'), ['payment']);
    assert.deepEqual(rulesIn('nl', 'Reageer direct, ref {reference}'), ['urgency']);
    assert.deepEqual(rulesIn('nl', 'Reageer binnen 24 uur, ref {reference}'), ['urgency']);
    assert.deepEqual(rulesIn('nl', 'Wij vragen nooit om uw pincode. Ref {reference}'), []);
    assert.deepEqual(
      rulesIn('nl', 'Wij vragen u nooit om geld over te maken. Ref {reference}'),
      [],
    );
  });

  it('French: refuses asking for a PIN or bank details, for money, and urgency; not "we never ask"', () => {
    assert.deepEqual(rulesIn('fr', 'Envoyez-nous votre code PIN, réf {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(
      rulesIn('fr', 'Confirmez vos coordonnées bancaires sur {site}, réf {reference}'),
      ['personal_details'],
    );
    assert.deepEqual(rulesIn('fr', 'Ne tardez pas, donnez votre code secret, réf {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(
      rulesIn('fr', 'Virez vos économies vers un compte sécurisé, réf {reference}'),
      ['payment'],
    );
    assert.deepEqual(rulesIn('fr', 'Payez 5 € de frais pour être remboursé, réf {reference}'), [
      'payment',
    ]);
    assert.deepEqual(rulesIn('fr', 'Répondez immédiatement, réf {reference}'), ['urgency']);
    assert.deepEqual(rulesIn('fr', 'Agissez sous 24h, réf {reference}'), ['urgency']);
    assert.deepEqual(
      rulesIn('fr', 'Nous ne vous demanderons jamais votre code PIN. Réf {reference}'),
      [],
    );
    assert.deepEqual(rulesIn('fr', "N'envoyez jamais d'argent. Réf {reference}"), []);
  });

  it('checks a Welsh, Dutch or French template for English phrases too, and its links', () => {
    assert.deepEqual(rulesIn('nl', 'Please reply with your PIN, ref {reference}'), [
      'personal_details',
    ]);
    assert.deepEqual(rulesIn('fr', 'Act now: appelez-nous, réf {reference}'), ['urgency']);
    assert.deepEqual(rulesIn('cy', 'Ewch i https://met.police.uk/ispoof, cyf {reference}'), [
      'link',
    ]);
    // An English template is checked as before, with the English words only.
    assert.deepEqual(rulesIn('en', 'Stuur ons uw pincode, ref {reference}'), []);
  });
});
