import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { Known } from './calls.ts';
import {
  bareNational,
  garbledForm,
  newNumber,
  partsFromLibrary,
  partsOf,
  SPECS,
  writeDialled,
  type DialledShape,
} from './numbers.ts';
import { kindOf, Resolver, strip } from './resolve.ts';
import { Rng } from './rng.ts';

const COUNTRIES = Object.keys(SPECS);
const SHAPES: DialledShape[] = [
  'plus',
  'plus_spaced',
  'idd00',
  'idd011',
  'intl_digits',
  'national',
  'national_paren0',
  'nanp',
  'nanp_trunk',
  'nanp_bare',
];
/** Every country a reading may be asked in ('' for `+…`). */
const EVIDENCE = ['', ...COUNTRIES, 'IT', 'CH', 'NZ'];

function lib(text: string, country: string) {
  const p = parsePhoneNumberFromString(text, (country || undefined) as CountryCode | undefined);
  return p && p.isValid() ? { e164: p.number, country: p.country ?? '' } : null;
}

describe('numbers', () => {
  it('draws valid, unique numbers of the intended country', () => {
    const r = new Rng(1, 'test');
    const taken = new Set<string>();
    for (const country of COUNTRIES) {
      for (let i = 0; i < 200; i++) {
        const n = newNumber(r, country, taken);
        const p = parsePhoneNumberFromString(n);
        assert.ok(p?.isValid(), n);
        assert.equal(p?.country, country, n);
      }
    }
    assert.equal(taken.size, COUNTRIES.length * 200);
  });

  it("vouches only for readings libphonenumber gives (the generator's oracle)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(...COUNTRIES),
        (seed, country) => {
          const r = new Rng(seed, 'oracle');
          const p = partsOf(newNumber(r, country, new Set()), country);
          const known = new Known();
          known.set(p);
          let vouched = 0;
          for (const shape of SHAPES) {
            const text = strip(writeDialled(r, p, shape));
            const texts = [text, text.startsWith('00') ? `+${text.slice(2)}` : text];
            for (const t of texts) {
              for (const x of EVIDENCE) {
                const said = known.oracle(t, x);
                if (said === undefined) continue;
                vouched++;
                assert.deepEqual(said, lib(t, x), `${t} in ${x || 'international'}`);
              }
            }
          }
          assert.ok(vouched >= 3);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('writes every shape so that it strips to the intended digits', () => {
    const r = new Rng(3, 'shapes');
    const gb = partsOf(newNumber(r, 'GB', new Set()), 'GB');
    const us = partsOf(newNumber(r, 'US', new Set()), 'US');
    const nsn = gb.nsn;
    const [a, b, c] = [us.nsn.slice(0, 3), us.nsn.slice(3, 6), us.nsn.slice(6)];
    const many = (p: typeof gb, shape: DialledShape) =>
      new Set(Array.from({ length: 40 }, () => writeDialled(r, p, shape)));
    assert.deepEqual([...many(gb, 'plus')], [gb.e164]);
    assert.deepEqual([...many(gb, 'plus_spaced')], [`+44 ${nsn.slice(0, 4)} ${nsn.slice(4)}`]);
    assert.deepEqual(
      [...many(gb, 'idd00')].sort(),
      [
        `00 44 ${nsn.slice(0, 4)} ${nsn.slice(4)}`,
        `0044 ${nsn.slice(0, 4)} ${nsn.slice(4)}`,
        `0044${nsn}`,
      ].sort(),
    );
    assert.deepEqual(
      [...many(gb, 'idd011')].sort(),
      [`011 44 ${nsn.slice(0, 4)} ${nsn.slice(4)}`, `01144${nsn}`].sort(),
    );
    assert.deepEqual([...many(gb, 'intl_digits')], [`44${nsn}`]);
    assert.deepEqual(
      [...many(gb, 'national')].sort(),
      [`0${nsn.slice(0, 4)} ${nsn.slice(4)}`, `0${nsn}`].sort(),
    );
    assert.deepEqual([...many(gb, 'national_paren0')], [`(0)${nsn.slice(0, 4)} ${nsn.slice(4)}`]);
    assert.deepEqual(
      [...many(us, 'nanp')].sort(),
      [`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`].sort(),
    );
    assert.deepEqual([...many(us, 'nanp_trunk')].sort(), [`1 ${a} ${b} ${c}`, `1-${a}-${b}-${c}`]);
    assert.deepEqual([...many(us, 'nanp_bare')], [us.nsn]);
    assert.deepEqual([...many(us, 'intl_digits')], [`1${us.nsn}`]);
    assert.deepEqual(
      [...many(us, 'plus_spaced')].sort(),
      [`+1 (${a}) ${b}-${c}`, `+1 ${a}-${b}-${c}`].sort(),
    );
    assert.equal(bareNational(us), us.nsn);
    assert.equal(bareNational(gb), `0${nsn.slice(0, 4)} ${nsn.slice(4)}`);
    const brand = partsFromLibrary('+443457345345');
    assert.equal(writeDialled(r, brand, 'national_paren0'), '(0)345 734 5345');
    assert.equal(writeDialled(r, brand, 'intl_digits'), '443457345345');
  });

  it('writes national forms that only the evidence reads, and garbled forms that never parse', () => {
    const r = new Rng(2, 'test');
    const resolver = new Resolver([]);
    for (const country of ['GB', 'US', 'NL', 'AU', 'FR', 'IE', 'CA']) {
      const p = partsOf(newNumber(r, country, new Set()), country);
      const none = resolver.call(bareNational(p), 'anonymous', 'default', '').dialled;
      assert.equal(none.e164, null, `${bareNational(p)} reads with no evidence`);
      const ok = resolver.call(bareNational(p), 'anonymous', `out-${country.toLowerCase()}`, '');
      assert.equal(ok.dialled.e164, p.e164);
      for (let i = 0; i < 10; i++) {
        assert.equal(kindOf(garbledForm(r, p.e164, country)).kind, 'unparseable');
      }
    }
  });
});
