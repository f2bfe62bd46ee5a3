/**
 * Guessing defences of the portal (docs/portal.md, "Security":
 * attempts are rate-limited and never reveal
 * whether a code exists). Every failed code check or sign-in counts against two keys: the
 * client's address and the code typed (both as keyed hashes, never as they are). After a few
 * free failures each further one doubles the wait before that key may try again, up to an hour
 * (decided and counted in one call of the database function `portal_attempt`). A key's wait is
 * the same whatever was wrong (unknown code, wrong digits, malformed code).
 *
 * Guessing across many codes (distinct codes failing within an hour past `alarm_codes`) raises
 * an alarm the console shows until a supervisor acknowledges it.
 */
import crypto from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { OpsDb } from '../ops/db.ts';
import { recordAuditIn } from '../audit/audit.ts';
import { normalise } from '../shared/crockford.ts';

/** Free failures before waits start (`portal_attempt` applies them): an address may be shared. */
export const FREE_FAILURES = { address: 10, code: 5 } as const;
/** The longest wait a key is given, in seconds. */
export const MAX_WAIT_SECONDS = 3600;

export interface GuardKeys {
  address: string;
  code: string;
}

/**
 * The part of a client's address the guard counts against: an IPv4 address (also when written
 * IPv4-mapped, `::ffff:a.b.c.d`) whole, and an IPv6 address by its /64 — one subscriber's
 * network, inside which a guesser could otherwise take a fresh address for every try.
 */
export function addressScope(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/64`).toString()}/64`;
}

/** The keys an attempt counts against: keyed hashes of the address and of the typed code. */
export function guardKeys(secret: Buffer, address: string, typedCode: string): GuardKeys {
  const mac = (s: string) => crypto.createHmac('sha256', secret).update(s).digest('base64url');
  return {
    address: `a:${mac(`addr:${addressScope(address)}`)}`,
    code: `c:${mac(`code:${normalise(typedCode)}`)}`,
  };
}

/**
 * After a failure: raises the guessing alarm when too many distinct codes failed within the
 * last hour and no alarm is open (one statement to look; a transaction only to raise).
 */
export async function raiseAlarmIfGuessing(
  db: OpsDb,
  now: Date,
  alarmCodes: number,
): Promise<void> {
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const seen = `SELECT count(*) FILTER (WHERE key LIKE 'c:%' AND failures > 0)::int AS codes,
                       count(*) FILTER (WHERE key LIKE 'a:%' AND failures > 0)::int AS addresses,
                       (SELECT count(*)::int FROM portal_alarms
                         WHERE raised_at > $1 AND acknowledged_at IS NULL) AS raised
                  FROM portal_attempts WHERE last_at > $1`;
  const [first] = await db.query<{ codes: number; raised: number }>(seen, [hourAgo]);
  if (!first || first.codes < alarmCodes || first.raised > 0) return;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ALARM_LOCK]);
    const [again] = await tx.query<{ codes: number; addresses: number; raised: number }>(seen, [
      hourAgo,
    ]);
    if (!again || again.codes < alarmCodes || again.raised > 0) return;
    const [alarm] = await tx.query<{ id: string }>(
      `INSERT INTO portal_alarms (raised_at, codes, addresses) VALUES ($1, $2, $3) RETURNING id::text AS id`,
      [now.toISOString(), again.codes, again.addresses],
    );
    await recordAuditIn(
      tx,
      {
        actor: 'portal',
        action: 'portal_guessing',
        target: `alarm:${alarm?.id}`,
        detail: { codes: again.codes, addresses: again.addresses },
      },
      now,
    );
  });
}

const ALARM_LOCK = 0x616c726d; // 'alrm'

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
