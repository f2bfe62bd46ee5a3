/**
 * The provider worklist (docs/requests.md): per provider, what to ask about each suspect's
 * identifiers, grouped by where the evidence places the user; exported per country as CSV.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { memoryEffects } from '../shared/effects.ts';
import { rows } from '../../test/analysis-case.ts';
import { withPeopleCase, W } from '../../test/people-case.ts';
import { requestsCommand } from './command.ts';

const pc = withPeopleCase();

test('each provider gets the identifiers to ask about, with the accounts and why', async () => {
  const r = await rows<Record<string, string>>(
    pc.caseDir,
    `SELECT country, provider_type, provider, identifier_type, identifier, accounts
     FROM provider_requests ORDER BY ALL`,
  );
  const has = (row: string[]) =>
    assert.ok(
      r.some((x) => JSON.stringify(Object.values(x)) === JSON.stringify(row)),
      `${row.join(', ')} in\n${r.map((x) => Object.values(x).join(', ')).join('\n')}`,
    );
  has(['GB', 'email', 'Google LLC', 'email', 'g1@gmail.com', 'g1']);
  has(['GB', 'messaging', 'Telegram', 'telegram', '@gone', 'g1']);
  has(['GB', 'phone', 'mobile operator in GB', 'phone', '+447400100001', 'g1']);
  has(['GB', 'isp', 'Virgin Media Limited (AS5089)', 'ip', '86.1.2.3', 'g1;g2']);
  has(['GB', 'isp', 'Sky UK Limited (AS5607)', 'ip', '2a02:c7f:1234::1', 'g1']);
  has(['GB', 'vpn', 'The Infrastructure Group B.V. (AS60404)', 'ip', '5.2.64.1', 'u1']);
  has(['GB', 'payment_processor', 'Stripe', 'payment', 'p6', 'g2']);
  has(['RO', 'payment_processor', 'PayPal', 'payment', 'p2', 'r1']);
  has(['RO', 'isp', 'DIGI ROMANIA S.A. (AS8708)', 'ip', '82.76.1.1', 'r1']);
  has(['US', 'hosting', 'Microsoft Corporation (AS8075)', 'ip', '51.140.0.10', 'h1']);
  const wallet = [W.g1a, W.g1b, W.g3a].sort()[0]!;
  has(['GB', 'exchange', 'Kraken', 'wallet', wallet, 'g1;g3']);
  // A Tor exit has no one to ask; a private address is no one's.
  assert.ok(!r.some((x) => x.identifier === '185.220.101.1' || x.identifier === '10.0.0.1'));
});

test('requests are exported per country as CSV', async () => {
  const out = path.join(pc.inputDir, 'requests-ro.csv');
  const fx = memoryEffects();
  await requestsCommand({ case: pc.caseDir, out, country: 'ro' }, fx);
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(
    lines[0],
    'country,provider_type,provider,identifier_type,identifier,accounts,first_seen,last_seen,reason',
  );
  assert.ok(lines.length > 1);
  assert.ok(lines.slice(1).every((l) => l.startsWith('RO,')));
  assert.match(fx.lines.at(-1) ?? '', /requests to providers written to/);
});
