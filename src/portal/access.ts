/**
 * How a victim gets in: a reference code checked alone ("is this text from us?"), or a code
 * with the last four digits of the phone that received it (their report). Each attempt is
 * decided and counted by one database function (`portal_attempt`, migration 005) that does the
 * same work whatever was wrong — a wrong code, wrong digits, a malformed code: one indexed lookup of the code's keyed
 * hash, one comparison, both guard keys counted — so neither the answer nor its time tells
 * them apart, and concurrent attempts queue on the guard's rows instead of racing past a limit.
 */
import crypto from 'node:crypto';
import { prepared, type OpsDb } from '../ops/db.ts';
import { normalise } from '../shared/crockford.ts';
import { refHash, type RefKeys } from '../outreach/refcode.ts';
import { FREE_FAILURES, guardKeys, MAX_WAIT_SECONDS, raiseAlarms } from './guard.ts';

export interface AccessDeps {
  ops: OpsDb;
  refKeys: RefKeys;
  /** The key the guard's hashes of addresses and codes are made with. */
  guardSecret: Buffer;
  now(): Date;
  alarmCodes: number;
}

/** What a genuine text said: the brand it named and the date of the call. */
export interface Genuine {
  messageId: number;
  brand: string | null;
  callDate: string | null;
  country: string;
  zones: string;
}

/** The attempt, decided and counted by the database function of migration 005. */
const ATTEMPT = prepared(
  'portal_attempt',
  'SELECT * FROM portal_attempt($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
);

/**
 * The device token for a code: what a victim's browser keeps after signing in with it (a keyed
 * hash of the code, which tells nothing of it). An attempt that carries it is not held up by the
 * code's wait (migration 011): failures from other addresses cannot lock the victim out.
 */
export function deviceToken(secret: Buffer, typed: string): string {
  return crypto
    .createHmac('sha256', secret)
    .update(`device:${normalise(typed)}`)
    .digest('base64url');
}

/** Whether `token` is the device token of the code typed (in constant time). */
function trusted(secret: Buffer, typed: string, token: string | undefined): boolean {
  if (!token) return false;
  const want = Buffer.from(deviceToken(secret, typed));
  const got = Buffer.from(token);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

interface Row {
  refused: boolean | null;
  blocked_until: string | Date | null;
  ok: boolean;
  id: string | null;
  number: string | null;
  brand: string | null;
  call_date: string | null;
  country: string | null;
  zones: string | null;
}

type Outcome = { kind: 'wait'; seconds: number } | { kind: 'no' } | ({ kind: 'yes' } & Genuine);

async function attempt(
  deps: AccessDeps,
  address: string,
  typed: string,
  digits: string,
  mode: 'check' | 'signin',
  device?: string,
): Promise<Outcome> {
  const keys = guardKeys(deps.guardSecret, address, typed);
  const now = deps.now();
  const [row] = await deps.ops.query<Row>(ATTEMPT, [
    refHash(deps.refKeys, typed.slice(0, 64)),
    keys.address,
    keys.code,
    now.toISOString(),
    digits.replace(/\D/g, '').slice(-4),
    mode,
    FREE_FAILURES.address,
    FREE_FAILURES.code,
    MAX_WAIT_SECONDS,
    mode === 'signin' && trusted(deps.guardSecret, typed, device),
  ]);
  if (!row) throw new Error('the attempt statement returned nothing');
  if (row.refused) {
    const until = row.blocked_until ? new Date(row.blocked_until).getTime() : now.getTime();
    return { kind: 'wait', seconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
  }
  if (!row.ok || !row.id) {
    await raiseAlarms(deps.ops, now, deps.alarmCodes, {
      codeKey: keys.code,
      messageId: row.id ? Number(row.id) : null,
    });
    return { kind: 'no' };
  }
  return {
    kind: 'yes',
    messageId: Number(row.id),
    brand: row.brand,
    callDate: row.call_date,
    country: row.country as string,
    zones: row.zones as string,
  };
}

export type CheckResult =
  { kind: 'wait'; seconds: number } | { kind: 'unknown' } | ({ kind: 'genuine' } & Genuine);

/** Is this text from us? Genuine (with what it said) or unknown; never why it is unknown. */
export async function checkCode(
  deps: AccessDeps,
  address: string,
  typed: string,
): Promise<CheckResult> {
  const o = await attempt(deps, address, typed, '', 'check');
  return o.kind === 'yes' ? { ...o, kind: 'genuine' } : o.kind === 'no' ? { kind: 'unknown' } : o;
}

export type SignInResult =
  { kind: 'wait'; seconds: number } | { kind: 'refused' } | ({ kind: 'ok' } & Genuine);

/** A victim's way into their report: the code and the last four digits of their phone. */
export async function signIn(
  deps: AccessDeps,
  address: string,
  typed: string,
  digits: string,
  /** The device token the browser holds, if any (`deviceToken`). */
  device?: string,
): Promise<SignInResult> {
  const o = await attempt(deps, address, typed, digits, 'signin', device);
  return o.kind === 'yes' ? { ...o, kind: 'ok' } : o.kind === 'no' ? { kind: 'refused' } : o;
}
