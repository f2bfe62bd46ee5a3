/**
 * Console sessions. The browser holds a random 256-bit token in a Secure, HttpOnly,
 * SameSite=Strict cookie; the store holds only its SHA-256. A session ends after IDLE_MINUTES
 * without a request, after ABSOLUTE_HOURS in any case, or at logout. Each session has its own
 * CSRF secret.
 */
import crypto from 'node:crypto';
import type { OpsQuery } from '../ops/db.ts';
import type { User } from './roles.ts';

export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 12;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface Session {
  user: User;
  csrfSecret: string;
}

export async function createSession(
  db: OpsQuery,
  user: User,
  now: Date,
): Promise<{ token: string; csrfSecret: string }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfSecret = crypto.randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $4, $5)`,
    [
      sha256(token),
      user.id,
      csrfSecret,
      now.toISOString(),
      new Date(now.getTime() + ABSOLUTE_HOURS * 3600_000).toISOString(),
    ],
  );
  return { token, csrfSecret };
}

/** The live session of a token (and its idle clock restarted), or null. */
export async function findSession(db: OpsQuery, token: string, now: Date): Promise<Session | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const rows = await db.query<{
    id: string;
    name: string;
    role: User['role'];
    country: string | null;
    csrf_secret: string;
  }>(
    `UPDATE sessions s SET last_seen_at = $2
       FROM users u
      WHERE s.token_hash = $1 AND u.id = s.user_id AND s.ended_at IS NULL AND u.disabled_at IS NULL
        AND s.expires_at > $2 AND s.last_seen_at > $3
      RETURNING u.id::text AS id, u.name, u.role, u.country, s.csrf_secret`,
    [
      sha256(token),
      now.toISOString(),
      new Date(now.getTime() - IDLE_MINUTES * 60_000).toISOString(),
    ],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    user: { id: Number(r.id), name: r.name, role: r.role, country: r.country },
    csrfSecret: r.csrf_secret,
  };
}

export async function endSession(db: OpsQuery, token: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL', [
    sha256(token),
    now.toISOString(),
  ]);
}
