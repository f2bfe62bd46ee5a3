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
import { countFailure, forgiveCode, guardKeys, waitFor } from './guard.ts';

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

/** States of a message whose text went out (or may have: in doubt). */
const SENT = `('submitted', 'delivered', 'undeliverable', 'expired', 'in_doubt')`;

async function lookUp(deps: AccessDeps, typed: string) {
  const rows = await deps.ops.query<{
    id: string;
    number: string;
    brand: string | null;
    call_date: string | null;
    country: string;
    zones: string;
  }>(
    `SELECT m.id::text AS id, m.number, m.brand, to_char(m.first_long_call, 'YYYY-MM-DD') AS call_date,
            m.country, m.zones
       FROM reference_codes r JOIN messages m ON m.id = r.message_id
      WHERE r.ref_hash = $1 AND m.state IN ${SENT}`,
    [refHash(deps.refKeys, typed.slice(0, 64))],
  );
  return rows[0];
}

const genuine = (row: NonNullable<Awaited<ReturnType<typeof lookUp>>>): Genuine => ({
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
  const wait = await waitFor(deps.ops, keys, now);
  if (wait > 0) return { kind: 'wait', seconds: wait };
  const row = await lookUp(deps, typed);
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
  const wait = await waitFor(deps.ops, keys, now);
  if (wait > 0) return { kind: 'wait', seconds: wait };
  const row = await lookUp(deps, typed);
  const match = digitsMatch(row?.number ?? STAND_IN, digits);
  if (!row || !match) {
    await countFailure(deps.ops, keys, now, deps.alarmCodes);
    return { kind: 'refused' };
  }
  await forgiveCode(deps.ops, keys);
  return { kind: 'ok', ...genuine(row) };
}
