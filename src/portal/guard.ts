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
 * an alarm the console shows until a supervisor acknowledges it; so does one real code failing
 * past its free failures (someone holding a victim's code, who could hold the victim up).
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

/** A failed attempt, as the alarms read it: the code's guard key, and its message if it is real. */
export interface Failure {
  codeKey: string;
  messageId: number | null;
}

/**
 * After a failure, one statement looks at what the alarms need (the same work whether the code
 * was real or not, so that its time tells nothing), and a transaction raises an alarm only
 * when one is due:
 * - guessing: too many distinct codes failed within the last hour, and no such alarm is open;
 * - a victim's code: a real code has failed past its free failures (it now waits, for the victim
 *   too, unless their browser holds its device token), and no alarm for it is open.
 */
export async function raiseAlarms(
  db: OpsDb,
  now: Date,
  alarmCodes: number,
  failure: Failure,
): Promise<void> {
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const seen = `SELECT count(*) FILTER (WHERE key LIKE 'c:%' AND failures > 0)::int AS codes,
                       count(*) FILTER (WHERE key LIKE 'a:%' AND failures > 0)::int AS addresses,
                       (SELECT count(*)::int FROM portal_alarms
                         WHERE raised_at > $1 AND acknowledged_at IS NULL
                           AND code_key IS NULL) AS raised,
                       (SELECT failures FROM portal_attempts WHERE key = $2) AS code_failures,
                       EXISTS (SELECT 1 FROM portal_alarms
                                WHERE code_key = $2 AND acknowledged_at IS NULL) AS code_raised
                  FROM portal_attempts WHERE last_at > $1`;
  interface Seen {
    codes: number;
    addresses: number;
    raised: number;
    code_failures: number | null;
    code_raised: boolean;
  }
  const guessing = (s: Seen | undefined) => !!s && s.codes >= alarmCodes && s.raised === 0;
  const codeDue = (s: Seen | undefined) =>
    !!s &&
    failure.messageId !== null &&
    (s.code_failures ?? 0) > FREE_FAILURES.code &&
    !s.code_raised;
  const [first] = await db.query<Seen>(seen, [hourAgo, failure.codeKey]);
  if (!guessing(first) && !codeDue(first)) return;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ALARM_LOCK]);
    const [again] = await tx.query<Seen>(seen, [hourAgo, failure.codeKey]);
    if (!again) return;
    if (guessing(again)) {
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
    }
    if (codeDue(again)) {
      const [alarm] = await tx.query<{ id: string }>(
        `INSERT INTO portal_alarms (raised_at, codes, addresses, message_id, code_key, failures)
         VALUES ($1, 1, 0, $2, $3, $4) RETURNING id::text AS id`,
        [now.toISOString(), failure.messageId, failure.codeKey, again.code_failures],
      );
      await recordAuditIn(
        tx,
        {
          actor: 'portal',
          action: 'portal_code_failing',
          target: `message:${failure.messageId}`,
          detail: { alarm: Number(alarm?.id), failures: again.code_failures },
        },
        now,
      );
    }
  });
}

/**
 * Clears a code's wait after the unit has reached its victim (the supervisor's action on a
 * code alarm), and acknowledges the alarm: one transaction, audited. False if no such open
 * code alarm.
 */
export async function releaseCode(
  db: OpsDb,
  alarmId: number,
  user: { id: number; name: string },
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [alarm] = await tx.query<{ code_key: string; message_id: string }>(
      `UPDATE portal_alarms SET acknowledged_by = $2, acknowledged_at = $3
        WHERE id = $1 AND acknowledged_at IS NULL AND code_key IS NOT NULL
        RETURNING code_key, message_id::text AS message_id`,
      [alarmId, user.id, now.toISOString()],
    );
    if (!alarm) return false;
    await tx.query('DELETE FROM portal_attempts WHERE key = $1', [alarm.code_key]);
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'portal_code_release',
        target: `message:${alarm.message_id}`,
        detail: { alarm: alarmId },
      },
      now,
    );
    return true;
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

/** An open alarm: guessing across codes, or one victim's code failing (with its message). */
export interface Alarm {
  id: number;
  raisedAt: string;
  codes: number;
  addresses: number;
  code: { messageId: number; number: string; failures: number } | null;
}

export async function openAlarms(db: OpsDb): Promise<Alarm[]> {
  const rows = await db.query<{
    id: string;
    raised_at: string | Date;
    codes: number;
    addresses: number;
    message_id: string | null;
    number: string | null;
    failures: number | null;
  }>(
    `SELECT a.id::text AS id, a.raised_at, a.codes, a.addresses, a.message_id::text AS message_id,
            m.number, a.failures
       FROM portal_alarms a LEFT JOIN messages m ON m.id = a.message_id
      WHERE a.acknowledged_at IS NULL ORDER BY a.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    raisedAt: new Date(r.raised_at).toISOString(),
    codes: r.codes,
    addresses: r.addresses,
    code:
      r.message_id === null
        ? null
        : { messageId: Number(r.message_id), number: r.number ?? '', failures: r.failures ?? 0 },
  }));
}
