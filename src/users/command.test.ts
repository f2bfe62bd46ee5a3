import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysedCase } from '../../test/analysis-case.ts';
import { auditCommand } from '../audit/command.ts';
import { memoryEffects } from '../shared/effects.ts';
import { userAddCommand, userDisableCommand, userListCommand } from './command.ts';

test('user add prints a one-time enrolment secret; user list and audit read them back', async () => {
  const { caseDir } = await analysedCase();
  const fx = memoryEffects(new Date('2026-03-01T09:00:00Z'));
  await userAddCommand(
    'nl-liaison',
    { case: caseDir, role: 'partner', country: 'nl', json: true },
    fx,
  );
  const added = JSON.parse(fx.lines.at(-1) as string) as Record<string, string>;
  assert.equal(added.name, 'nl-liaison');
  assert.equal(added.country, 'NL');
  assert.match(added.enrolment_secret as string, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  assert.equal(added.expires_at, '2026-03-04T09:00:00.000Z');

  await assert.rejects(userAddCommand('nl-liaison', { case: caseDir, role: 'analyst' }, fx), {
    code: 'USER_EXISTS',
  });
  await userListCommand({ case: caseDir, json: true }, fx);
  assert.deepEqual(JSON.parse(fx.lines.at(-1) as string), [
    { id: 1, name: 'nl-liaison', role: 'partner', country: 'NL', enrolled: false, disabled: false },
  ]);

  await auditCommand({ case: caseDir, json: true }, fx);
  const audit = JSON.parse(fx.lines.at(-1) as string) as Array<Record<string, unknown>>;
  assert.deepEqual(
    audit.map((r) => [r.action, r.target, r.at]),
    [['user_add', 'user:nl-liaison', '2026-03-01T09:00:00.000Z']],
  );
  await auditCommand({ case: caseDir, since: '2026-03-02', json: true }, fx);
  assert.deepEqual(JSON.parse(fx.lines.at(-1) as string), []);
  await auditCommand({ case: caseDir, verify: true, json: true }, fx);
  assert.deepEqual(JSON.parse(fx.lines.at(-1) as string), { verified: 1 });
  await assert.rejects(auditCommand({ case: caseDir, since: 'last week' }, fx), { code: 'USAGE' });

  await assert.rejects(userDisableCommand('nl-liaison', { case: caseDir, reason: '' }, fx), {
    code: 'REASON_REQUIRED',
  });
  await userDisableCommand('nl-liaison', { case: caseDir, reason: 'left the joint team' }, fx);
  await assert.rejects(
    userDisableCommand('nl-liaison', { case: caseDir, reason: 'again, twice' }, fx),
    {
      code: 'USER_NOT_FOUND',
    },
  );
  await userListCommand({ case: caseDir, json: true }, fx);
  assert.equal(
    (JSON.parse(fx.lines.at(-1) as string) as Array<{ disabled: boolean }>)[0]?.disabled,
    true,
  );
});
