import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { createNormaliser, normaliseNumber } from './normalise.ts';
import { routeCountry } from './route.ts';

test('every form in docs/rules.md, "Forms of a number", resolves to the same E.164 number', () => {
  const gb = [
    '07400 123456',
    '+44 7400 123456',
    '447400123456',
    '0044 7400 123456',
    '(0)7400 123456',
  ];
  for (const raw of gb) {
    assert.deepEqual(
      normaliseNumber(raw, 'GB'),
      { status: 'valid', e164: '+447400123456', country: 'GB' },
      raw,
    );
  }
  for (const raw of ['2125550100', '(212) 555-0100', '1 212 555 0100', '+1 212-555-0100']) {
    assert.deepEqual(
      normaliseNumber(raw, 'US'),
      { status: 'valid', e164: '+12125550100', country: 'US' },
      raw,
    );
  }
});

test('national numbers need a context country; 00 without one reads as +', () => {
  assert.equal(normaliseNumber('07400 123456', null).status, 'quarantine');
  assert.deepEqual(normaliseNumber('07400 123456', null), {
    status: 'quarantine',
    reason: 'unresolvable_national_number',
    e164: null,
    country: null,
  });
  assert.equal(normaliseNumber('0044 7400 123456', null).e164, '+447400123456');
  // The same national digits mean another number in another country.
  assert.equal(normaliseNumber('2125550100', 'GB').status, 'invalid');
});

test('words, extensions, withheld and garbage are told apart', () => {
  assert.equal(normaliseNumber('anonymous', 'GB').status, 'withheld');
  assert.equal(normaliseNumber('', 'GB').status, 'withheld');
  assert.equal(normaliseNumber('s', 'GB').status, 'special');
  assert.equal(normaliseNumber('1001', 'GB').status, 'invalid');
  assert.equal(normaliseNumber('*97', 'GB').status, 'invalid');
  // The UK's drama range is not a real number.
  assert.equal(normaliseNumber('07700 900123', 'GB').status, 'invalid');
  for (const raw of ['07400 12O456', '+44 79#11', '+44 79#11a', 'ÿþ', '44+7911', '--']) {
    assert.deepEqual(normaliseNumber(raw, 'GB').status, 'quarantine', raw);
  }
});

test('a route names a country only by an explicit pattern (docs/switch-records.md §5)', () => {
  for (const [route, cc] of [
    ['out-us', 'US'],
    ['outbound_gb', 'GB'],
    ['OUTGOING-de', 'DE'],
    ['dialout-fr', 'FR'],
    ['intl-nl', 'NL'],
    ['out-uk', 'GB'],
    ['gb-out', 'GB'],
    ['us_outbound', 'US'],
    [' out-in ', 'IN'],
  ] as const) {
    assert.equal(routeCountry(route), cc, route);
  }
  // Dial-plan names are not countries (Tonga, Croatia, India, …), nor is a code alone.
  for (const route of [
    'gb',
    'uk',
    'hr',
    'to-pstn',
    'sip-in',
    'trunk-in',
    'calls-in',
    'to-us',
    'uk-premium',
    'out-in-gb',
    'out-xx',
    'from-internal',
    'default',
    '',
    null,
  ]) {
    assert.equal(routeCountry(route), null, String(route));
  }
});

/** The oracle, written from the rules without the module's code: strip, then libphonenumber. */
function oracle(raw: string, ctx: string | null): string | null {
  const s = raw.replace(/[\s\-.()/]/g, '');
  if (!/^(\+[0-9]+|[0-9*#]*[0-9][0-9*#]*)$/.test(s)) return 'quarantine';
  let text = s;
  if (!s.startsWith('+')) {
    if (!ctx) {
      if (!s.startsWith('00')) return 'quarantine';
      text = `+${s.slice(2)}`;
    }
  }
  const p =
    !s.startsWith('+') && ctx
      ? parsePhoneNumberFromString(text, ctx as CountryCode)
      : parsePhoneNumberFromString(text);
  return p && p.isValid() ? `${p.number}/${p.country ?? ''}` : 'invalid';
}

const digits = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max })
    .map((a) => a.join(''));
const separators = fc.constantFrom('', ' ', '-', '.', ' (0)', '/', '  ');
const phoneLike = fc
  .tuple(
    fc.constantFrom('', '+', '00', '0', '1', '44', '+44', '+1', '0044', '011', '+31', '+61 4'),
    separators,
    digits(0, 14),
    separators,
    digits(0, 4),
  )
  .map(([a, b, c, d, e]) => `${a}${b}${c}${d}${e}`);
const hostile = fc.string({ maxLength: 20 });
const contexts = fc.constantFrom(null, 'GB', 'US', 'CA', 'NL', 'AU', 'FR', 'IE', 'DE', 'IT');

test('property: the memoised normaliser gives exactly what libphonenumber-js gives', () => {
  const memo = createNormaliser();
  fc.assert(
    fc.property(fc.oneof(phoneLike, phoneLike, hostile), contexts, (raw, ctx) => {
      const word = raw.trim().toLowerCase();
      if (
        [
          '',
          'anonymous',
          'private',
          'restricted',
          'withheld',
          'unknown',
          'unavailable',
          's',
          'i',
          't',
          'h',
        ].includes(word)
      )
        return;
      const got = memo(raw, ctx);
      const again = memo(raw, ctx);
      assert.deepEqual(again, got);
      assert.deepEqual(normaliseNumber(raw, ctx), got);
      const summary = got.status === 'valid' ? `${got.e164}/${got.country ?? ''}` : got.status;
      assert.equal(summary, oracle(raw, ctx), `${JSON.stringify(raw)} in ${ctx}`);
    }),
    { numRuns: 20000 },
  );
});
