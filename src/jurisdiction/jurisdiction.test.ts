/**
 * Where each suspect is (docs/jurisdiction.md): logins from located addresses outweigh a
 * declared country and a phone, and the disagreement is shown; VPN, hosting and Tor logins
 * count for nothing, so the declared country and phone decide, and say how weak that is.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { rows } from '../../test/analysis-case.ts';
import { withPeopleCase } from '../../test/people-case.ts';

const pc = withPeopleCase();

test('each suspect is placed by its evidence, with a confidence and what disagrees', async () => {
  const r = await rows<Record<string, unknown>>(
    pc.caseDir,
    `SELECT account_id, jurisdiction, jurisdiction_strength, jurisdiction_confidence,
       jurisdiction_basis, disagreements FROM jurisdiction ORDER BY account_id`,
  );
  const by = Object.fromEntries(
    r.map((x) => [
      String(x.account_id),
      [
        x.jurisdiction,
        x.jurisdiction_strength,
        Number(x.jurisdiction_confidence),
        x.jurisdiction_basis,
        x.disagreements,
      ],
    ]),
  );
  assert.deepEqual(by, {
    // Three days from British addresses (one IPv6), a British phone, declared GB.
    g1: ['GB', 'strong', 1, 'declared+login_ip+phone', null],
    g2: ['GB', 'medium', 1, 'declared+payment_ip', null],
    g3: ['GB', 'weak', 1, 'declared', null],
    // Declared GB with a British phone, but every login from Romania (and paid from there).
    r1: ['RO', 'strong', 0.71, 'login_ip+payment_ip', 'GB (declared+phone)'],
    // Only a VPN exit: the phone and the declaration, nothing stronger.
    u1: ['GB', 'medium', 1, 'declared+phone', null],
    // A server, a Tor exit, a private address and a typo: only the declaration.
    h1: ['US', 'weak', 1, 'declared', null],
  });
});

test('suspects carry where they are; the priority rule follows it, not the declaration', async () => {
  const r = await rows<{
    account_id: string;
    country: string;
    jurisdiction: string;
    priority: string;
  }>(
    pc.caseDir,
    `SELECT account_id, country, jurisdiction, priority FROM suspects WHERE account_id = 'r1'`,
  );
  assert.deepEqual(r, [{ account_id: 'r1', country: 'GB', jurisdiction: 'RO', priority: '' }]);
});
