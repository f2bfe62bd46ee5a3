/**
 * The portal's languages. Each area of the portal keeps its texts in one file with a table per
 * language (`pages.ts`, `record.ts`); English is the source and every other language must
 * have every key (the type checker refuses a missing one). Placeholders are `{name}`; dates
 * and money are formatted with `Intl` in the language's locale, never by hand.
 */
import { isLang, LANGS, type Lang } from '../../outreach/languages.ts';
import { PAGES } from './pages.ts';
import { RECORD } from './record.ts';

// The portal's languages are the texts' (outreach/languages.ts): a text points to pages in its
// own language.
export { isLang, LANGS, type Lang };

/** Each language's name in itself, for the switcher. */
export const LANG_NAMES: Record<Lang, string> = {
  en: 'English',
  cy: 'Cymraeg',
  nl: 'Nederlands',
  fr: 'Français',
};

/** The BCP 47 locale each language formats dates and money in. */
export const LOCALES: Record<Lang, string> = {
  en: 'en-GB',
  cy: 'cy-GB',
  nl: 'nl-NL',
  fr: 'fr-FR',
};

export type Key = keyof typeof PAGES.en | keyof typeof RECORD.en;
export type Translate = (key: Key, params?: Record<string, string | number>) => string;

const tables = new Map<Lang, Record<string, string>>(
  LANGS.map((l) => [l, { ...PAGES[l], ...RECORD[l] }]),
);

/** The texts of `lang`: `{name}` placeholders filled from `params` (escaped by the page, not here). */
export function translator(lang: Lang): Translate {
  const table = tables.get(lang) as Record<string, string>;
  return (key, params) => {
    const text = table[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => String(params[p] ?? m)) : text;
  };
}

const memo = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
const cached = <T extends Intl.DateTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => T,
): T => {
  let f = memo.get(key) as T | undefined;
  if (!f) {
    f = make();
    memo.set(key, f);
  }
  return f;
};

/** A calendar date (YYYY-MM-DD) as the language writes it: "3 March 2026", "3 mars 2026". */
export function formatDate(lang: Lang, isoDate: string): string {
  const f = cached(
    `d:${lang}`,
    () => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' }),
  );
  return f.format(new Date(`${isoDate}T00:00:00Z`));
}

/** An instant as date and time in `timeZone`. */
export function formatDateTime(lang: Lang, iso: string, timeZone: string): string {
  const f = cached(
    `dt:${lang}:${timeZone}`,
    () =>
      new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone }),
  );
  return f.format(new Date(iso));
}

/** A whole number of minutes in words, singular or plural as the language has it: "1 minute". */
export function formatMinutes(lang: Lang, minutes: number): string {
  const f = cached(
    `min:${lang}`,
    () =>
      new Intl.NumberFormat(LOCALES[lang], { style: 'unit', unit: 'minute', unitDisplay: 'long' }),
  );
  return f.format(minutes);
}

/** An amount in minor units (pence) as money: "£1,250.00", "1 250,00 £". */
export function formatMoney(lang: Lang, minor: number, currency: string): string {
  const f = cached(
    `m:${lang}:${currency}`,
    () => new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency }),
  );
  return f.format(minor / 100);
}
