/**
 * Addresses placed by the offline databases and matched against the lists
 * (docs/ip-intelligence.md): IPv4, IPv6 and IPv4-mapped alike; private, reserved and invalid
 * addresses locate no one; VPN, hosting and Tor addresses are flagged and locate no one; the
 * databases' versions and build days are recorded; a list line with no address is quarantined.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { rows } from '../../test/analysis-case.ts';
import { withPeopleCase } from '../../test/people-case.ts';

const pc = withPeopleCase();

test('each address gets its country and network, or says why it locates no one', async () => {
  const r = await rows<Record<string, unknown>>(
    pc.caseDir,
    `SELECT ip, canonical, family, range, country, asn, org, lists, located FROM ip_intel ORDER BY ip`,
  );
  const by = Object.fromEntries(r.map((x) => [String(x.ip), x]));
  const pick = (ip: string) => {
    const x = by[ip]!;
    return [
      x.canonical,
      x.range,
      x.country,
      x.asn === null ? null : Number(x.asn),
      x.lists,
      x.located,
    ];
  };
  assert.deepEqual(pick('86.1.2.3'), ['86.1.2.3', 'unicast', 'GB', 5089, null, true]);
  assert.deepEqual(pick('2a02:c7f:1234::1'), [
    '2a02:c7f:1234::1',
    'unicast',
    'GB',
    5607,
    null,
    true,
  ]);
  assert.deepEqual(pick('[2A02:C7F:1234:0:0:0:0:1]:443'), pick('2a02:c7f:1234::1'));
  assert.deepEqual(pick('::ffff:82.76.1.1'), ['82.76.1.1', 'unicast', 'RO', 8708, null, true]);
  assert.deepEqual(pick('5.2.64.1'), ['5.2.64.1', 'unicast', 'NL', 60404, 'vpn', false]);
  assert.deepEqual(pick('51.140.0.10'), ['51.140.0.10', 'unicast', 'GB', 8075, 'hosting', false]);
  assert.deepEqual(pick('185.220.101.1'), ['185.220.101.1', 'unicast', 'DE', 60729, 'tor', false]);
  assert.deepEqual(pick('10.0.0.1'), ['10.0.0.1', 'private', null, null, null, false]);
  assert.deepEqual(pick('1.2.3'), [null, 'invalid', null, null, null, false]);
  assert.equal(by['86.1.2.3']?.org, 'Virgin Media Limited');
});

test('the databases used are recorded with the analysis, with the day they were built', async () => {
  const [m] = await rows<{ value: string }>(
    pc.caseDir,
    `SELECT value FROM case_meta WHERE key = 'analysis'`,
  );
  const dbs = (JSON.parse(m!.value) as { ip_databases: Array<{ package: string; built: string }> })
    .ip_databases;
  assert.deepEqual(
    dbs.map((d) => [d.package, d.built]),
    [
      ['@ip-location-db/geo-whois-asn-country', '2026-06-17'],
      ['@ip-location-db/asn', '2026-06-17'],
    ],
  );
});

test('a list line with no address is quarantined with its line; the list is a file of the case', async () => {
  const q = await rows<{ name: string; format: string; line: bigint; reason: string; raw: string }>(
    pc.caseDir,
    `SELECT f.name, f.format, q.line, q.reason, q.raw FROM quarantine q JOIN files f USING (file_id)
     WHERE f.kind = 'ip_list'`,
  );
  assert.deepEqual(
    q.map((x) => [x.name, x.format, Number(x.line), x.reason, x.raw]),
    [['vpn.txt', 'vpn', 3, 'bad_value', 'not an address']],
  );
  const [n] = await rows<{ n: bigint }>(pc.caseDir, `SELECT count(*) AS n FROM ip_lists`);
  assert.equal(Number(n?.n), 4);
});
