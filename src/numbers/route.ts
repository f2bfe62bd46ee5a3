/**
 * The country a route or dial-plan context names (`out-us` → US, `gb` → GB, `uk` → GB):
 * the last token of two letters that is a country libphonenumber knows and not a word a dial
 * plan uses (`in`, `to`, …). `from-internal`, `default`, `to-pstn` and the like name none.
 */
import { getCountries } from 'libphonenumber-js/max';

const COUNTRIES = new Set<string>(getCountries());
const ALIASES: Record<string, string> = { UK: 'GB' };
/**
 * Two-letter tokens that dial plans use as words, not countries: `sip-in`, `to-pstn`,
 * `calls-in`, `hr` (human resources) would otherwise read as India, Tonga, Croatia. A case whose
 * routes do name such a country says so in export.json (`routes`).
 */
const WORDS = new Set(['IN', 'TO', 'IS', 'BY', 'DO', 'ME', 'MY', 'SO', 'AS', 'AM', 'HR']);

export function routeCountry(route: string | null | undefined): string | null {
  if (!route) return null;
  const tokens = route.toUpperCase().split(/[-_.:/\s]+/);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i] ?? '';
    if (t.length !== 2 || WORDS.has(t)) continue;
    const cc = ALIASES[t] ?? t;
    if (COUNTRIES.has(cc)) return cc;
  }
  return null;
}

export function isCountry(code: string | null | undefined): code is string {
  return !!code && COUNTRIES.has(code);
}
