/**
 * Guessing defences of the portal (DESIGN §6: attempts are rate-limited and never reveal
 * whether a code exists). Every failed code check or sign-in counts against two keys: the
 * client's address and the code typed (both as keyed hashes, never as they are). After a few
 * free failures each further one doubles the wait before that key may try again, up to an hour.
 * A key's wait is the same whatever was wrong (unknown code, wrong digits, malformed code).
 *
 * Guessing across many codes (distinct codes failing within an hour past `alarm_codes`) raises
 * an alarm the console shows until a supervisor acknowledges it.
 */
import crypto from 'node:crypto';
import type { OpsDb } from '../ops/db.ts';
import { recordAuditIn } from '../audit/audit.ts';
import { normalise } from '../shared/crockford.ts';

/** Free failures before waits start: an address may be shared (a care home, a library). */
export const FREE_FAILURES = { address: 10, code: 5 } as const;
export const MAX_WAIT_SECONDS = 3600;

export interface GuardKeys {
  address: string;
  code: string;
}

/** The keys an attempt counts against: keyed hashes of the address and of the typed code. */
export function guardKeys(secret: Buffer, address: string, typedCode: string): GuardKeys {
  const mac = (s: string) => crypto.createHmac('sha256', secret).update(s).digest('base64url');
  return {
    address: `a:${mac(`addr:${address}`)}`,
    code: `c:${mac(`code:${normalise(typedCode)}`)}`,
  };
}

/** Seconds before the `n`th failure's key may try again. */
export function waitAfter(kind: keyof typeof FREE_FAILURES, failures: number): number {
  const over = failures - FREE_FAILURES[kind];
  return over <= 0 ? 0 : Math.min(2 ** over, MAX_WAIT_SECONDS);
}

/**
 * Counts one failure against both keys (their waits grow) and raises the guessing alarm when
 * too many distinct codes failed within the last hour. The same writes whatever was wrong.
 */
export async function countFailure(
  db: OpsDb,
  keys: GuardKeys,
  now: Date,
  alarmCodes: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [kind, key] of [
      ['address', keys.address],
      ['code', keys.code],
    ] as const) {
      const [row] = await tx.query<{ failures: number }>(
        `INSERT INTO portal_attempts (key, failures, last_at, blocked_until)
         VALUES ($1, 1, $2, $2)
         ON CONFLICT (key) DO UPDATE SET failures = portal_attempts.failures + 1, last_at = $2
         RETURNING failures`,
        [key, now.toISOString()],
      );
      const wait = waitAfter(kind, row?.failures ?? 1);
      if (wait > 0)
        await tx.query('UPDATE portal_attempts SET blocked_until = $2 WHERE key = $1', [
          key,
          new Date(now.getTime() + wait * 1000).toISOString(),
        ]);
    }
    const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
    const [seen] = await tx.query<{ codes: number; addresses: number; raised: number }>(
      `SELECT count(*) FILTER (WHERE key LIKE 'c:%')::int AS codes,
              count(*) FILTER (WHERE key LIKE 'a:%')::int AS addresses,
              (SELECT count(*)::int FROM portal_alarms WHERE raised_at > $1 AND acknowledged_at IS NULL) AS raised
         FROM portal_attempts WHERE last_at > $1`,
      [hourAgo],
    );
    if (seen && seen.codes >= alarmCodes && seen.raised === 0) {
      const [alarm] = await tx.query<{ id: string }>(
        `INSERT INTO portal_alarms (raised_at, codes, addresses) VALUES ($1, $2, $3) RETURNING id::text AS id`,
        [now.toISOString(), seen.codes, seen.addresses],
      );
      await recordAuditIn(
        tx,
        {
          actor: 'portal',
          action: 'portal_guessing',
          target: `alarm:${alarm?.id}`,
          detail: { codes: seen.codes, addresses: seen.addresses },
        },
        now,
      );
    }
  });
}

/** A success forgives the code's failures (not the address's: a guesser may own one real code). */
export async function forgiveCode(db: OpsDb, keys: GuardKeys): Promise<void> {
  await db.query('DELETE FROM portal_attempts WHERE key = $1', [keys.code]);
}

/** Forgets keys quiet for a day. */
export async function forgetQuiet(db: OpsDb, now: Date): Promise<void> {
  await db.query('DELETE FROM portal_attempts WHERE last_at < $1 AND blocked_until < $2', [
    new Date(now.getTime() - 86_400_000).toISOString(),
    now.toISOString(),
  ]);
}

export interface Alarm {
  id: number;
  raisedAt: string;
  codes: number;
  addresses: number;
}

export async function openAlarms(db: OpsDb): Promise<Alarm[]> {
  const rows = await db.query<{
    id: string;
    raised_at: string | Date;
    codes: number;
    addresses: number;
  }>(
    `SELECT id::text AS id, raised_at, codes, addresses FROM portal_alarms
      WHERE acknowledged_at IS NULL ORDER BY id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    raisedAt: new Date(r.raised_at).toISOString(),
    codes: r.codes,
    addresses: r.addresses,
  }));
}
