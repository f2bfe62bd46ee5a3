/**
 * Users: added by an admin (or the CLI) with a one-time enrolment secret; the user then sets a
 * password (argon2id) and a TOTP second factor, and logs in with both. Every step is audited.
 * A failed login says only that it failed: never whether the name exists (a missing user costs
 * the same argon2 verification as a wrong password).
 */
import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import { recordAuditIn } from '../audit/audit.ts';
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import { encodeSymbols, group } from '../shared/crockford.ts';
import { Country, Role, UserName, type User } from './roles.ts';

export const ENROLMENT_HOURS = 72;
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
export const MIN_PASSWORD = 12;
const ISSUER = 'unspoof';

/** The SHA-256 of a secret, as stored in place of it (enrolment secrets, session tokens). */
export const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/** A secret a person can type: 125 random bits, Crockford base32, in groups of five. */
export function newEnrolmentSecret(): string {
  return group(encodeSymbols(crypto.randomBytes(25), 25), 5);
}

const normaliseSecret = (s: string) => s.toUpperCase().replace(/[^0-9A-Z]/g, '');

export async function addUser(
  db: OpsDb,
  input: { name: string; role: string; country?: string | undefined },
  actor: string,
  now: Date,
): Promise<{ user: User; enrolmentSecret: string; expiresAt: Date }> {
  const name = parse(UserName, input.name, 'USAGE');
  const role = parse(Role, input.role, 'USAGE');
  const country = input.country ? parse(Country, input.country.toUpperCase(), 'USAGE') : null;
  if ((role === 'partner') !== (country !== null)) {
    throw new UnspoofError(
      'USAGE',
      role === 'partner'
        ? 'a partner is scoped to one country: give --country CC'
        : `only a partner has a country; a ${role} sees every country`,
    );
  }
  const secret = newEnrolmentSecret();
  const expiresAt = new Date(now.getTime() + ENROLMENT_HOURS * 3600_000);
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO users (name, role, country, enrolment_hash, enrolment_expires_at, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING RETURNING id::text AS id`,
      [
        name,
        role,
        country,
        sha256(normaliseSecret(secret)),
        expiresAt.toISOString(),
        now.toISOString(),
        actor,
      ],
    );
    if (!rows[0]) throw new UnspoofError('USER_EXISTS', `a user named ${name} exists`);
    await recordAuditIn(
      tx,
      { actor, action: 'user_add', target: `user:${name}`, detail: { role, country } },
      now,
    );
    return {
      user: { id: Number(rows[0].id), name, role, country },
      enrolmentSecret: secret,
      expiresAt,
    };
  });
}

/**
 * First step of enrolment: the one-time secret and a new password. Returns the TOTP secret and
 * its `otpauth://` URI (shown as a QR code); the user is enrolled once `confirmTotp` sees a code.
 */
export async function startEnrolment(
  db: OpsDb,
  input: { name: string; secret: string; password: string },
  now: Date,
): Promise<{ totpSecret: string; totpUri: string }> {
  checkPassword(input.password, input.name);
  const passwordHash = await argonHash(input.password);
  const totpSecret = new Secret({ size: 20 }).base32;
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `UPDATE users SET password_hash = $3, totp_secret = $4, enrolled_at = NULL
        WHERE name = $1 AND enrolment_hash = $2 AND enrolment_expires_at > $5 AND disabled_at IS NULL
        RETURNING id::text AS id`,
      [
        input.name,
        sha256(normaliseSecret(input.secret)),
        passwordHash,
        totpSecret,
        now.toISOString(),
      ],
    );
    if (!rows[0]) {
      throw new UnspoofError(
        'ENROLMENT_INVALID',
        'the enrolment secret is wrong, used or expired: ask an admin for a new one',
      );
    }
    return { totpSecret, totpUri: totp(input.name, totpSecret).toString() };
  });
}

/** Second step: a code from the authenticator proves the TOTP secret was taken. */
export async function confirmTotp(
  db: OpsDb,
  input: { name: string; secret: string; code: string },
  now: Date,
): Promise<User> {
  return db.transaction(async (tx) => {
    const [u] = await tx.query<UserRow>(
      `SELECT ${USER_COLS} FROM users
        WHERE name = $1 AND enrolment_hash = $2 AND enrolment_expires_at > $3 AND totp_secret IS NOT NULL
          AND disabled_at IS NULL
        FOR UPDATE`,
      [input.name, sha256(normaliseSecret(input.secret)), now.toISOString()],
    );
    if (!u)
      throw new UnspoofError('ENROLMENT_INVALID', 'the enrolment secret is wrong, used or expired');
    const step = totpStep(u, input.code, now);
    if (step === null)
      throw new UnspoofError(
        'TOTP_INVALID',
        'the one-time code is wrong: check the authenticator’s clock',
      );
    await tx.query(
      `UPDATE users SET enrolled_at = $2, enrolment_hash = NULL, enrolment_expires_at = NULL, totp_last_step = $3 WHERE id = $1`,
      [u.id, now.toISOString(), step],
    );
    await recordAuditIn(tx, { actor: u.name, action: 'enrol', target: `user:${u.name}` }, now);
    return toUser(u);
  });
}

/**
 * Checks a name, password and one-time code. Every failure is the same LOGIN_FAILED; after
 * MAX_FAILED_LOGINS failures the account is locked for LOCK_MINUTES (and says the same).
 */
export async function checkLogin(
  db: OpsDb,
  input: { name: string; password: string; code: string },
  now: Date,
  meta: { ip?: string } = {},
): Promise<User> {
  const [u] = await db.query<UserRow>(`SELECT ${USER_COLS} FROM users WHERE name = $1`, [
    input.name,
  ]);
  const usable = u && u.enrolled_at && !u.disabled_at && u.password_hash && u.totp_secret;
  // The same argon2 work whether or not the user exists: the timing tells nothing.
  const passwordOk = await argonVerify(
    usable ? (u.password_hash as string) : await dummyHash(),
    input.password,
  ).catch(() => false);
  const locked = usable && u.locked_until && new Date(u.locked_until) > now;
  const step = usable && passwordOk && !locked ? totpStep(u, input.code, now) : null;
  const ok = usable && passwordOk && !locked && step !== null;
  return db
    .transaction(async (tx) => {
      if (ok) {
        // The code is taken atomically: the same code sent twice at once logs in only once.
        const taken = await tx.query(
          `UPDATE users SET failed_logins = 0, locked_until = NULL, totp_last_step = $2
            WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)
              AND (locked_until IS NULL OR locked_until <= $3)
           RETURNING id`,
          [u.id, step, now.toISOString()],
        );
        if (taken.length > 0) {
          await recordAuditIn(
            tx,
            { actor: u.name, action: 'login', detail: meta.ip ? { ip: meta.ip } : {} },
            now,
          );
          return toUser(u);
        }
      }
      if (u) {
        // A lock that has run out starts the count again.
        await tx.query(
          `UPDATE users SET
             failed_logins = CASE WHEN locked_until <= $4 THEN 1 ELSE failed_logins + 1 END,
             locked_until = CASE
               WHEN (CASE WHEN locked_until <= $4 THEN 1 ELSE failed_logins + 1 END) >= $2 THEN $3::timestamptz
               WHEN locked_until <= $4 THEN NULL
               ELSE locked_until END
           WHERE id = $1`,
          [
            u.id,
            MAX_FAILED_LOGINS,
            new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString(),
            now.toISOString(),
          ],
        );
      }
      await recordAuditIn(
        tx,
        {
          actor: u ? u.name : 'anonymous',
          action: 'login_failed',
          detail: { ...(meta.ip ? { ip: meta.ip } : {}), ...(locked ? { locked: true } : {}) },
        },
        now,
      );
      return null;
    })
    .then((user) => {
      if (!user)
        throw new UnspoofError('LOGIN_FAILED', 'the name, password or one-time code is wrong');
      return user;
    });
}

export async function listUsers(
  db: OpsQuery,
): Promise<Array<User & { enrolled: boolean; disabled: boolean }>> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY name`);
  return rows.map((r) => ({
    ...toUser(r),
    enrolled: r.enrolled_at !== null,
    disabled: r.disabled_at !== null,
  }));
}

/**
 * Takes a user's access away at once: sign-in, enrolment and every open session stop (a
 * console process notices within its session cache's few seconds). Audited with the reason.
 */
export async function disableUser(
  db: OpsDb,
  name: string,
  reason: string,
  actor: string,
  now: Date,
): Promise<void> {
  if (reason.trim().length < 5) {
    throw new UnspoofError(
      'REASON_REQUIRED',
      'say why the user is disabled (--reason), for the audit log',
    );
  }
  await db.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE users SET disabled_at = $2, enrolment_hash = NULL WHERE name = $1 AND disabled_at IS NULL RETURNING id`,
      [name, now.toISOString()],
    );
    if (rows.length === 0) throw new UnspoofError('USER_NOT_FOUND', `no active user named ${name}`);
    await tx.query(
      'UPDATE sessions SET ended_at = $2 WHERE user_id = (SELECT id FROM users WHERE name = $1) AND ended_at IS NULL',
      [name, now.toISOString()],
    );
    await recordAuditIn(
      tx,
      { actor, action: 'user_disable', target: `user:${name}`, reason: reason.trim() },
      now,
    );
  });
}

export function totp(name: string, secret: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: name,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret,
  });
}

/** The time step a code belongs to (±1 step of drift), or null; a step already used is refused. */
function totpStep(u: UserRow, code: string, now: Date): number | null {
  if (!u.totp_secret || !/^\d{6}$/.test(code.trim())) return null;
  const t = totp(u.name, u.totp_secret);
  const delta = t.validate({ token: code.trim(), timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 30_000) + delta;
  if (u.totp_last_step !== null && step <= Number(u.totp_last_step)) return null;
  return step;
}

function checkPassword(password: string, name: string): void {
  const lower = password.toLowerCase();
  if (password.length < MIN_PASSWORD) {
    throw new UnspoofError('PASSWORD_WEAK', `a password has at least ${MIN_PASSWORD} characters`);
  }
  if (
    lower.includes(name.toLowerCase()) ||
    COMMON.some((c) => lower.includes(c)) ||
    new Set(password).size < 5
  ) {
    throw new UnspoofError(
      'PASSWORD_WEAK',
      'the password is too easy to guess: use a passphrase of several unrelated words',
    );
  }
}

const COMMON = [
  'password',
  'passw0rd',
  '123456',
  'qwerty',
  'letmein',
  'welcome',
  'unspoof',
  'admin',
];

// A real argon2id hash of a random string, verified when the user does not exist.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= argonHash(crypto.randomBytes(16).toString('hex')));

const USER_COLS = `id::text AS id, name, role, country, password_hash, totp_secret, totp_last_step::text AS totp_last_step,
  enrolled_at, disabled_at, locked_until`;

interface UserRow {
  id: string;
  name: string;
  role: Role;
  country: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: string | null;
  enrolled_at: Date | null;
  disabled_at: Date | null;
  locked_until: Date | null;
}

function toUser(r: UserRow): User {
  return { id: Number(r.id), name: r.name, role: r.role, country: r.country };
}

function parse<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ message: string }> } };
  },
  v: unknown,
  code: 'USAGE',
): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new UnspoofError(code, r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}
