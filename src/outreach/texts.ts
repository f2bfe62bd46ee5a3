/**
 * Which template a campaign's text in a language is written from (docs/outreach.md,
 * "Languages"): English is the campaign's `template`; Welsh, Dutch and French are its
 * translations, or the default text of that language when the campaign uses the default English
 * one. A campaign with its own English text has no text in a language it was not given: a
 * victim who needs it cannot be texted, and the draft is refused.
 */
import { DEFAULT_TEMPLATES, type Lang } from './languages.ts';
import { DEFAULT_TEMPLATE } from './template.ts';

export type Translations = Partial<Record<Exclude<Lang, 'en'>, string>>;

export function templateFor(
  c: { template: string; translations: Translations },
  lang: Lang,
): string | null {
  if (lang === 'en') return c.template;
  return c.translations[lang] ?? (c.template === DEFAULT_TEMPLATE ? DEFAULT_TEMPLATES[lang] : null);
}
