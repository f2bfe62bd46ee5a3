/**
 * Reference codes (docs/outreach.md, "Reference codes"):
 * one per victim per campaign, 55 random-looking bits as 11
 * Crockford base32 symbols plus a check symbol, grouped for reading (`K7QM-4XD2-9VW*`).
 *
 * A code is never stored. It is derived when the message is written, as a keyed HMAC of the
 * campaign and the number under the case's `ref_key`, so a dispatcher that restarts after a
 * crash writes the same code again. The outbox keeps only `refHash`, a second keyed HMAC
 * under `ref_hash_key`, which is what the portal looks a typed code up by.
 */
import crypto from 'node:crypto';
import { checkSymbol, encodeSymbols, group, normalise } from '../shared/crockford.ts';

export const CODE_SYMBOLS = 11; // 55 bits

export interface RefKeys {
  ref: Buffer;
  hash: Buffer;
}

/** The code of `number` in `campaignId`, grouped for reading. */
export function referenceCode(keys: RefKeys, campaignId: number, number: string): string {
  const mac = crypto.createHmac('sha256', keys.ref).update(`ref:${campaignId}:${number}`).digest();
  const symbols = encodeSymbols(mac, CODE_SYMBOLS);
  return group(symbols + checkSymbol(symbols));
}

/** The canonical symbols of a typed code, or null when it is malformed or its check fails. */
export function parseCode(typed: string): string | null {
  const s = normalise(typed);
  if (s.length !== CODE_SYMBOLS + 1) return null;
  const body = s.slice(0, CODE_SYMBOLS);
  if (!/^[0-9A-HJKMNP-TV-Z]+$/.test(body)) return null;
  return checkSymbol(body) === s.slice(CODE_SYMBOLS) ? s : null;
}

/** The keyed hash a code is stored and looked up by (of its canonical form). */
export function refHash(keys: RefKeys, code: string): string {
  return crypto.createHmac('sha256', keys.hash).update(normalise(code)).digest('base64url');
}
