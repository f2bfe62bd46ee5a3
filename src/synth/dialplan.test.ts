import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { callerKind, dialledValue, dialStringNumber, givesNoNumber, uriUser } from './dialplan.ts';
import { Resolver } from './resolve.ts';

const brands = fs
  .readFileSync(new URL('../brands/brands.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0]!);
const resolver = new Resolver(brands, { outsideLine: '9' });
const registered = new Set<string>();

/** The dialled number's reading: [e164, rule, source, class]. */
function read(raw: string, presented: string, route: string, account: string, dialString = '') {
  const d = resolver.call(raw, presented, route, account, dialString).dialled;
  return [d.e164, d.rule, d.source, resolver.classify(d, registered)];
}

describe('caller IDs that are no number (docs/switch-records.md §4)', () => {
  it('tells the kinds apart', () => {
    for (const w of ['', 'anonymous', 'Private', 'UNKNOWN', 'restricted', 'withheld']) {
      assert.equal(callerKind(w), 'withheld', w);
    }
    for (const a of ['HSBC', 'default', 'Bank Alert', 'Fraud Team 2', 'Żaneta']) {
      assert.equal(callerKind(a), 'alphanumeric', a);
    }
    for (const u of [
      'sip:2001@pbx.example.com',
      'security@alerts.example.com',
      'tel:+442079460000',
    ]) {
      assert.equal(callerKind(u), 'uri', u);
    }
    for (const n of ['+44 7700 900123', '2001', '(702) 608-0158', '03457345345']) {
      assert.equal(callerKind(n), 'number', n);
    }
    assert.equal(callerKind('HSBC-Alerts!'), 'other');
  });

  it('reads a URI by its user part', () => {
    assert.equal(uriUser('sip:+447700900123@carrier.example.net'), '+447700900123');
    assert.equal(uriUser('sip:447700900123@sip.example.org;user=phone'), '447700900123');
    assert.equal(uriUser('SIPS:2001@pbx.example.com'), '2001');
    assert.equal(uriUser('tel:+1-702-608-0158;ext=2'), '+1-702-608-0158');
    assert.equal(uriUser('alice@example.com'), 'alice');
    assert.equal(uriUser('+447700900123'), null);
    assert.equal(uriUser('@host'), null);
  });

  it('counts alphanumeric names, URIs and extensions as giving no number, not withheld ones', () => {
    for (const raw of ['HSBC', 'default', 'sip:2001@pbx.example.com', 'a@example.com', '2001']) {
      assert.ok(givesNoNumber(raw, false), raw);
    }
    for (const raw of ['anonymous', '', '+447700900123', '03457345345', '+1234']) {
      assert.ok(!givesNoNumber(raw, false), raw);
    }
    // A short code the rules read (a brand's, `13 22 21`) is a number.
    assert.ok(!givesNoNumber('132221', true));
    assert.ok(givesNoNumber('132221', false));
  });

  it('gives no country evidence: the dialled number is read alone', () => {
    // With no route country, a national number is read only by the account's country (a guess).
    for (const cid of ['HSBC', 'Bank Alert', 'sip:2001@pbx.example.com', '2001', 'x@example.com']) {
      assert.deepEqual(read('07400 123456', cid, 'to-pstn', 'GB'), [
        '+447400123456',
        'account',
        'dialled',
        'victim',
      ]);
      assert.deepEqual(read('07400 123456', cid, 'default', ''), [
        null,
        'none',
        'dialled',
        'unresolved',
      ]);
    }
    // A caller ID URI holding a number is read as that number: it gives P.
    assert.deepEqual(read('07400 123456', 'sip:+443457345345@h.example.com', 'default', ''), [
      '+447400123456',
      'presented',
      'dialled',
      'victim',
    ]);
  });
});

describe('dialled values (docs/switch-records.md §7)', () => {
  it('finds the number of a dial string’s first target', () => {
    assert.equal(dialStringNumber('SIP/12025550143@trunk,60'), '12025550143');
    assert.equal(dialStringNumber('PJSIP/+447700900123@carrier'), '+447700900123');
    assert.equal(dialStringNumber('SIP/07700900123@a&SIP/07700900124@b,45,tT'), '07700900123');
    assert.equal(dialStringNumber('SIP/carrier/07700900123,60'), '07700900123');
    assert.equal(dialStringNumber('SIP/2001,30'), null);
    assert.equal(dialStringNumber('SIP/carrier/07700 900123,60'), null);
    assert.equal(dialStringNumber('ss-noservice'), null);
  });

  it('drops the outside-line prefix before more than six digits, never before +', () => {
    assert.deepEqual(dialledValue('907700900123', '', '9'), {
      text: '07700900123',
      source: 'outside_line',
    });
    assert.deepEqual(dialledValue('9 0044 7700 900123', '', '9'), {
      text: '00447700900123',
      source: 'outside_line',
    });
    assert.equal(dialledValue('9123456', '', '9').source, 'dialled');
    assert.equal(dialledValue('91234567', '', '9').source, 'outside_line');
    assert.equal(dialledValue('+447700900123', '', '9').source, 'dialled');
    assert.equal(dialledValue('907700900123', '', '').source, 'dialled');
    assert.equal(dialledValue('999999', '', '9').source, 'dialled');
  });

  it('reads the dial string only when the dialled field holds no usable number', () => {
    for (const field of ['s', '2001', '201', 'voicemail']) {
      assert.deepEqual(read(field, 'anonymous', 'default', '', 'SIP/+447400123456@sipgate,60'), [
        '+447400123456',
        'plus',
        'dial_string',
        'victim',
      ]);
    }
    // A dialled field that is a number wins over the dial string.
    assert.deepEqual(read('+447400123457', 'anonymous', 'default', '', 'SIP/+447400123456@t'), [
      '+447400123457',
      'plus',
      'dialled',
      'victim',
    ]);
    // The number in the dial string is read by the rules, with the call's evidence.
    assert.deepEqual(read('s', 'anonymous', 'out-gb', '', 'PJSIP/07400123456@carrier'), [
      '+447400123456',
      'route',
      'dial_string',
      'victim',
    ]);
    assert.deepEqual(read('s', 'anonymous', 'out-gb', '', 'Playback'), [
      null,
      'none',
      'dialled',
      'service_code',
    ]);
  });

  it('reads numbers behind the outside line with the call’s evidence', () => {
    assert.deepEqual(read('907400123456', 'anonymous', 'out-gb', ''), [
      '+447400123456',
      'route',
      'outside_line',
      'victim',
    ]);
    assert.deepEqual(read('9011447400123456', 'anonymous', 'default', ''), [
      '+447400123456',
      'idd',
      'outside_line',
      'victim',
    ]);
    // 917-… is read without its 9 too: a US number in that form does not read as itself.
    assert.equal(read('917-455-4719', '+18009359935', 'outbound-us', '')[2], 'outside_line');
  });

  it('keeps artefacts as special values, and reads a URI by its user part', () => {
    for (const raw of ['voicemail', '*97', 's', 'h', 'SIP/1001-0000002a', 'sip:alice@pbx']) {
      assert.deepEqual(
        read(raw, 'anonymous', 'out-gb', 'GB'),
        [null, 'none', 'dialled', 'service_code'],
        raw,
      );
    }
    assert.deepEqual(
      read('sip:2001@pbx.example.com', 'anonymous', 'out-gb', 'GB')[3],
      'service_code',
    );
    for (const uri of [
      'sip:+447400123456@carrier.example.net',
      'sip:447400123456@sip.example.org;user=phone',
      'tel:+447400123456',
    ]) {
      assert.deepEqual(read(uri, 'anonymous', 'default', '')[0], '+447400123456', uri);
    }
  });
});
