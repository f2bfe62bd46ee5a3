/**
 * The SQL fast path of normalisation must give exactly what libphonenumber-js gives (through
 * `normaliseNumber`, the reference) for every (raw, context) pair, in every form it rewrites.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import examples from 'libphonenumber-js/mobile/examples';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { createNormaliser, normaliseNumber } from '../numbers/normalise.ts';
import { tempDir } from '../../test/fixtures.ts';
import { FAST_COUNTRIES, normaliseInto } from './numbers.ts';

const NUMBER_COUNTRIES = [...FAST_COUNTRIES, 'GG', 'JE', 'IM', 'JM', 'BE', 'IT', 'JP'];
const CONTEXTS = [...FAST_COUNTRIES, '', 'IT', 'JP', 'BE'];

/** A national significant number near a real mobile example (same length, same start). */
const nsn = fc
  .tuple(fc.constantFrom(...NUMBER_COUNTRIES), fc.nat(), fc.constantFrom(0, 0, 0, 0, 0, -1, 1))
  .map(([c, seed, delta]) => {
    const ex = (examples as Record<string, string>)[c] ?? '7911123456';
    const keep = Math.min(ex.length, 3 + (seed % 3));
    let digits = ex.slice(0, keep);
    for (let i = keep, s = seed; i < ex.length + delta; i++, s = (s * 1103515245 + 12345) >>> 0) {
      digits += String((s >>> 16) % 10);
    }
    return { country: c, cc: getCountryCallingCode(c as CountryCode), nsn: digits };
  });

const separated = (s: string, seps: string[]) =>
  [...s].map((ch, i) => (i > 0 && i % 3 === 0 ? `${seps[i % seps.length]}${ch}` : ch)).join('');

/**
 * A number in one of the forms of docs/rules.md, "Forms of a number" (and some wrong ones),
 * mostly in its own context.
 */
const pair = fc
  .tuple(
    nsn,
    fc.constantFrom('+cc', '00cc', '0', '0', 'cc', '', '', '1', '00', '011cc', '(0)', '0011cc'),
    fc.array(fc.constantFrom('', ' ', '-', '.', '/'), { minLength: 1, maxLength: 3 }),
    fc.oneof(fc.constant(null), fc.constantFrom(...CONTEXTS)),
  )
  .map(([n, form, seps, ctx]): [string, string] => {
    const prefix = form.replace('cc', n.cc);
    const own = CONTEXTS.includes(n.country) ? n.country : '';
    return [separated(`${prefix}${n.nsn}`, seps), ctx ?? own];
  });
const hostile = fc.tuple(fc.string({ maxLength: 14 }), fc.constantFrom(...CONTEXTS));

test('property: the SQL fast path gives exactly what libphonenumber-js gives', async () => {
  // The fast path passes its bulk through DuckDB's scratch folder, as it does in a case.
  const db = await DuckDBInstance.create(':memory:', { temp_directory: tempDir() });
  const conn = await db.connect();
  const seen = { valid: 0, rows: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(pair, pair, pair, hostile), {
          minLength: 100,
          maxLength: 500,
          size: 'max',
        }),
        async (pairs) => {
          await conn.run('CREATE OR REPLACE TEMP TABLE _in (raw VARCHAR, ctx VARCHAR)');
          const app = await conn.createAppender('_in', 'main', 'temp');
          for (const [r, c] of pairs) {
            app.appendVarchar(r);
            app.appendVarchar(c);
            app.endRow();
          }
          app.closeSync();
          await normaliseInto(
            conn,
            createNormaliser(),
            'SELECT DISTINCT raw, ctx FROM _in',
            '_out',
          );
          const got = (
            await conn.runAndReadAll('SELECT raw, ctx, e164, country, status, reason FROM _out')
          ).getRowObjectsJS();
          assert.equal(got.length, new Set(pairs.map(([r, c]) => `${r}\u0000${c}`)).size);
          for (const g of got) {
            seen.rows++;
            if (g.status === 'valid') seen.valid++;
            const want = normaliseNumber(g.raw as string, (g.ctx as string) || null);
            assert.deepEqual(
              {
                e164: g.e164,
                country: g.country,
                status: g.status,
                reason: g.reason,
              },
              {
                e164: want.e164,
                country: want.country,
                status: want.status,
                reason: want.status === 'quarantine' ? want.reason : null,
              },
              `${JSON.stringify(g.raw)} in ${JSON.stringify(g.ctx)}`,
            );
          }
        },
      ),
      { numRuns: 60 },
    );
    // The inputs must exercise the rewrites, not only the fallback: many resolve as valid.
    assert.ok(seen.valid > seen.rows / 6, `only ${seen.valid} of ${seen.rows} valid`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});
