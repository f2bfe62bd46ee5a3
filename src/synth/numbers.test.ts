import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { dialledForm, garbledForm, nationalForm, newNumber, SPECS } from './numbers.ts';
import { Rng } from './rng.ts';
import { resolve } from './testkit.ts';

const COUNTRIES = Object.keys(SPECS);
const CONTEXTS = ['', 'GB', 'US', 'CA', 'NL', 'AU', 'FR', 'IE', 'RO', 'NG', 'ES', 'DE'];
const ROUTE_OF: Record<string, string> = { '': 'from-internal', GB: 'uk' };
const route = (ctx: string) => ROUTE_OF[ctx] ?? `out-${ctx.toLowerCase()}`;

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

  it('writes dialled forms that resolve to the intended number in their context', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(...COUNTRIES),
        fc.constantFrom(...CONTEXTS),
        (seed, country, ctx) => {
          const r = new Rng(seed, 'forms');
          const n = newNumber(r, country, new Set());
          for (let i = 0; i < 20; i++) {
            const form = dialledForm(r, n, country, ctx);
            // The context comes from the route here; an anonymous caller ID adds nothing.
            const res = resolve(form, route(ctx), 'anonymous', '');
            assert.equal(res.kind, 'number', `${form} in ${ctx || 'no context'}`);
            assert.equal(res.kind === 'number' && res.e164, n, `${form} in ${ctx || 'no context'}`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes national forms that need a context, and garbled forms that never parse', () => {
    const r = new Rng(2, 'test');
    for (const country of ['GB', 'US', 'NL', 'AU', 'FR', 'IE', 'CA']) {
      const n = newNumber(r, country, new Set());
      assert.equal(
        resolve(nationalForm(n, country), 'default', 'anonymous', '').kind,
        'unresolvable',
      );
      const ok = resolve(nationalForm(n, country), route(country), 'anonymous', '');
      assert.equal(ok.kind === 'number' && ok.e164, n);
      for (let i = 0; i < 10; i++) {
        assert.equal(
          resolve(garbledForm(r, n, country), 'uk', 'anonymous', 'GB').kind,
          'unparseable',
        );
      }
    }
  });
});
