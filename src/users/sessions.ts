/**
 * Console sessions. The browser holds a random 256-bit token in a Secure, HttpOnly,
 * SameSite=Strict cookie; the store holds only its SHA-256. A session ends after IDLE_MINUTES
 * without a request, after ABSOLUTE_HOURS in any case, or at logout. (CSRF tokens are bound to
 * the signed-in user: console/server.ts.)
 */
import crypto from 'node:crypto';
import type { OpsQuery } from '../ops/db.ts';
import type { User } from './roles.ts';
import { sha256 } from './users.ts';

export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 12;

export interface Session {
  user: User;
}

export async function createSession(
  db: OpsQuery,
  user: User,
  now: Date,
): Promise<{ token: string }> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $3, $4)`,
    [
      sha256(token),
      user.id,
      now.toISOString(),
      new Date(now.getTime() + ABSOLUTE_HOURS * 3600_000).toISOString(),
    ],
  );
  return { token };
}

/** The live session of a token (and its idle clock restarted), or null. */
export async function findSession(db: OpsQuery, token: string, now: Date): Promise<Session | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const rows = await db.query<{
    id: string;
    name: string;
    role: User['role'];
    country: string | null;
  }>(
    `UPDATE sessions s SET last_seen_at = $2
       FROM users u
      WHERE s.token_hash = $1 AND u.id = s.user_id AND s.ended_at IS NULL AND u.disabled_at IS NULL
        AND s.expires_at > $2 AND s.last_seen_at > $3
      RETURNING u.id::text AS id, u.name, u.role, u.country`,
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
  };
}

export async function endSession(db: OpsQuery, token: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL', [
    sha256(token),
    now.toISOString(),
  ]);
}
