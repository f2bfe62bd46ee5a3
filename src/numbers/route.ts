/**
 * The country a route or dial-plan context names by its name alone (docs/switch-records.md §5):
 * only when the name is exactly an outbound word and a country code — `out-gb`, `outbound_us`,
 * `gb-out` (`uk` is GB). Dial plans name contexts freely (`to-pstn`, `hr`, `sip-in`,
 * `trunk-in`), so any other name names no country; a case whose routes do name one says so in
 * export.json or the mapping file (`routes`).
 */
import { getCountries } from 'libphonenumber-js/max';

const COUNTRIES = new Set<string>(getCountries());
const ALIASES: Record<string, string> = { UK: 'GB' };
const BEFORE = '(?:out|outbound|outgoing|dialout|intl)';
const AFTER = '(?:out|outbound|outgoing)';
const PATTERN = new RegExp(`^(?:${BEFORE}[-_]([a-z]{2})|([a-z]{2})[-_]${AFTER})$`, 'i');

export function routeCountry(route: string | null | undefined): string | null {
  if (!route) return null;
  const m = PATTERN.exec(route.trim());
  const code = (m?.[1] ?? m?.[2])?.toUpperCase();
  if (!code) return null;
  const cc = ALIASES[code] ?? code;
  return COUNTRIES.has(cc) ? cc : null;
}

export function isCountry(code: string | null | undefined): code is string {
  return !!code && COUNTRIES.has(code);
}
