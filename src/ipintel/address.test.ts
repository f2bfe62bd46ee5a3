/**
 * Reading addresses strictly (docs/ip-intelligence.md): IPv4 in four parts only, IPv6 in any
 * spelling, IPv4-mapped IPv6 as its IPv4, ports and brackets dropped; private and reserved
 * ranges named; list lines as addresses, CIDR blocks, ranges and Tor exit lines. A property:
 * every address of a block lies within the range its CIDR line reads as.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { IPV4_BASE, readIp, readRange } from './address.ts';

test('addresses in every spelling a log writes, or none', () => {
  assert.deepEqual(readIp('86.1.2.3'), {
    canonical: '86.1.2.3',
    family: 4,
    num: IPV4_BASE + 0x56010203n,
    range: 'unicast',
  });
  assert.equal(readIp('86.1.2.3:5555')?.canonical, '86.1.2.3');
  assert.equal(readIp('::ffff:86.1.2.3')?.canonical, '86.1.2.3');
  assert.equal(readIp('::ffff:86.1.2.3')?.num, readIp('86.1.2.3')?.num);
  const six = readIp('[2A02:C7F:1234:0:0:0:0:1]:443');
  assert.equal(six?.canonical, '2a02:c7f:1234::1');
  assert.equal(six?.family, 6);
  assert.equal(six?.num, readIp('2a02:c7f:1234::1')?.num);
  // A classful parser reads `1.2.3` as 1.2.0.3: no log means that.
  for (const bad of ['1.2.3', '256.1.1.1', 'not-an-ip', '', '1.2.3.4.5', '2001:db8::g'])
    assert.equal(readIp(bad), null, bad);
});

test('private, reserved and other non-public ranges are named, never unicast', () => {
  const ranges = Object.fromEntries(
    [
      '10.0.0.1',
      '192.168.1.20',
      '172.16.0.5',
      '100.64.3.9',
      '127.0.0.1',
      '169.254.1.1',
      '192.0.2.4',
      '203.0.113.9',
      '240.0.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      'fe80::1',
      'fd00::1:7',
      '2001:db8::1',
      '2002:808:808::1',
      '2a00:23c0::1',
      '8.8.8.8',
    ].map((ip) => [ip, readIp(ip)?.range]),
  );
  assert.deepEqual(ranges, {
    '10.0.0.1': 'private',
    '192.168.1.20': 'private',
    '172.16.0.5': 'private',
    '100.64.3.9': 'carrierGradeNat',
    '127.0.0.1': 'loopback',
    '169.254.1.1': 'linkLocal',
    '192.0.2.4': 'reserved',
    '203.0.113.9': 'reserved',
    '240.0.0.1': 'reserved',
    '0.0.0.0': 'unspecified',
    '224.0.0.1': 'multicast',
    '::1': 'loopback',
    'fe80::1': 'linkLocal',
    'fd00::1:7': 'uniqueLocal',
    '2001:db8::1': 'reserved',
    '2002:808:808::1': '6to4',
    '2a00:23c0::1': 'unicast',
    '8.8.8.8': 'unicast',
  });
});

test('list lines: an address, a CIDR block, a range, a Tor exit line', () => {
  const n = (ip: string) => readIp(ip)!.num;
  assert.deepEqual(readRange('51.140.0.0/16'), {
    first: n('51.140.0.0'),
    last: n('51.140.255.255'),
  });
  assert.deepEqual(readRange('2001:db8::/32'), {
    first: n('2001:db8::'),
    last: n('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'),
  });
  assert.deepEqual(readRange('5.2.64.1'), { first: n('5.2.64.1'), last: n('5.2.64.1') });
  assert.deepEqual(readRange('5.2.64.0 - 5.2.64.9'), { first: n('5.2.64.0'), last: n('5.2.64.9') });
  assert.deepEqual(readRange('ExitAddress 185.220.101.1 2021-05-01 11:06:15'), {
    first: n('185.220.101.1'),
    last: n('185.220.101.1'),
  });
  for (const bad of ['1.2.3.4/33', '1.2.3.4/x', '5.2.64.9 - 5.2.64.0', '1.2.3.4 - ::1', 'words'])
    assert.equal(readRange(bad), null, bad);
});

test('every address of a block lies within the range its CIDR line reads as (property)', () => {
  fc.assert(
    fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.ipV4(), (net, bits, other) => {
      const r = readRange(`${net}/${bits}`)!;
      const a = readIp(net)!.num;
      assert.ok(r.first <= a && a <= r.last);
      assert.equal(r.last - r.first + 1n, 1n << BigInt(32 - bits));
      const o = readIp(other)!.num;
      const inside = (o - IPV4_BASE) >> BigInt(32 - bits) === (a - IPV4_BASE) >> BigInt(32 - bits);
      assert.equal(r.first <= o && o <= r.last, inside);
    }),
  );
  fc.assert(
    fc.property(fc.ipV6(), fc.integer({ min: 0, max: 128 }), (net, bits) => {
      const r = readRange(`${net}/${bits}`);
      const a = readIp(net);
      if (!a || a.family === 4) return; // an IPv4-mapped address reads as IPv4
      assert.ok(r && r.first <= a.num && a.num <= r.last);
      assert.equal(r.last - r.first + 1n, 1n << BigInt(128 - bits));
    }),
  );
});
