/**
 * Whether libphonenumber-js reads digits dialled in a country as an international number
 * written without its `+`: `31634203481` dialled in NL is `+31634203481`. The library then
 * parses exactly what it parses for `+` and the digits, so the fast path can answer such a
 * number as the international form it already resolved (`ingest/numbers.ts`).
 *
 * It follows the library's steps for digits without `+` in a default country
 * (`extractCountryCallingCode`): no international dialling prefix at the start; the digits start
 * with the country's calling code; the number with the code removed matches the country's
 * national number pattern and the whole number does not. Where the library would first remove
 * a national prefix (from the whole number or from the rest) it answers false, and the caller
 * asks the library itself. A number too long to be national is the SQL rewrite's own case.
 * `numbers.test.ts` holds the fast path to the library on these forms (a property test).
 */
import { isSupportedCountry, Metadata, type CountryCode } from 'libphonenumber-js/max';
import type { NumberingPlan } from './fast.ts';

interface Compiled {
  cc: string;
  national: RegExp;
  prefix: RegExp | null;
  idd: RegExp | null;
}

const compiled = new Map<string, Compiled | null>();

function plan(country: string): Compiled | null {
  let c = compiled.get(country);
  if (c !== undefined) return c;
  if (!isSupportedCountry(country)) {
    c = null;
  } else {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(country as CountryCode);
    const p = metadata.numberingPlan as unknown as NumberingPlan;
    const prefix = p.nationalPrefixForParsing();
    const idd = p.IDDPrefix();
    c = {
      cc: p.callingCode(),
      national: new RegExp(`^(?:${p.nationalNumberPattern()})$`),
      prefix: prefix ? new RegExp(`^(?:${prefix})`) : null,
      idd: idd ? new RegExp(`^(?:${idd})`) : null,
    };
  }
  compiled.set(country, c);
  return c;
}

/**
 * True when libphonenumber-js, given the digits `digits` (no `+`, no separators) with the
 * default country `country`, takes the country's calling code off the front and parses the
 * rest as that country's number: the answer is then the answer for `+` and the digits.
 */
export function readsWithoutPlus(digits: string, country: string): boolean {
  const p = plan(country);
  if (!p || !digits.startsWith(p.cc)) return false;
  if (p.idd?.test(digits)) return false;
  const rest = digits.slice(p.cc.length);
  if (p.prefix && (p.prefix.test(digits) || p.prefix.test(rest))) return false;
  return !p.national.test(digits) && p.national.test(rest);
}
