import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIONS, can, demand, maskNumber, maskNumbersIn, scope } from './policy.ts';
import type { Role } from '../users/roles.ts';

test('each role may do exactly what the policy says, and nothing else', () => {
  const allowed = (role: Role) => ACTIONS.filter((a) => can({ role }, a));
  assert.deepEqual(allowed('outreach'), [
    'overview:read',
    'victims:read',
    'victims:unmask',
    'case:read',
    'campaigns:read',
    'campaigns:draft',
    'campaigns:send',
  ]);
  // Only a supervisor approves a campaign (and never one they drafted: src/outreach/campaigns.ts).
  assert.deepEqual(
    (['analyst', 'outreach', 'supervisor', 'partner', 'admin'] as const).filter((r) =>
      can({ role: r }, 'campaigns:approve'),
    ),
    ['supervisor'],
  );
  assert.ok(!can({ role: 'partner' }, 'campaigns:read'));
  // Victims' reports: analysts and supervisors; only a supervisor acknowledges a guessing alarm.
  const who = (a: 'reports:read' | 'portal:alarms') =>
    (['analyst', 'outreach', 'supervisor', 'partner', 'admin'] as const).filter((r) =>
      can({ role: r }, a),
    );
  assert.deepEqual(who('reports:read'), ['analyst', 'supervisor']);
  // Confirming a victim's number reading: analysts and supervisors, never a partner.
  assert.deepEqual(
    (['analyst', 'outreach', 'supervisor', 'partner', 'admin'] as const).filter((r) =>
      can({ role: r }, 'victims:confirm'),
    ),
    ['analyst', 'supervisor'],
  );
  assert.deepEqual(who('portal:alarms'), ['supervisor']);
  assert.deepEqual(allowed('partner'), [
    'victims:read',
    'suspects:read',
    'case:read',
    'packages:read',
  ]);
  assert.deepEqual(allowed('admin'), [
    'case:read',
    'audit:read',
    'users:manage',
    'partners:manage',
  ]);
  // Evidence packages: asked for by analysts and supervisors, approved only by a supervisor
  // (never the one who asked: src/package/requests.ts); the registry is the admin's.
  const of = (a: 'packages:request' | 'packages:approve' | 'partners:manage') =>
    (['analyst', 'outreach', 'supervisor', 'partner', 'admin'] as const).filter((r) =>
      can({ role: r }, a),
    );
  assert.deepEqual(of('packages:request'), ['analyst', 'supervisor']);
  assert.deepEqual(of('packages:approve'), ['supervisor']);
  assert.deepEqual(of('partners:manage'), ['admin']);
  assert.ok(!can({ role: 'analyst' }, 'audit:read'));
  assert.ok(can({ role: 'supervisor' }, 'audit:read'));
  // Outreach never sees suspect intelligence; a partner never unmasks; an admin sees no victim.
  for (const a of ['suspects:read', 'crews:read'] as const)
    assert.ok(!can({ role: 'outreach' }, a));
  assert.ok(!can({ role: 'partner' }, 'victims:unmask'));
  assert.ok(!can({ role: 'admin' }, 'victims:read'));
  assert.throws(() => demand({ role: 'outreach' }, 'suspects:read'), { code: 'FORBIDDEN' });
});

test('a partner is scoped to its country; every other role to none', () => {
  assert.equal(scope({ role: 'partner', country: 'NL' }), 'NL');
  assert.equal(scope({ role: 'analyst', country: null }), null);
});

test('masked numbers keep the country code, five leading and two trailing digits', () => {
  assert.equal(maskNumber('+447700900123'), '+44 7700 9•• •23');
  assert.equal(maskNumber('+12025550123'), '+1 2025 5•• •23');
  assert.equal(maskNumber('+31201234567'), '+31 2012 3•• 67');
  // Short numbers still hide at least two digits.
  assert.equal(maskNumber('+35312345'), '+353 1••4 5');
});

test('seized text shown in the console has its phone numbers masked, whatever their format', () => {
  assert.equal(
    maskNumbersIn(
      'c3,u2,anonymous,07400 2OO001,out-gb,2021-03-01T10:01:00Z,+44 (0)7700 900123,120',
    ),
    'c3,u2,anonymous,07400 2OO001,out-gb,2021-03-01T10:01:00Z,+44 (0)•••• ••••23,120',
  );
  assert.equal(maskNumbersIn('+12125550100'), '+121••••••00');
  assert.equal(maskNumbersIn('billsec 120, c000001385'), 'billsec 120, c000••••85');
});
