/**
 * Streams the calls file and captures.csv, session by session in start order, and records each
 * victim number's tier from the rows that load (corrupt rows never count), whether its calls
 * need review, and every loaded call's class. One row in CORRUPT_EVERY is odd, the kinds in turn
 * (see corrupt.ts).
 *
 * Numbers are written the ways switches write them (numbers.ts). For every number it writes the
 * generator asks its resolver (resolve.ts, the rules of docs/numbers.md) what the rules make of
 * the form, given the call's evidence: a form that would not read as the intended number is
 * drawn again, then written as E.164. So no call is read as a wrong number, except the calls to
 * a few truly ambiguous victims per country, which are all written so that the rules flag them.
 */
import type { Account } from './accounts.ts';
import type { Brand } from './brands.ts';
import {
  CANONICAL_HEADER,
  callFields,
  callId,
  joinFields,
  type CallRow,
  type CallsFormat,
} from './callrows.ts';
import { CORRUPT_KINDS, ODD_ROWS, corruptRow, unresolvedRow, type CorruptKind } from './corrupt.ts';
import {
  bareNational,
  drawDialled,
  drawPresented,
  nationalDigits,
  newNumber,
  OWN_CC_DIGITS,
  partsFromLibrary,
  partsInto,
  partsOf,
  type Parts,
} from './numbers.ts';
import {
  ACCOUNT_DEST_MATCH,
  AMBIGUOUS_SHARE,
  ANSWER_RATE,
  BRAND_CALLER_SHARE,
  BRAND_DIAL_SHARE,
  CAPTURE_SHARE,
  CORRUPT_EVERY,
  DEST_ROUTE_SHARE,
  DEST_SHARES,
  IVR_DESTINATIONS,
  IVR_SHARE,
  LONG_CALL_SHARE,
  MIN_AMBIGUOUS,
  OTHER_ROUTE_SHARE,
  OWN_NUMBER_SHARE,
  SPOOFED_CALLER_SHARE,
  VICTIM_SKEW,
} from './params.ts';
import { REVIEW, TIER, type Pool } from './pools.ts';
import {
  CALL_CLASSES,
  Resolver,
  strip,
  type CallClass,
  type Oracle,
  type Parsed,
  type Resolution,
} from './resolve.ts';
import { Rng, Weighted } from './rng.ts';
import type { Sessions } from './sessions.ts';
import type { Clock } from './time.ts';
import type { LineWriter } from './writers.ts';
import type { Progress } from '../shared/progress.ts';

export interface CallsInput {
  format: CallsFormat;
  seed: number;
  total: number;
  clock: Clock;
  accounts: readonly Account[];
  sessions: Sessions;
  pools: Map<string, Pool>;
  brands: readonly Brand[];
  calls: LineWriter;
  captures: LineWriter;
  progress: Progress;
}

export type CallClasses = { calls: number } & Record<CallClass, number>;

export interface CallsSummary {
  rows: number;
  loaded: number;
  captures: number;
  corrupt: Record<CorruptKind, number>;
  /** The loaded calls by class, as the rules read them (truth/calls.json). */
  classes: CallClasses;
  /** Truly ambiguous victims (the number of victims picked; those called are in the truth). */
  ambiguous: number;
  /** Each other number a call flagged for review was read as → the victim it was to. */
  readings: Map<string, string>;
  lastCallId: string;
}

const CAPTURE_KINDS = new Weighted([
  ['otp', 0.6],
  ['pin', 0.15],
  ['card', 0.15],
  ['other', 0.1],
] as const);

/** Route names per country: the country is their last token; `uk` means GB. */
export const COUNTRY_ROUTES = (c: string) =>
  c === 'GB' ? ['out-gb', 'gb', 'uk', 'out-uk'] : [`out-${c.toLowerCase()}`, c.toLowerCase()];
/** Routes (dial-plan contexts) that name no country, per format. */
export const NO_COUNTRY_ROUTES: Record<CallsFormat, string[]> = {
  canonical: ['', 'default', 'from-internal', 'outbound-allroutes'],
  asterisk: ['from-internal', 'default', 'from-trunk', 'outbound-allroutes'],
  freeswitch: ['default', 'public', 'from-internal'],
};
/** Withheld caller IDs as switches write them. */
const WITHHELD = ['anonymous', 'anonymous', 'Anonymous', 'private'];
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
const NANP = new Set(['US', 'CA']);

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

export async function writeCalls(input: CallsInput): Promise<CallsSummary> {
  const { format, clock, accounts, sessions, pools, calls, captures } = input;
  const r = new Rng(input.seed, 'calls');
  const dests = new Weighted(DEST_SHARES);
  const destList = DEST_SHARES.map(([c]) => c);
  const destSet = new Set(destList);
  const brandsOf = new Map(destList.map((c) => [c, input.brands.filter((b) => b.country === c)]));
  const brandParts = new Map(input.brands.map((b) => [b.number, partsFromLibrary(b.number)]));
  const ownNumbers = ownNumbersByAccount(accounts);
  const registered = new Set(accounts.map((a) => a.phone).filter(Boolean));
  const noCountry = accounts.filter((a) => a.country === '');
  const known = new Known();
  const resolver = new Resolver(
    input.brands.map((b) => b.number),
    { oracle: known.oracle },
  );
  const ambiguous = pickAmbiguous(pools, input.seed, resolver);
  const foreign = foreignCallers(input.seed);
  const corrupt = Object.fromEntries(CORRUPT_KINDS.map((k) => [k, 0])) as Record<
    CorruptKind,
    number
  >;
  const classes = Object.fromEntries([
    ['calls', 0],
    ...CALL_CLASSES.map((k) => [k, 0]),
  ]) as CallClasses;
  if (format === 'canonical') calls.line(CANONICAL_HEADER);
  captures.line('call_id,captured_at,kind');
  let seq = 0;
  let rows = 0;
  let loaded = 0;
  const readings = new Map<string, string>();
  let corruptAt = r.int(0, CORRUPT_EVERY - 1);
  let saved: string | null = null;
  let lastCallId = '';
  const row: CallRow = {
    seq: 0,
    id: '',
    account: '',
    presented: '',
    presentedName: '',
    dialled: '',
    route: '',
    start: 0,
    answer: -1,
    end: 0,
    billsec: 0,
    outcome: 1,
    startText: null,
  };
  const victimParts = partsOf(pool0(pools), DEST_SHARES[0]![0]);
  // The session's evidence: route country R, caller ID country P, account country A.
  let R = '';
  let P = '';
  let A = '';

  /**
   * Writes `p` as dialled, in a form the rules read as `p` (and as `want`); its resolution. A
   * national form that only the account's country could read (no R, no P) is not drawn when
   * the account's country is another: it would be a wrong guess or unresolved.
   */
  const dial = (p: Parts, vouch: boolean, want: CallClass): Resolution => {
    if (vouch) known.set(p);
    else known.clear();
    const onlyA = R === '' && P === '' && A !== p.country && !(p.cc === '1' && NANP.has(A));
    for (let k = 0; k < 2; k++) {
      const text = drawDialled(r, p, onlyA);
      const res = resolver.dialled(text, R, P, A);
      // Victims are never brand numbers or registered phones (pools.ts), nor service codes.
      if (
        res.e164 === p.e164 &&
        (want === 'victim' || resolver.classify(res, registered) === want)
      ) {
        row.dialled = text;
        return res;
      }
    }
    row.dialled = p.e164;
    return resolver.dialled(p.e164, R, P, A);
  };

  /** A caller ID written so that the rules never read it as a wrong number unflagged. */
  const callerId = (p: Parts): [string, Resolution] => {
    known.clear();
    const text = drawPresented(r, p);
    const res = resolver.presented(text, R, A);
    if (res.e164 === null || res.e164 === p.e164 || res.review) return [text, res];
    return [p.e164, resolver.presented(p.e164, R, A)];
  };

  /**
   * A call to a truly ambiguous victim, written so that the rules flag it: only the account's
   * country reads it (a guess), or the route's country and the caller ID's read it differently.
   */
  const ambiguousCall = (p: Parts, rival: string, dest: string, pool: Pool): Resolution => {
    known.set(p);
    const text = bareNational(p);
    row.dialled = text;
    if (r.chance(0.4)) {
      row.route = r.pick(NO_COUNTRY_ROUTES[format]);
      row.presented = r.pick(WITHHELD);
      row.presentedName = 'Anonymous';
      const res = resolver.call(text, row.presented, row.route, A).dialled;
      if (res.e164 !== null && res.review) return res;
    }
    const routeRival = r.chance(0.5);
    for (const onRoute of [routeRival, !routeRival]) {
      row.route = r.pick(COUNTRY_ROUTES(onRoute ? rival : dest));
      row.presented = onRoute ? r.pick(pool.spoofed) : r.pick(foreign.get(rival)!);
      row.presentedName = '';
      const res = resolver.call(text, row.presented, row.route, A).dialled;
      if (res.e164 !== null && res.review) return res;
    }
    row.dialled = p.e164;
    return resolver.call(p.e164, row.presented, row.route, A).dialled;
  };

  for (let s = 0; s < sessions.count && rows < input.total; s++) {
    const si = sessions.order[s]!;
    const account = accounts[sessions.account[si]!]!;
    A = account.country;
    // Mostly the account's own country when it is a destination; else the published shares.
    const dest = destSet.has(A) && r.chance(ACCOUNT_DEST_MATCH) ? A : dests.draw(r);
    const pool = pools.get(dest)!;
    const ambiguousHere = ambiguous.get(dest)!;
    // Route: the destination's country, another country, or none.
    const ru = r.float();
    const route =
      ru < DEST_ROUTE_SHARE
        ? r.pick(COUNTRY_ROUTES(dest))
        : ru < DEST_ROUTE_SHARE + OTHER_ROUTE_SHARE
          ? r.pick(COUNTRY_ROUTES(r.pick(destList)))
          : r.pick(NO_COUNTRY_ROUTES[format]);
    R = resolver.routeCountry(route);
    // Caller ID: a brand of the destination country, a spoofed local number, or withheld.
    const pu = r.float();
    const brand = pu < BRAND_CALLER_SHARE ? r.pick(brandsOf.get(dest)!) : null;
    const spoofed =
      !brand && pu < BRAND_CALLER_SHARE + SPOOFED_CALLER_SHARE ? r.pick(pool.spoofed) : null;
    const withheld = r.pick(WITHHELD);
    const [presented, pres] = brand
      ? callerId(brandParts.get(brand.number)!)
      : spoofed
        ? callerId(partsOf(spoofed, dest))
        : [withheld, resolver.presented(withheld, R, A)];
    const presentedName = brand?.brand ?? (spoofed ? '' : 'Anonymous');
    P = resolver.presentedCountry(pres);
    const size = sessions.size[si]!;
    const spacing = sessions.spacing[si]!;
    for (let j = 0; j < size && rows < input.total; j++) {
      row.seq = seq++;
      // Odd rows and ambiguous victims change these: reset them for every call.
      row.account = account.id;
      row.route = route;
      row.presented = presented;
      row.presentedName = presentedName;
      row.start = sessions.start[si]! + j * spacing + r.int(0, 1);
      row.startText = null;
      row.id = callId(format, r, row.seq, row.start);
      lastCallId = row.id;
      // What is dialled: mostly a victim; sometimes an own phone, the real bank, or an IVR.
      const du = r.float();
      let victim = -1;
      // The dialled number's resolution, or null when the row's evidence changed: resolve it.
      let res: Resolution | null = null;
      let rowA = A;
      const own = ownNumbers.get(account.index);
      if (du < OWN_NUMBER_SHARE && own) {
        const n = r.pick(own);
        res = dial(partsOf(n.number, n.country), true, 'own_phone');
      } else if (du < OWN_NUMBER_SHARE + BRAND_DIAL_SHARE) {
        res = dial(brandParts.get(r.pick(input.brands).number)!, false, 'brand_number');
      } else if (du < OWN_NUMBER_SHARE + BRAND_DIAL_SHARE + IVR_SHARE) {
        row.route = r.pick(COUNTRY_ROUTES(dest));
        row.dialled = r.pick(IVR_DESTINATIONS);
      } else {
        victim = Math.floor(pool.victims.length * Math.pow(r.float(), VICTIM_SKEW));
        const p = partsInto(victimParts, pool.victims[victim]!, dest);
        const rival = ambiguousHere.get(victim);
        res = rival ? ambiguousCall(p, rival, dest, pool) : dial(p, true, 'victim');
      }
      outcome(r, row);
      if (rows === corruptAt) {
        const kind = ODD_ROWS[Math.floor(corruptAt / CORRUPT_EVERY) % ODD_ROWS.length]!;
        corruptAt += CORRUPT_EVERY - (corruptAt % CORRUPT_EVERY) + r.int(0, CORRUPT_EVERY - 1);
        const odd = { r, format, clock, row, saved, accounts, noCountry, pool, dest };
        if (kind === 'unresolved_number') {
          // Loads, as an unresolved call: not a victim's.
          unresolvedRow(odd);
          victim = -1;
          res = null;
          rowA = '';
        } else {
          const text = corruptRow(kind, odd);
          corrupt[text.kind]++;
          if (typeof text.line === 'string') {
            if (calls.line(text.line)) await calls.flush();
          } else await calls.bytes(text.line);
          rows++;
          continue;
        }
      }
      const line = joinFields(format, callFields(format, row, clock, r));
      if (calls.line(line)) await calls.flush();
      rows++;
      loaded++;
      if (rows % 97 === 0) saved = line;
      if (rows % 50_000 === 0) input.progress.tick(rows);
      if (res === null) {
        known.clear();
        res = resolver.call(row.dialled, row.presented, row.route, rowA).dialled;
      }
      classes.calls++;
      // A victim's own number is never a brand's or a registered phone (pools.ts).
      const number = victim >= 0 ? pool.victims[victim]! : '';
      classes[res.e164 === number ? 'victim' : resolver.classify(res, registered)]++;
      if (victim < 0) continue;
      pool.review[victim]! |= res.review ? REVIEW.flagged : REVIEW.settled;
      if (res.review && res.e164 !== null && res.e164 !== number) readings.set(res.e164, number);
      let tier: number = row.answer < 0 ? TIER.attempted : TIER.contacted;
      if (row.answer >= 0 && row.billsec >= 60) {
        tier = TIER.likely;
        if (r.chance(CAPTURE_SHARE)) {
          tier = TIER.harmed;
          const at = row.answer + r.int(5, row.billsec - 1);
          if (captures.line(`${row.id},${clock.iso(at)},${CAPTURE_KINDS.draw(r)}`)) {
            await captures.flush();
          }
        }
      }
      if (tier > pool.tiers[victim]!) pool.tiers[victim] = tier;
    }
  }
  input.progress.done();
  let picked = 0;
  for (const m of ambiguous.values()) picked += m.size;
  return {
    rows,
    loaded,
    captures: captures.lines - 1,
    corrupt,
    classes,
    ambiguous: picked,
    readings,
    lastCallId,
  };
}

/** Any victim number of the first destination country (to shape the reused parts object). */
function pool0(pools: Map<string, Pool>): string {
  return pools.get(DEST_SHARES[0]![0])!.victims[0]!;
}

/**
 * Per destination country, the truly ambiguous victims (index → rival country): a few of the
 * often-called numbers whose national form is also a valid number of a rival country.
 */
function pickAmbiguous(
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
function foreignCallers(seed: number): Map<string, string[]> {
  const r = new Rng(seed, 'foreign callers');
  const taken = new Set<string>();
  return new Map(RIVAL_COUNTRIES.map((c) => [c, [0, 1, 2].map(() => newNumber(r, c, taken))]));
}

/** Sets answer, end, billsec and outcome from the row's start. */
function outcome(r: Rng, row: CallRow): void {
  if (r.chance(ANSWER_RATE)) {
    row.outcome = 0;
    row.answer = row.start + r.int(3, 25);
    row.billsec = r.chance(LONG_CALL_SHARE)
      ? 60 + Math.min(3540, Math.floor(r.exp(240)))
      : Math.min(59, 1 + Math.floor(r.exp(15)));
    row.end = row.answer + row.billsec;
    return;
  }
  const u = r.float();
  row.outcome = u < 0.7 ? 1 : u < 0.9 ? 2 : 3;
  row.answer = -1;
  row.billsec = 0;
  row.end =
    row.start + (row.outcome === 1 ? r.int(10, 45) : row.outcome === 2 ? r.int(1, 8) : r.int(0, 3));
}

/** Each account's own phone and its crew mates' phones. */
function ownNumbersByAccount(accounts: readonly Account[]) {
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
