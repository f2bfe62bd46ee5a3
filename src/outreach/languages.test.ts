import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TEMPLATES, isLang, languageOf, LANGS } from './languages.ts';
import { isStop } from './optout.ts';
import { DEFAULT_TEMPLATE } from './template.ts';

describe('outreach languages', () => {
  it("texts a victim in their country's language by default, English elsewhere", () => {
    assert.equal(languageOf('GB'), 'en');
    assert.equal(languageOf('IE'), 'en');
    assert.equal(languageOf('NL'), 'nl');
    assert.equal(languageOf('BE'), 'nl', 'Belgium: Dutch (Flemish) by default');
    assert.equal(languageOf('FR'), 'fr');
    assert.equal(languageOf('LU'), 'fr');
    assert.equal(languageOf('MC'), 'fr');
    assert.equal(languageOf('DE'), 'en');
    assert.equal(languageOf('US'), 'en');
    assert.equal(languageOf(''), 'en');
    assert.equal(languageOf('nl'), 'nl', 'any case');
  });

  it('never picks Welsh by country; a campaign chooses it, or French for Belgium', () => {
    for (const c of ['GB', 'IE', 'NL', 'BE', 'FR', 'LU', 'MC', 'DE'])
      assert.notEqual(languageOf(c), 'cy');
    assert.equal(languageOf('GB', { GB: 'cy' }), 'cy');
    assert.equal(languageOf('gb', { GB: 'cy' }), 'cy');
    assert.equal(languageOf('IE', { GB: 'cy' }), 'en', 'an override is for its country only');
    assert.equal(languageOf('BE', { BE: 'fr' }), 'fr');
    assert.equal(languageOf('DE', { DE: 'nl' }), 'nl');
  });

  it('has a template in every language, the English one unchanged', () => {
    assert.deepEqual(Object.keys(DEFAULT_TEMPLATES).sort(), [...LANGS].sort());
    assert.equal(DEFAULT_TEMPLATES.en, DEFAULT_TEMPLATE);
    assert.ok(isLang('cy'));
    assert.ok(!isLang('de'));
  });

  it('tells the victim to reply with a keyword the opt-out handling recognises', () => {
    for (const lang of LANGS) {
      const keyword = /\b(STOP)\b/.exec(DEFAULT_TEMPLATES[lang])?.[1];
      assert.ok(keyword, `${lang} names STOP`);
      assert.equal(isStop(keyword), 'STOP');
    }
  });
});
