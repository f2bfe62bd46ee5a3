/**
 * The country a route or dial-plan context names (`out-us` → US, `gb` → GB, `uk` → GB):
 * the last token of two letters that is a country libphonenumber knows. `from-internal`,
 * `default` and the like name none.
 */
import { getCountries } from 'libphonenumber-js/max';

const COUNTRIES = new Set<string>(getCountries());
const ALIASES: Record<string, string> = { UK: 'GB' };

export function routeCountry(route: string | null | undefined): string | null {
  if (!route) return null;
  const tokens = route.toUpperCase().split(/[-_.:/\s]+/);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i] ?? '';
    if (t.length !== 2) continue;
    const cc = ALIASES[t] ?? t;
    if (COUNTRIES.has(cc)) return cc;
  }
  return null;
}

export function isCountry(code: string | null | undefined): code is string {
  return !!code && COUNTRIES.has(code);
}
