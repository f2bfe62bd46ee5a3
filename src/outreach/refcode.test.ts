import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseCode, refHash, referenceCode, CODE_SYMBOLS } from './refcode.ts';

const keys = { ref: crypto.randomBytes(32), hash: crypto.randomBytes(32) };

describe('reference codes', () => {
  it('are grouped Crockford base32 with ≥ 50 bits and a check symbol, one per campaign and number', () => {
    const code = referenceCode(keys, 1, '+447700900123');
    assert.match(
      code,
      /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}[0-9A-HJKMNP-TV-Z*~$=U]$/,
    );
    assert.ok(CODE_SYMBOLS * 5 >= 50);
    assert.equal(
      referenceCode(keys, 1, '+447700900123'),
      code,
      'the same code again after a restart',
    );
    assert.notEqual(referenceCode(keys, 2, '+447700900123'), code);
    assert.notEqual(
      referenceCode({ ...keys, ref: crypto.randomBytes(32) }, 1, '+447700900123'),
      code,
    );
  });

  it('read back forgivingly: lower case, spaces, I/L for 1 and O for 0', () => {
    const code = referenceCode(keys, 7, '+12125550123');
    const typed = code.toLowerCase().replaceAll('-', ' ').replaceAll('1', 'l').replaceAll('0', 'o');
    assert.equal(parseCode(typed), code.replaceAll('-', ''));
    assert.equal(refHash(keys, typed), refHash(keys, code));
  });

  it('a single mistyped symbol or two swapped neighbours fail the check', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.nat({ max: CODE_SYMBOLS - 1 }),
        fc.nat({ max: 31 }),
        (cid, pos, sym) => {
          const s = referenceCode(keys, cid, '+447700900123').replaceAll('-', '');
          const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
          const wrong = alphabet[sym] as string;
          fc.pre(wrong !== s[pos]);
          assert.equal(parseCode(s.slice(0, pos) + wrong + s.slice(pos + 1)), null);
          if (pos + 1 < CODE_SYMBOLS && s[pos] !== s[pos + 1]) {
            assert.equal(parseCode(s.slice(0, pos) + s[pos + 1] + s[pos] + s.slice(pos + 2)), null);
          }
        },
      ),
    );
  });

  it('refuses anything that is not a code, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = parseCode(s);
        assert.ok(r === null || /^[0-9A-HJKMNP-TV-Z]{11}[0-9A-HJKMNP-TV-Z*~$=U]$/.test(r));
      }),
    );
    assert.equal(parseCode(''), null);
    assert.equal(parseCode('K7QM-4XD2-9V'), null);
  });
});
