/**
 * Which template a campaign's text in a language is written from (docs/outreach.md,
 * "Languages"): English is the campaign's `template`; Welsh, Dutch and French are its
 * translations, or the default text of that language when the campaign uses the default English
 * one. A campaign with its own English text has no text in a language it was not given: a
 * victim who needs it cannot be texted, and the draft is refused.
 */
import { UnspoofError } from '../shared/errors.ts';
import { DEFAULT_TEMPLATES, LANGUAGE_NAMES, languageOf, type Lang } from './languages.ts';
import { CODE_STAND_IN, DEFAULT_TEMPLATE, longestCallDate, safetyProblems } from './template.ts';

export type Translations = Partial<Record<Exclude<Lang, 'en'>, string>>;

export function templateFor(
  c: { template: string; translations: Translations },
  lang: Lang,
): string | null {
  if (lang === 'en') return c.template;
  return c.translations[lang] ?? (c.template === DEFAULT_TEMPLATE ? DEFAULT_TEMPLATES[lang] : null);
}

/**
 * Each target's language (by its country and the campaign's overrides), and the check that the
 * campaign has a safe text in every language its victims need: each template checked in its
 * own language with the longest values it will be filled with.
 */
export function languagesOf(
  targets: ReadonlyArray<{ country: string; brand: string }>,
  content: {
    template: string;
    translations: Translations;
    languages: Readonly<Record<string, Lang>>;
    forceName: string;
    officialSite: string;
  },
): Lang[] {
  const langs = targets.map((t) => languageOf(t.country, content.languages));
  const longestBrand = new Map<Lang, string>();
  langs.forEach((l, i) => {
    const b = (targets[i] as { brand: string }).brand;
    if (b.length >= (longestBrand.get(l) ?? '').length) longestBrand.set(l, b);
  });
  checkTexts(content, longestBrand);
  return langs;
}

/** That the campaign has a safe text in each language given, with that language's longest brand. */
export function checkTexts(
  content: {
    template: string;
    translations: Translations;
    forceName: string;
    officialSite: string;
  },
  longestBrand: ReadonlyMap<Lang, string>,
): void {
  plainText(content);
  for (const [lang, brand] of longestBrand) {
    const template = templateFor(content, lang);
    if (template === null) {
      throw new UnspoofError(
        'CAMPAIGN_INVALID',
        `victims of this campaign are texted in ${LANGUAGE_NAMES[lang]}, and it has its own English text but none in ${LANGUAGE_NAMES[lang]}: give one (--template-file-${lang}), or set their country's language (--language)`,
      );
    }
    const problems = safetyProblems(
      template,
      content.officialSite,
      {
        force: content.forceName,
        site: content.officialSite,
        brand,
        call_date: longestCallDate(lang),
        reference: CODE_STAND_IN,
      },
      lang,
    );
    if (problems.length) {
      throw new UnspoofError(
        'TEMPLATE_UNSAFE',
        `the ${LANGUAGE_NAMES[lang]} template is refused:\n${problems.map((p) => `  - ${p.rule}: ${p.detail}`).join('\n')}`,
      );
    }
  }
}

// A text is read on a phone exactly as written: markup is never rendered, only shown as code
// (and a tag in the force's name reached the console's and portal's pages as text to escape).
const MARKUP = /<\s*\/?\s*[a-z!?]|&[a-z]+;|&#/i;
// Control characters other than a line break (which a text may hold, also as CRLF: a
// campaign drafted from a file written on Windows).
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * The force's name and every text are plain text: no markup, no control or direction
 * characters, and the force's name no placeholder braces (it is put into the text as it is).
 * Refused with TEXT_UNSAFE, whatever else the texts pass.
 */
export function plainText(content: {
  template: string;
  translations: Translations;
  forceName: string;
}): void {
  const problems: string[] = [];
  const check = (what: string, text: string, braces: boolean) => {
    if (MARKUP.test(text))
      problems.push(`${what} holds markup (< > or an entity): write plain text`);
    if (CONTROL.test(text.replace(/\r\n/g, '\n')))
      problems.push(`${what} holds control or text-direction characters`);
    if (braces && /[{}]/.test(text)) problems.push(`${what} holds { or }`);
  };
  check('the force’s name', content.forceName, true);
  check('the English text', content.template, false);
  for (const [lang, text] of Object.entries(content.translations))
    if (text) check(`the ${LANGUAGE_NAMES[lang as Lang]} text`, text, false);
  if (problems.length)
    throw new UnspoofError('TEXT_UNSAFE', `the campaign is refused: ${problems.join('; ')}`);
}
