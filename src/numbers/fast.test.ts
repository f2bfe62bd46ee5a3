import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import {
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { fastInternational } from './fast.ts';

/** The library itself: what `parseStripped` asks it for an international number. */
function library(text: string) {
  const p = parsePhoneNumberFromString(text);
  if (!p || !p.isValid()) return { status: 'invalid', e164: null, country: null };
  return { status: 'valid', e164: p.number, country: p.country ?? null };
}

const countries = getCountries();
const callingCodes = [
  ...new Set(countries.map((c) => getCountryCallingCode(c) as string)),
  // Non-geographic codes (freephone, satellite, …) and codes no country has.
  '800',
  '808',
  '870',
  '881',
  '882',
  '883',
  '888',
  '979',
  '28',
  '999',
];
/** Every country's example mobile number, national digits only. */
const mobiles = countries.flatMap((c) => {
  const e = getExampleNumber(c, examples);
  return e ? [{ cc: e.countryCallingCode as string, national: e.nationalNumber as string }] : [];
});

const digits = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max })
    .map((d) => d.join(''));

/** An example number with its last digits changed, or cut, lengthened or prefixed: often valid. */
const nearExample = fc
  .tuple(
    fc.constantFrom(...mobiles),
    fc.nat(5),
    digits(5, 5),
    fc.constantFrom('', '', '', '', '', '0', '1', '00'),
    fc.constantFrom(0, 0, 0, 0, -1, 1, 2),
  )
  .map(([ex, change, fresh, prefix, cut]) => {
    const kept = ex.national.slice(0, Math.max(1, ex.national.length - change));
    const body = (kept + fresh).slice(0, Math.max(2, ex.national.length + cut));
    return `+${ex.cc}${prefix}${body}`;
  });

/** Any calling code followed by any digits, of any length the fast path might see. */
const anyDigits = fc
  .tuple(fc.constantFrom(...callingCodes), digits(0, 18))
  .map(([cc, rest]) => `+${cc}${rest}`);

/** Whatever a column of dialled numbers may hold after stripping. */
const rawText = fc.oneof(
  digits(0, 20).map((d) => `+${d}`),
  fc.string({ maxLength: 20 }).map((s) => `+${s}`),
);

test('an international number gets exactly the answer libphonenumber-js gives', () => {
  let asked = 0;
  let answered = 0;
  let valid = 0;
  fc.assert(
    fc.property(
      fc.oneof(
        { arbitrary: nearExample, weight: 4 },
        { arbitrary: anyDigits, weight: 2 },
        { arbitrary: rawText, weight: 1 },
      ),
      (text) => {
        const fast = fastInternational(text);
        const plausible = /^\+[1-9][0-9]{5,}$/.test(text);
        if (plausible) asked++;
        if (fast === undefined) return;
        if (plausible) answered++;
        if (fast.status === 'valid') valid++;
        assert.deepEqual(fast, library(text), text);
      },
    ),
    { numRuns: 40_000 },
  );
  // It must answer most numbers itself, or it would save nothing.
  assert.ok(answered / asked > 0.7, `answered ${answered} of ${asked}`);
  assert.ok(valid > 4000, `only ${valid} valid numbers were compared`);
});

test('every calling code: example numbers and their neighbours', () => {
  let valid = 0;
  for (const ex of mobiles) {
    for (let d = 0; d <= 9; d++) {
      for (const national of [
        ex.national,
        ex.national.slice(0, -1) + String(d),
        ex.national + String(d),
        ex.national.slice(0, -1),
        String(d) + ex.national.slice(1),
      ]) {
        const text = `+${ex.cc}${national}`;
        const fast = fastInternational(text);
        if (fast === undefined) continue;
        if (fast.status === 'valid') valid++;
        assert.deepEqual(fast, library(text), text);
      }
    }
  }
  assert.ok(valid > 1000, `${valid} valid numbers checked`);
});

test('shared calling codes name the right country; what the library would rewrite is left to it', () => {
  const cases: Array<[string, string | null]> = [
    ['+441481256789', 'GG'],
    ['+447624123456', 'IM'],
    ['+447400123456', 'GB'],
    ['+12423570000', 'BS'],
    ['+12125550100', 'US'],
    ['+14165550100', 'CA'],
    ['+77012345678', 'KZ'],
    ['+79123456789', 'RU'],
  ];
  for (const [text, country] of cases) {
    assert.deepEqual(fastInternational(text), library(text), text);
    assert.equal(fastInternational(text)?.country, country, text);
  }
  // A national prefix after the calling code, a non-geographic code, a leading zero, too short.
  for (const text of ['+4407400123456', '+112125550100', '+80012345678', '+0441234', '+44']) {
    assert.equal(fastInternational(text), undefined, text);
  }
  assert.ok(getCountries().includes('GB' as CountryCode));
});
