/**
 * What the call generator chooses from, built once per export: the number being written (whose
 * readings it vouches for), the truly ambiguous victims and their rival countries, caller IDs
 * of those countries, and each account's own and crew mates' phones.
 */
import type { Account } from './accounts.ts';
import {
  bareNational,
  nationalDigits,
  newNumber,
  OWN_CC_DIGITS,
  partsOf,
  type Parts,
} from './numbers.ts';
import { AMBIGUOUS_SHARE, MIN_AMBIGUOUS } from './params.ts';
import type { Pool } from './pools.ts';
import { strip, type Oracle, type Parsed, type Resolver } from './resolve.ts';
import { Rng } from './rng.ts';

/**
 * Countries whose national reading may rival a truly ambiguous victim's, per destination, in
 * the order tried (each has number specs, so a caller ID of it can be drawn): 06 12 34 56 78
 * is French and Dutch, 070 26 08 01 58 British and 702 608 0158 American, …
 */
const RIVALS: Record<string, string[]> = {
  GB: ['DE'],
  US: ['DE', 'GB'],
  CA: ['DE', 'GB'],
  NL: ['FR', 'DE'],
  FR: ['NL', 'DE'],
  AU: ['FR', 'NL'],
  IE: ['FR', 'NL'],
};
const RIVAL_COUNTRIES = ['FR', 'NL', 'GB', 'DE'];
export const NANP = new Set(['US', 'CA']);

/**
 * The number being written, whose readings in its own country the generator vouches for: its
 * national digits and (where numbers.test.ts shows they read so) its country code and digits
 * read as itself there, and `+…` is valid. Anything else the resolver parses.
 */
export class Known {
  /** Reused: the resolver copies a reading, never keeps it. */
  private readonly parsed: Parsed = { e164: '', country: '' };
  private nat = '';
  private cc = '';
  private nanp = false;
  private ccDigits = false;

  set(p: Parts): void {
    if (p.e164 === this.parsed.e164) return;
    this.parsed.e164 = p.e164;
    this.parsed.country = p.country;
    this.nat = nationalDigits(p);
    this.cc = `${p.cc}${p.nsn}`;
    this.nanp = p.cc === '1';
    this.ccDigits = OWN_CC_DIGITS.has(p.country);
  }

  clear(): void {
    this.parsed.e164 = '';
    this.parsed.country = '';
    this.nat = '';
    this.cc = '';
  }

  readonly oracle: Oracle = (text, country) => {
    if (this.parsed.e164 === '') return undefined;
    if (country === '') return text === this.parsed.e164 ? this.parsed : undefined;
    if (country !== this.parsed.country && !(this.nanp && NANP.has(country))) return undefined;
    if (text === this.nat || (this.ccDigits && text === this.cc)) return this.parsed;
    // `011` and the country code and digits, outside North America: too long to be national.
    if (!this.nanp && text.length === this.cc.length + 3 && text === `011${this.cc}`) return null;
    return undefined;
  };
}

/**
 * Per destination country, the truly ambiguous victims (index → rival country): a few of the
 * often-called numbers whose national form is also a valid number of a rival country.
 */
export function pickAmbiguous(
  pools: Map<string, Pool>,
  seed: number,
  resolver: Resolver,
): Map<string, Map<number, string>> {
  const r = new Rng(seed, 'ambiguous');
  const out = new Map<string, Map<number, string>>();
  for (const pool of pools.values()) {
    const n = pool.victims.length;
    const want = Math.max(MIN_AMBIGUOUS, Math.round(n * AMBIGUOUS_SHARE));
    const range = Math.min(n, Math.max(want * 4, Math.ceil(n * 0.2)));
    const chosen = new Map<number, string>();
    for (let tries = 0; chosen.size < want && tries < want * 50; tries++) {
      const i = r.int(0, range - 1);
      if (chosen.has(i)) continue;
      const rival = rivalOf(partsOf(pool.victims[i]!, pool.country), resolver);
      if (rival) chosen.set(i, rival);
    }
    out.set(pool.country, chosen);
  }
  return out;
}

/** The first country whose national reading of `p`'s national form is another valid number. */
function rivalOf(p: Parts, resolver: Resolver): string {
  const text = strip(bareNational(p));
  for (const x of RIVALS[p.country] ?? []) {
    const other = resolver.parse(text, x);
    if (other && other.e164 !== p.e164) return x;
  }
  return '';
}

/** A few caller IDs of each rival country (for calls whose caller ID rivals the route). */
export function foreignCallers(seed: number): Map<string, string[]> {
  const r = new Rng(seed, 'foreign callers');
  const taken = new Set<string>();
  return new Map(RIVAL_COUNTRIES.map((c) => [c, [0, 1, 2].map(() => newNumber(r, c, taken))]));
}

/** Each account's own phone and its crew mates' phones. */
export function ownNumbersByAccount(accounts: readonly Account[]) {
  const byCrew = new Map<number, { number: string; country: string }[]>();
  for (const a of accounts) {
    if (a.crew < 0 || !a.phone) continue;
    const list = byCrew.get(a.crew) ?? [];
    if (!list.some((n) => n.number === a.phone))
      list.push({ number: a.phone, country: a.phoneCountry });
    byCrew.set(a.crew, list);
  }
  const out = new Map<number, { number: string; country: string }[]>();
  for (const a of accounts) {
    const list = a.crew >= 0 ? (byCrew.get(a.crew) ?? []) : [];
    const own = a.phone ? [{ number: a.phone, country: a.phoneCountry }] : [];
    const all = [...own, ...list.filter((n) => n.number !== a.phone)];
    if (all.length > 0) out.set(a.index, all);
  }
  return out;
}
