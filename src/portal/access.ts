/**
 * How a victim gets in: a reference code checked alone ("is this text from us?"), or a code
 * with the last four digits of the phone that received it (their report). Both go through the
 * guard first and count a failure the same way whatever was wrong, and both do the same work
 * for a wrong code as for wrong digits: one indexed lookup of the code's keyed hash and one
 * constant-time comparison of four digits (against a stand-in when no message matched).
 */
import crypto from 'node:crypto';
import type { OpsDb } from '../ops/db.ts';
import { refHash, type RefKeys } from '../outreach/refcode.ts';
import { readSql } from '../shared/sql.ts';
import { countFailure, forgiveCode, guardKeys, type GuardKeys } from './guard.ts';

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

export type CheckResult =
  { kind: 'wait'; seconds: number } | { kind: 'unknown' } | ({ kind: 'genuine' } & Genuine);

const LOOK_UP = readSql(import.meta.url, 'sql/look-up.sql');

interface Found {
  blocked_until: string | Date | null;
  id: string | null;
  number: string;
  brand: string | null;
  call_date: string | null;
  country: string;
  zones: string;
}

/** The guard's wait (seconds, 0: go ahead) and the message of a typed code: one query. */
async function lookUp(deps: AccessDeps, keys: GuardKeys, typed: string, now: Date) {
  const [row] = await deps.ops.query<Found>(LOOK_UP, [
    refHash(deps.refKeys, typed.slice(0, 64)),
    [keys.address, keys.code],
    now.toISOString(),
  ]);
  const until = row?.blocked_until ? new Date(row.blocked_until).getTime() : 0;
  const wait = Math.max(0, Math.ceil((until - now.getTime()) / 1000));
  return { wait, row: row?.id ? row : undefined };
}

const genuine = (row: Found): Genuine => ({
  messageId: Number(row.id),
  brand: row.brand,
  callDate: row.call_date,
  country: row.country,
  zones: row.zones,
});

/** Is this text from us? Genuine (with what it said) or unknown; never why it is unknown. */
export async function checkCode(
  deps: AccessDeps,
  address: string,
  typed: string,
): Promise<CheckResult> {
  const keys = guardKeys(deps.guardSecret, address, typed);
  const now = deps.now();
  const { wait, row } = await lookUp(deps, keys, typed, now);
  if (wait > 0) return { kind: 'wait', seconds: wait };
  if (!row) {
    await countFailure(deps.ops, keys, now, deps.alarmCodes);
    return { kind: 'unknown' };
  }
  return { kind: 'genuine', ...genuine(row) };
}

export type SignInResult =
  { kind: 'wait'; seconds: number } | { kind: 'refused' } | ({ kind: 'ok' } & Genuine);

const STAND_IN = '+00000000000';

/** The last four digits of `number`, compared in constant time with what was typed. */
function digitsMatch(number: string, typed: string): boolean {
  const want = Buffer.from(number.slice(-4));
  const got = Buffer.from(typed.replace(/\D/g, '').slice(-4).padStart(4, 'x'));
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}

/** A victim's way into their report: the code and the last four digits of their phone. */
export async function signIn(
  deps: AccessDeps,
  address: string,
  typed: string,
  digits: string,
): Promise<SignInResult> {
  const keys = guardKeys(deps.guardSecret, address, typed);
  const now = deps.now();
  const { wait, row } = await lookUp(deps, keys, typed, now);
  if (wait > 0) return { kind: 'wait', seconds: wait };
  const match = digitsMatch(row?.number ?? STAND_IN, digits);
  if (!row || !match) {
    await countFailure(deps.ops, keys, now, deps.alarmCodes);
    return { kind: 'refused' };
  }
  await forgiveCode(deps.ops, keys);
  return { kind: 'ok', ...genuine(row) };
}
