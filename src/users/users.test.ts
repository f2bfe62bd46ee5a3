import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import { listAudit } from '../audit/audit.ts';
import { findSession, createSession, endSession, IDLE_MINUTES } from './sessions.ts';
import {
  addUser,
  checkLogin,
  confirmTotp,
  disableUser,
  MAX_FAILED_LOGINS,
  startEnrolment,
  totp,
} from './users.ts';

const t0 = new Date('2026-03-01T09:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const PASSWORD = 'correct horse battery staple';

for (const backend of backends) {
  test(`${backend.name}: a user is added, enrols with password and TOTP, and logs in`, async () => {
    const { db, drop } = await backend.open();
    try {
      const { enrolmentSecret } = await addUser(
        db,
        { name: 'ana', role: 'analyst' },
        'cli:root',
        t0,
      );
      assert.match(enrolmentSecret, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
      await assert.rejects(addUser(db, { name: 'ana', role: 'admin' }, 'cli:root', t0), {
        code: 'USER_EXISTS',
      });
      await assert.rejects(addUser(db, { name: 'p', role: 'partner' }, 'cli:root', t0), {
        code: 'USAGE',
      });
      await assert.rejects(
        addUser(db, { name: 'nl', role: 'analyst', country: 'NL' }, 'cli:root', t0),
        { code: 'USAGE' },
      );

      await assert.rejects(
        startEnrolment(db, { name: 'ana', secret: enrolmentSecret, password: 'short' }, at(1)),
        { code: 'PASSWORD_WEAK' },
      );
      await assert.rejects(
        startEnrolment(
          db,
          { name: 'ana', secret: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', password: PASSWORD },
          at(1),
        ),
        { code: 'ENROLMENT_INVALID' },
      );
      // Typed in lower case with spaces: still the secret.
      const typed = enrolmentSecret.toLowerCase().replaceAll('-', ' ');
      const { totpSecret, totpUri } = await startEnrolment(
        db,
        { name: 'ana', secret: typed, password: PASSWORD },
        at(1),
      );
      assert.match(totpUri, /^otpauth:\/\/totp\/unspoof:ana\?/);
      const code = (when: Date) => totp('ana', totpSecret).generate({ timestamp: when.getTime() });

      // Not enrolled until a code proves the authenticator holds the secret.
      await assert.rejects(
        checkLogin(db, { name: 'ana', password: PASSWORD, code: code(at(2)) }, at(2)),
        { code: 'LOGIN_FAILED' },
      );
      await assert.rejects(
        confirmTotp(db, { name: 'ana', secret: enrolmentSecret, code: '000000' }, at(60)),
        { code: 'TOTP_INVALID' },
      );
      await confirmTotp(db, { name: 'ana', secret: enrolmentSecret, code: code(at(60)) }, at(60));
      // The enrolment secret is spent.
      await assert.rejects(
        startEnrolment(db, { name: 'ana', secret: enrolmentSecret, password: PASSWORD }, at(61)),
        { code: 'ENROLMENT_INVALID' },
      );

      const user = await checkLogin(
        db,
        { name: 'ana', password: PASSWORD, code: code(at(120)) },
        at(120),
        { ip: '127.0.0.1' },
      );
      assert.deepEqual({ ...user, id: 0 }, { id: 0, name: 'ana', role: 'analyst', country: null });
      // The same code twice is refused (replay).
      await assert.rejects(
        checkLogin(db, { name: 'ana', password: PASSWORD, code: code(at(120)) }, at(125)),
        { code: 'LOGIN_FAILED' },
      );

      const actions = (await listAudit(db)).map((r) => `${r.actor}:${r.action}`);
      assert.deepEqual(actions, [
        'cli:root:user_add',
        'ana:login_failed',
        'ana:enrol',
        'ana:login',
        'ana:login_failed',
      ]);
    } finally {
      await drop();
    }
  });

  test(`${backend.name}: every failed login looks the same, and repeated failures lock the account`, async () => {
    const { db, drop } = await backend.open();
    try {
      const { enrolmentSecret } = await addUser(
        db,
        { name: 'sup', role: 'supervisor' },
        'cli:root',
        t0,
      );
      const { totpSecret } = await startEnrolment(
        db,
        { name: 'sup', secret: enrolmentSecret, password: PASSWORD },
        t0,
      );
      const code = (when: Date) => totp('sup', totpSecret).generate({ timestamp: when.getTime() });
      await confirmTotp(db, { name: 'sup', secret: enrolmentSecret, code: code(t0) }, t0);

      const failures = [
        { name: 'nobody', password: PASSWORD, code: code(at(60)) },
        { name: 'sup', password: 'wrong password entirely', code: code(at(60)) },
        { name: 'sup', password: PASSWORD, code: '123456' },
      ];
      const messages = new Set<string>();
      for (const f of failures) {
        await checkLogin(db, f, at(60)).catch((e: Error & { code: string }) =>
          messages.add(`${e.code} ${e.message}`),
        );
      }
      assert.deepEqual(
        [...messages],
        ['LOGIN_FAILED the name, password or one-time code is wrong'],
      );

      for (let i = 2; i < MAX_FAILED_LOGINS; i++) {
        await assert.rejects(
          checkLogin(db, { name: 'sup', password: 'nope nope nope', code: '000000' }, at(61)),
        );
      }
      // Locked now: even the right password and code fail, with the same message.
      await assert.rejects(
        checkLogin(db, { name: 'sup', password: PASSWORD, code: code(at(90)) }, at(90)),
        { code: 'LOGIN_FAILED' },
      );
      // After the lock (15 minutes) it opens again, and the count starts again: one more
      // mistake does not lock it at once.
      await assert.rejects(
        checkLogin(
          db,
          { name: 'sup', password: 'still wrong, sorry', code: '000000' },
          at(17 * 60),
        ),
      );
      await checkLogin(
        db,
        { name: 'sup', password: PASSWORD, code: code(at(17 * 60 + 30)) },
        at(17 * 60 + 30),
      );
      // The same code sent twice at the same moment signs in once.
      const when = at(20 * 60);
      const both = await Promise.allSettled([
        checkLogin(db, { name: 'sup', password: PASSWORD, code: code(when) }, when),
        checkLogin(db, { name: 'sup', password: PASSWORD, code: code(when) }, when),
      ]);
      assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    } finally {
      await drop();
    }
  });

  test(`${backend.name}: sessions end when idle, at logout, and are known only by the token's hash`, async () => {
    const { db, drop } = await backend.open();
    try {
      const { user } = await addUser(
        db,
        { name: 'nl-police', role: 'partner', country: 'nl' },
        'cli:root',
        t0,
      );
      const { token } = await createSession(db, user, t0);
      const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
      assert.notEqual(stored[0]?.token_hash, token);

      const s = await findSession(db, token, at(60));
      assert.deepEqual(s?.user.country, 'NL');
      assert.equal(
        await findSession(db, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, at(61)),
        null,
      );
      // Each request restarts the idle clock; past it, the session is gone.
      assert.ok(await findSession(db, token, at(60 + (IDLE_MINUTES - 1) * 60)));
      assert.equal(await findSession(db, token, at(60 + 2 * IDLE_MINUTES * 60)), null);

      const again = await createSession(db, user, t0);
      await endSession(db, again.token, at(5));
      assert.equal(await findSession(db, again.token, at(6)), null);
      // Disabling a user ends its sessions at once.
      const live = await createSession(db, user, t0);
      await disableUser(db, 'nl-police', 'left the joint team', 'cli:root', at(10));
      assert.equal(await findSession(db, live.token, at(11)), null);
      assert.equal(await findSession(db, token, at(11)), null);
    } finally {
      await drop();
    }
  });
}
