import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import {
  formOf,
  kindOf,
  Resolver,
  routeCountry,
  strip,
  writtenNorthAmerican,
  type Resolution,
} from './resolve.ts';

const brands = fs
  .readFileSync(new URL('../brands/brands.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0]!);
const resolver = new Resolver(brands);

/** The dialled number's reading in a call: [e164, rule, confidence, alt, review]. */
function dialled(raw: string, presented: string, route: string, account: string) {
  const d = resolver.call(raw, presented, route, account).dialled;
  return [d.e164, d.rule, d.confidence, d.alt, d.review];
}
function presented(raw: string, route: string, account: string) {
  const c = resolver.call('+447400123456', raw, route, account);
  const p = c.presented;
  return [p.e164, p.rule, p.confidence, p.alt, c.P];
}

describe('resolver (docs/numbers.md)', () => {
  it('strips separators and tells the forms apart', () => {
    assert.equal(strip('+44 (0)7700-900.123/4'), '+44077009001234');
    assert.equal(formOf('+447400123456'), 'plus');
    assert.equal(formOf('00447400123456'), 'idd00');
    assert.equal(formOf('011447400123456'), 'idd011');
    assert.equal(formOf('07400123456'), 'digits');
    assert.equal(formOf('447400123456'), 'digits');
    assert.equal(formOf('0007400123456'), 'digits');
    assert.equal(formOf('*97'), null);
    for (const w of ['anonymous', 'Anonymous', 'private', '']) {
      assert.equal(kindOf(w).kind, 'withheld', w);
    }
    for (const s of ['s', 'i', 't', 'h', 'voicemail', 'SIP/1001-0000002a', 'Local/2001@from-int']) {
      assert.equal(kindOf(s).kind, 'special', s);
    }
    assert.equal(kindOf('*97').kind, 'service');
    assert.equal(kindOf('#31#').kind, 'service');
    assert.equal(kindOf('0740O 123456').kind, 'unparseable');
    assert.equal(kindOf('+44 74#00123456').kind, 'unparseable');
    // A number with stray letters is no artefact of a dial plan: it is unparseable.
    assert.equal(kindOf('07400 2OO001').kind, 'unparseable');
    assert.equal(kindOf('(0)7400 12345x').kind, 'unparseable');
  });

  it('knows the North American way of writing', () => {
    for (const yes of [
      '(702) 608-0158',
      '702-608-0158',
      '1-702-608-0158',
      '1 702 608 0158',
      '702.608.0158',
    ]) {
      assert.ok(writtenNorthAmerican(yes), yes);
    }
    for (const no of [
      '7026080158',
      '0207 946 0958',
      '612 345 678',
      '17026080158',
      '102-608-0158',
    ]) {
      assert.ok(!writtenNorthAmerican(no), no);
    }
  });

  it("reads the route's country only by the pattern of docs/switch-records.md §5", () => {
    for (const [route, cc] of [
      ['out-gb', 'GB'],
      ['out-uk', 'GB'],
      ['OUT_UK', 'GB'],
      ['outbound-us', 'US'],
      ['outgoing_fr', 'FR'],
      ['dialout-nl', 'NL'],
      ['intl-au', 'AU'],
      ['gb-out', 'GB'],
      ['IE-Outbound', 'IE'],
      ['ca_outgoing', 'CA'],
      ['out-de', 'DE'],
    ]) {
      assert.equal(routeCountry(route!), cc, route);
    }
    for (const none of [
      'from-internal',
      'default',
      'from-trunk',
      'outbound-allroutes',
      'public',
      '',
      // Names that look as if they named a country, but are not under the rule.
      'gb',
      'uk',
      'to-pstn',
      'hr',
      'sip-in',
      'trunk-in',
      'calls-in',
      'out-gb-in',
      'from-gb',
      'gb-in',
      'intl-out',
      'out-xx',
      'dialout-gbr',
      'out gb',
    ]) {
      assert.equal(routeCountry(none), '', none);
    }
    // An export's routes setting wins over the route's name.
    assert.equal(routeCountry('trunk-a', { 'trunk-a': 'GB' }), 'GB');
    assert.equal(routeCountry('gb', { gb: 'GB' }), 'GB');
    assert.equal(routeCountry('out-fr', { 'out-fr': 'NL' }), 'NL');
    assert.equal(routeCountry('toString'), '');
  });

  it('reads dialled numbers by each rule, in rank order', () => {
    // 1 plus: certain, ends the search (the route names another country).
    assert.deepEqual(dialled('+44 7400 123456', 'anonymous', 'out-fr', 'FR'), [
      '+447400123456',
      'plus',
      'certain',
      null,
      false,
    ]);
    // 2 idd (00): certain, with no evidence at all.
    assert.deepEqual(dialled('0044 7400 123456', 'anonymous', 'from-internal', ''), [
      '+447400123456',
      'idd',
      'certain',
      null,
      false,
    ]);
    // 3 route.
    assert.deepEqual(dialled('07400 123456', 'anonymous', 'out-gb', ''), [
      '+447400123456',
      'route',
      'probable',
      null,
      false,
    ]);
    // 4 presented: a brand's caller ID, as +…, as international digits and national.
    for (const cid of ['+443457345345', '443457345345', '03457345345']) {
      assert.deepEqual(dialled('07400 123456', cid, 'from-internal', 'US'), [
        '+447400123456',
        'presented',
        'probable',
        null,
        false,
      ]);
    }
    // 5 format: written the North American way; the account's country is not looked at.
    for (const raw of ['(702) 608-0158', '1-702-608-0158', '702.608.0158', '1 702 608 0158']) {
      assert.deepEqual(dialled(raw, 'anonymous', 'default', 'GB'), [
        '+17026080158',
        'format',
        'probable',
        null,
        false,
      ]);
    }
    // 6 idd (011): after the route's reading.
    assert.deepEqual(dialled('011 44 7400 123456', 'anonymous', 'default', ''), [
      '+447400123456',
      'idd',
      'probable',
      null,
      false,
    ]);
    assert.deepEqual(dialled('011 44 7400 123456', 'anonymous', 'out-us', ''), [
      '+447400123456',
      'route',
      'probable',
      null,
      false,
    ]);
    // 7 intl: eleven digits or more, not starting 0.
    assert.deepEqual(dialled('447400123456', 'anonymous', 'default', 'FR'), [
      '+447400123456',
      'intl',
      'probable',
      null,
      false,
    ]);
    assert.deepEqual(dialled('17026080158', 'anonymous', 'default', ''), [
      '+17026080158',
      'intl',
      'probable',
      null,
      false,
    ]);
    // 8 account: only when nothing else reads it; a guess, so it needs review.
    assert.deepEqual(dialled('07400 123456', 'anonymous', 'default', 'GB'), [
      '+447400123456',
      'account',
      'guess',
      null,
      true,
    ]);
    assert.deepEqual(dialled('7026080158', 'anonymous', 'default', 'US'), [
      '+17026080158',
      'account',
      'guess',
      null,
      true,
    ]);
  });

  it('reads 011 in the UK as Leeds, not as an international call', () => {
    assert.deepEqual(dialled('0113 496 0000', 'anonymous', 'out-uk', ''), [
      '+441134960000',
      'route',
      'probable',
      null,
      false,
    ]);
    assert.deepEqual(dialled('0113 496 0000', 'anonymous', 'default', 'GB'), [
      '+441134960000',
      'account',
      'guess',
      null,
      true,
    ]);
    // In North America 011 is the international prefix: +34 960000 is no number.
    assert.deepEqual(dialled('0113 496 0000', 'anonymous', 'default', 'US'), [
      null,
      'none',
      null,
      null,
      false,
    ]);
    // A UK route does not read 011 44 … (too long for a national number): the idd rule does.
    assert.deepEqual(dialled('011 44 7400 123456', 'anonymous', 'out-gb', ''), [
      '+447400123456',
      'idd',
      'probable',
      null,
      false,
    ]);
  });

  it('keeps the rival reading and flags the number when the evidence disagrees', () => {
    // A Dutch route and a French bank's caller ID: 06 12 34 56 78 is valid in both.
    assert.deepEqual(dialled('0612345678', '+33969320000', 'out-nl', ''), [
      '+31612345678',
      'route',
      'probable',
      '+33612345678',
      true,
    ]);
    // A UK route, a US bank's caller ID, ten bare digits: 070 is a UK personal number.
    assert.deepEqual(dialled('7026080158', '+18009359935', 'uk-out', ''), [
      '+447026080158',
      'route',
      'probable',
      '+17026080158',
      true,
    ]);
    // The account's country never rivals stronger evidence.
    assert.deepEqual(dialled('0612345678', 'anonymous', 'out-nl', 'FR'), [
      '+31612345678',
      'route',
      'probable',
      null,
      false,
    ]);
  });

  it("uses the account's country only for a call with no evidence of its own", () => {
    // A US route's reading is not valid: the account's country does not step in.
    assert.deepEqual(dialled('07400 123456', 'anonymous', 'out-us', 'GB'), [
      null,
      'none',
      null,
      null,
      false,
    ]);
    // Nor with a caller ID of another country.
    assert.deepEqual(dialled('07400 123456', '+18009359935', 'default', 'GB'), [
      null,
      'none',
      null,
      null,
      false,
    ]);
    assert.deepEqual(dialled('07400 123456', 'private', 'sip-in', 'GB'), [
      '+447400123456',
      'account',
      'guess',
      null,
      true,
    ]);
  });

  it('leaves a number unresolved when no reading is valid', () => {
    assert.deepEqual(dialled('07400 123456', 'anonymous', 'from-internal', ''), [
      null,
      'none',
      null,
      null,
      false,
    ]);
    assert.deepEqual(dialled('7026080158', 'anonymous', 'default', ''), [
      null,
      'none',
      null,
      null,
      false,
    ]);
  });

  it('reads presented numbers: brands in national form, route, intl, account', () => {
    assert.deepEqual(presented('+443457345345', 'out-us', 'US'), [
      '+443457345345',
      'plus',
      'certain',
      null,
      'GB',
    ]);
    assert.deepEqual(presented('00443457345345', 'default', ''), [
      '+443457345345',
      'idd',
      'certain',
      null,
      'GB',
    ]);
    // The national form counts only where the route names no other country.
    assert.deepEqual(presented('03457345345', 'out-us', 'US')[1], 'none');
    for (const [raw, route] of [
      ['443457345345', 'out-us'],
      ['03457345345', 'default'],
    ] as const) {
      assert.deepEqual(presented(raw, route, 'US'), [
        '+443457345345',
        'brand',
        'certain',
        null,
        'GB',
      ]);
    }
    // A US bank's national form and its digits after +.
    for (const raw of ['8009359935', '18009359935']) {
      assert.deepEqual(presented(raw, 'default', ''), [
        '+18009359935',
        'brand',
        'certain',
        null,
        'US',
      ]);
    }
    assert.deepEqual(presented('07400123456', 'gb-out', ''), [
      '+447400123456',
      'route',
      'probable',
      null,
      'GB',
    ]);
    // Digits with their country code are a caller ID's international reading.
    assert.deepEqual(presented('447400123456', 'default', ''), [
      '+447400123456',
      'intl',
      'probable',
      null,
      'GB',
    ]);
    // A guess gives no evidence P.
    assert.deepEqual(presented('07400123456', 'default', 'GB'), [
      '+447400123456',
      'account',
      'guess',
      null,
      '',
    ]);
    // Toronto 647 …, not New Zealand +64 7…: ten digits are no international reading.
    assert.deepEqual(presented('6475550199', 'out-ca', ''), [
      '+16475550199',
      'route',
      'probable',
      null,
      'CA',
    ]);
    assert.deepEqual(presented('anonymous', 'out-uk', 'GB'), [null, 'none', null, null, '']);
  });

  it('classifies calls: service codes, unresolved, brand numbers, own phones, victims', () => {
    const registered = new Set(['+447400123456']);
    const cls = (raw: string, route = 'out-uk', account = 'GB') => {
      const d: Resolution = resolver.call(raw, 'anonymous', route, account).dialled;
      return resolver.classify(d, registered);
    };
    for (const code of ['1001', '*97', 's', '999999', '#31#']) {
      assert.equal(cls(code), 'service_code', code);
    }
    // A six-digit brand number dialled nationally is a short code by the rule.
    assert.equal(cls('13 22 21', 'out-au', 'AU'), 'service_code');
    assert.equal(cls('0000000000'), 'unresolved');
    assert.equal(cls('07400 123457', 'default', ''), 'unresolved');
    assert.equal(cls('0345 734 5345'), 'brand_number');
    assert.equal(cls('+61 13 22 21'), 'brand_number');
    assert.equal(cls('07400 123456'), 'own_phone');
    assert.equal(cls('07400 123457'), 'victim');
  });
});
