/**
 * Streams the calls file and captures.csv, session by session in start order, and records each
 * victim number's tier from the calls that load (corrupt rows never count; a call is its
 * deciding leg, legs.ts), whether its calls need review, and every loaded call's class. One
 * record in CORRUPT_EVERY is odd, the kinds in turn (see corrupt.ts).
 *
 * Numbers are written the ways switches write them (numbers.ts, shapes.ts). For every number it
 * writes the generator asks its resolver (resolve.ts, the rules of docs/numbers.md and
 * docs/switch-records.md) what the rules make of the form, given the call's evidence: a form
 * that would not read as the intended number is drawn again, then written as E.164. So no call
 * is read as a wrong number, except the calls to a few truly ambiguous victims per country,
 * which are all written so that the rules flag them.
 */
import type { Account } from './accounts.ts';
import type { Brand } from './brands.ts';
import {
  CANONICAL_HEADER,
  callFields,
  callId,
  joinFields,
  newRow,
  type CallRow,
  type CallsFormat,
} from './callrows.ts';
import { foreignCallers, Known, NANP, ownNumbersByAccount, pickAmbiguous } from './choices.ts';
import {
  CORRUPT_KINDS,
  ODD_ROWS,
  callsOnlyAccount,
  corruptRow,
  garbledRow,
  unresolvedRow,
  type CorruptKind,
} from './corrupt.ts';
import { callerKind, givesNoNumber } from './dialplan.ts';
import { forkLegs, outcome } from './legs.ts';
import {
  bareNational,
  drawDialled,
  drawPresented,
  partsFromLibrary,
  partsInto,
  partsOf,
  type Parts,
} from './numbers.ts';
import {
  ACCOUNT_DEST_MATCH,
  BRAND_CALLER_SHARE,
  BRAND_DIAL_SHARE,
  CALLS_ONLY_ACCOUNTS,
  CAPTURE_SHARE,
  CORRUPT_EVERY,
  DEST_ROUTE_SHARE,
  DEST_SHARES,
  DIAL_STRING_SHARE,
  IVR_DESTINATIONS,
  IVR_SHARE,
  MULTI_LEG_SHARE,
  NO_ACCOUNT_SHARE,
  NON_NUMBER_CALLER_SHARE,
  OTHER_ROUTE_SHARE,
  OUTSIDE_LINE_SHARE,
  OWN_NUMBER_SHARE,
  PREFIXED_DIAL_SHARE,
  SRC_EXTENSION_SHARE,
  SPOOFED_CALLER_SHARE,
  URI_DIAL_SHARE,
  VICTIM_SKEW,
} from './params.ts';
import { REVIEW, TIER, type Pool } from './pools.ts';
import { CALL_CLASSES, Resolver, type CallClass, type Resolution } from './resolve.ts';
import { Rng, Weighted } from './rng.ts';
import type { Sessions } from './sessions.ts';
import {
  ARTEFACT_APPS,
  CALLER_EXTENSIONS,
  COUNTRY_ROUTES,
  DIAL_STRING_FIELDS,
  dialStringForm,
  NO_COUNTRY_ROUTES,
  NON_NUMBER_CALLERS,
  outsideLineForm,
  prefixedDialForm,
  uriForm,
  WITHHELD_CALLERS,
} from './shapes.ts';
import type { Clock } from './time.ts';
import { emptySwitchCounts, type CallClasses, type SwitchCounts } from './truth.ts';
import type { LineWriter } from './writers.ts';
import type { Progress } from '../shared/progress.ts';

export { COUNTRY_ROUTES, NO_COUNTRY_ROUTES } from './shapes.ts';
export { Known } from './choices.ts';

export interface CallsInput {
  format: CallsFormat;
  seed: number;
  /** Call records to write (each call once, whatever its legs; corrupt ones included). */
  total: number;
  clock: Clock;
  /** Switch times are local (false: UTC, as Asterisk's usegmtime=yes writes them). */
  localClock: boolean;
  /** The outside-line prefix the export declares ('' for none). */
  outsideLine: string;
  accounts: readonly Account[];
  sessions: Sessions;
  pools: Map<string, Pool>;
  brands: readonly Brand[];
  calls: LineWriter;
  captures: LineWriter;
  progress: Progress;
}

export interface CallsSummary {
  /** Lines of the calls file (without its header): every leg and corrupt row. */
  rows: number;
  /** Calls that load (one per call id, however many legs). */
  loaded: number;
  captures: number;
  corrupt: Record<CorruptKind, number>;
  /** The loaded calls by class, as the rules read them (truth/calls.json). */
  classes: CallClasses;
  /** What docs/switch-records.md reads in the loaded calls (truth/switch.json). */
  switch: SwitchCounts;
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

/** The dialled shapes of docs/switch-records.md §7 a call may be written in. */
type DialShape = 'plain' | 'outside_line' | 'dial_string' | 'uri';

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
    { oracle: known.oracle, outsideLine: input.outsideLine },
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
  const sw = emptySwitchCounts();
  const callsOnly = new Set<string>();
  // Switch records in local time carry the zone's skipped and repeated hours (§6).
  const zoned = format !== 'canonical' && input.localClock;
  const legsAllowed = format !== 'freeswitch';
  if (format === 'canonical') calls.line(CANONICAL_HEADER);
  captures.line('call_id,captured_at,kind');
  let seq = 0;
  let records = 0;
  let rows = 0;
  let loaded = 0;
  const readings = new Map<string, string>();
  let corruptAt = r.int(0, CORRUPT_EVERY - 1);
  let saved: string | null = null;
  let lastCallId = '';
  const row: CallRow = newRow();
  const legs = [newRow(), newRow()];
  const lines: string[] = [];
  const victimParts = partsOf(pool0(pools), DEST_SHARES[0]![0]);
  // The call's evidence: route country R, caller ID country P, account country A.
  let R = '';
  let P = '';
  let A = '';
  // The last caller ID counted, and what §4 makes of it (sessions repeat one caller ID).
  let lastCaller: string | null = null;
  let lastRoute: string | null = null;
  let lastA: string | null = null;
  let noNumber = false;
  let callerCounts: 'alphanumeric_caller_ids' | 'extension_caller_ids' | null = null;
  let nonNumberTurn = 0;

  const dialShape = (): DialShape => {
    const u = r.float();
    if (format === 'asterisk' && input.outsideLine !== '' && u < OUTSIDE_LINE_SHARE) {
      return 'outside_line';
    }
    if (format === 'asterisk' && u < OUTSIDE_LINE_SHARE + DIAL_STRING_SHARE) return 'dial_string';
    return u < OUTSIDE_LINE_SHARE + DIAL_STRING_SHARE + URI_DIAL_SHARE ? 'uri' : 'plain';
  };

  /**
   * The dial string the rules may read. A Dial written with the default data
   * (`SIP/carrier/<dst>,60`) never names a number the dialled field does not (docs: §7 reads it
   * only when the field holds no number of 7+ digits, and then neither does the data), so the
   * resolver is spared building it for every call; reference.ts reads the data as written.
   */
  const dialString = (): string =>
    format === 'asterisk' && row.lastApp === 'Dial' ? row.lastData : '';

  /** Writes `p` into the row's dialled field (and dial string) in `shape`. */
  const writeDial = (p: Parts, shape: DialShape, onlyA: boolean): void => {
    row.lastApp = 'Dial';
    row.lastData = '';
    if (shape === 'outside_line') {
      row.dialled = outsideLineForm(r, p, input.outsideLine, onlyA);
    } else if (shape === 'dial_string' && r.chance(PREFIXED_DIAL_SHARE)) {
      [row.dialled, row.lastData] = prefixedDialForm(r, p, onlyA);
    } else if (shape === 'dial_string') {
      row.dialled = r.pick(DIAL_STRING_FIELDS);
      row.lastData = dialStringForm(r, p, onlyA);
    } else {
      row.dialled = shape === 'uri' ? uriForm(r, p) : drawDialled(r, p, onlyA);
    }
  };

  /**
   * Writes `p` as dialled, in a form the rules read as `p` (and as `want`); its resolution. A
   * national form that only the account's country could read (no R, no P) is not drawn when
   * the account's country is another: it would be a wrong guess or unresolved.
   */
  const dial = (p: Parts, vouch: boolean, want: CallClass): Resolution => {
    if (vouch) known.set(p);
    else known.clear();
    const onlyA = R === '' && P === '' && A !== p.country && !(p.cc === '1' && NANP.has(A));
    const shape = dialShape();
    for (let k = 0; k < 2; k++) {
      writeDial(p, shape, onlyA);
      const res = resolver.dialled(row.dialled, R, P, A, dialString());
      // Victims are never brand numbers or registered phones (pools.ts), nor service codes.
      if (
        res.e164 === p.e164 &&
        (want === 'victim' || resolver.classify(res, registered) === want)
      ) {
        return res;
      }
    }
    row.dialled = p.e164;
    row.lastData = '';
    return resolver.dialled(p.e164, R, P, A, dialString());
  };

  /** A caller ID written so that the rules never read it as a wrong number unflagged. */
  const callerId = (p: Parts): [string, Resolution] => {
    known.clear();
    const text = drawPresented(r, p);
    const res = resolver.presented(text, R, A);
    if (res.e164 === null || res.e164 === p.e164 || res.review) return [text, res];
    return [p.e164, resolver.presented(p.e164, R, A)];
  };

  /** The row's dialled number as the rules read it, with the row's own evidence. */
  const readRow = (a: string): Resolution =>
    resolver.call(row.dialled, row.presented, row.route, a, dialString()).dialled;

  /**
   * A call to a truly ambiguous victim, written so that the rules flag it: only the account's
   * country reads it (a guess), or the route's country and the caller ID's read it differently.
   */
  const ambiguousCall = (p: Parts, rival: string, dest: string, pool: Pool): Resolution => {
    known.set(p);
    row.dialled = bareNational(p);
    row.lastApp = 'Dial';
    row.lastData = '';
    if (A !== '' && r.chance(0.4)) {
      row.route = r.pick(NO_COUNTRY_ROUTES[format]);
      row.presented = r.pick(WITHHELD_CALLERS);
      row.presentedName = 'Anonymous';
      const res = readRow(A);
      // A guess of this number: the account's country is the victim's.
      if (res.e164 === p.e164 && res.review) return res;
    }
    const routeRival = r.chance(0.5);
    for (const onRoute of [routeRival, !routeRival]) {
      row.route = r.pick(COUNTRY_ROUTES(onRoute ? rival : dest));
      row.presented = onRoute ? r.pick(pool.spoofed) : r.pick(foreign.get(rival)!);
      row.presentedName = '';
      const res = readRow(A);
      if (res.e164 !== null && res.review) return res;
    }
    row.dialled = p.e164;
    return readRow(A);
  };

  /** Writes a line of the calls file. */
  const put = async (line: string) => {
    if (calls.line(line)) await calls.flush();
    rows++;
  };

  for (let s = 0; s < sessions.count && records < input.total; s++) {
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
    // Caller ID: a brand of the destination country, a spoofed local number, withheld, or (§4)
    // a sender name, address or extension that is no number.
    const pu = r.float();
    const brand = pu < BRAND_CALLER_SHARE ? r.pick(brandsOf.get(dest)!) : null;
    const spoofed =
      !brand && pu < BRAND_CALLER_SHARE + SPOOFED_CALLER_SHARE ? r.pick(pool.spoofed) : null;
    const other = !brand && !spoofed && r.chance(NON_NUMBER_CALLER_SHARE);
    // In turn, so that every kind shows up in a small export too.
    const [otherId, otherName] = other
      ? NON_NUMBER_CALLERS[nonNumberTurn++ % NON_NUMBER_CALLERS.length]!
      : ['', ''];
    const withheld = r.pick(WITHHELD_CALLERS);
    const [presented, pres] = brand
      ? callerId(brandParts.get(brand.number)!)
      : spoofed
        ? callerId(partsOf(spoofed, dest))
        : other
          ? [otherId, resolver.presented(otherId, R, A)]
          : [withheld, resolver.presented(withheld, R, A)];
    const presentedName = brand?.brand ?? (spoofed ? '' : other ? otherName : 'Anonymous');
    // Asterisk: now and then src is the caller's own extension; clid holds the caller ID.
    const src =
      format === 'asterisk' && r.chance(SRC_EXTENSION_SHARE) ? r.pick(CALLER_EXTENSIONS) : null;
    P = resolver.presentedCountry(pres);
    const size = sessions.size[si]!;
    const spacing = sessions.spacing[si]!;
    for (let j = 0; j < size && records < input.total; j++) {
      row.seq = seq++;
      // Odd rows and ambiguous victims change these: reset them for every call.
      A = account.country;
      row.account = account.id;
      row.route = route;
      row.presented = presented;
      row.presentedName = presentedName;
      row.src = src;
      row.leg = 0;
      row.lastApp = 'Dial';
      row.lastData = '';
      row.start = sessions.start[si]! + j * spacing + r.int(0, 1);
      row.id = callId(format, r, row.seq, row.start);
      lastCallId = row.id;
      // §3: now and then no account code at all (the unknown account has no country).
      if (r.chance(NO_ACCOUNT_SHARE)) {
        row.account = '';
        A = '';
      }
      // What is dialled: mostly a victim; sometimes an own phone, the real bank, or an IVR.
      const du = r.float();
      let victim = -1;
      // The dialled number's resolution, or null when the row's evidence changed: resolve it.
      let res: Resolution | null = null;
      const own = ownNumbers.get(account.index);
      if (du < OWN_NUMBER_SHARE && own) {
        const n = r.pick(own);
        res = dial(partsOf(n.number, n.country), true, 'own_phone');
      } else if (du < OWN_NUMBER_SHARE + BRAND_DIAL_SHARE) {
        res = dial(brandParts.get(r.pick(input.brands).number)!, false, 'brand_number');
      } else if (du < OWN_NUMBER_SHARE + BRAND_DIAL_SHARE + IVR_SHARE) {
        row.route = r.pick(COUNTRY_ROUTES(dest));
        row.dialled = r.pick(IVR_DESTINATIONS);
        const app = ARTEFACT_APPS[row.dialled];
        if (app) [row.lastApp, row.lastData] = app;
      } else {
        victim = Math.floor(pool.victims.length * Math.pow(r.float(), VICTIM_SKEW));
        const p = partsInto(victimParts, pool.victims[victim]!, dest);
        const rival = ambiguousHere.get(victim);
        res = rival ? ambiguousCall(p, rival, dest, pool) : dial(p, true, 'victim');
      }
      outcome(r, row, format);
      // §6: a start in the hour the zone skips is written as the switch's clock showed it.
      row.startText = zoned ? clock.gapText(row.start) : null;
      let odd = false;
      let callsOnlyCode = false;
      if (records === corruptAt) {
        const kind = ODD_ROWS[Math.floor(corruptAt / CORRUPT_EVERY) % ODD_ROWS.length]!;
        corruptAt += CORRUPT_EVERY - (corruptAt % CORRUPT_EVERY) + r.int(0, CORRUPT_EVERY - 1);
        const oddInput = { r, format, clock, row, saved, noCountry, pool, dest };
        odd = true;
        res = null;
        if (kind === 'unresolved_number') {
          // Loads, as an unresolved call: not a victim's.
          unresolvedRow(oddInput);
          victim = -1;
          A = '';
        } else if (kind === 'garbled_number') {
          // Loads, invalid and listed with the unresolved: not a victim's.
          garbledRow(oddInput);
          victim = -1;
        } else if (kind === 'calls_only_account') {
          // Loads under a code no accounts file names: no country is known for it.
          row.account = callsOnlyAccount(r, accounts.length, CALLS_ONLY_ACCOUNTS);
          A = '';
          callsOnlyCode = true;
        } else {
          const text = corruptRow(kind, oddInput);
          corrupt[text.kind]++;
          if (typeof text.line === 'string') await put(text.line);
          else {
            await calls.bytes(text.line);
            rows++;
          }
          records++;
          continue;
        }
      }
      // An odd record dials out again (an IVR's row turned into one rings a callee's channel).
      if (odd && row.outcome === 0 && row.lastApp === 'Dial') row.connected = true;
      const line = joinFields(format, callFields(format, row, clock, r));
      // §1: a forked dial's other legs (never for an odd record or a self-contradicting one).
      const extra =
        legsAllowed && !odd && !row.conflict && row.lastApp === 'Dial' && r.chance(MULTI_LEG_SHARE)
          ? forkLegs(r, row, legs, format === 'asterisk')
          : 0;
      if (extra === 0) await put(line);
      else {
        lines.length = 0;
        lines.push(line);
        for (let k = 0; k < extra; k++) lines.push(legLine(format, legs[k]!, lines, clock, r));
        for (let k = 0; k < extra; k++) sw.leg_disposition_conflicts += legs[k]!.conflict ? 1 : 0;
        // The deciding leg is written first, last or between (Asterisk writes a leg as it ends).
        const at = r.int(0, extra);
        lines.splice(at, 0, lines.shift()!);
        for (const l of lines) await put(l);
        sw.legs += extra;
      }
      records++;
      loaded++;
      if (records % 97 === 0) saved = line;
      if (records % 50_000 === 0) input.progress.tick(records);
      if (res === null) {
        known.clear();
        res = readRow(A);
      }
      classes.calls++;
      // A victim's own number is never a brand's or a registered phone (pools.ts).
      const number = victim >= 0 ? pool.victims[victim]! : '';
      classes[res.e164 === number ? 'victim' : resolver.classify(res, registered)]++;
      countSwitch(row, res, callsOnlyCode);
      // A victim's call that no rule reads (a calls-only account's) counts for nobody.
      if (victim < 0 || res.e164 === null) continue;
      pool.review[victim]! |= res.review ? REVIEW.flagged : REVIEW.settled;
      if (res.review && res.e164 !== null && res.e164 !== number) readings.set(res.e164, number);
      // §2: only a connected call was answered; its billed seconds are what count.
      let tier: number = row.connected ? TIER.contacted : TIER.attempted;
      if (row.connected && row.billsec >= 60) {
        tier = TIER.likely;
        if (r.chance(CAPTURE_SHARE)) {
          tier = TIER.harmed;
          const at = row.answer + r.int(5, row.billsec - 1);
          if (captures.line(`${row.id},${clock.iso(at)},${CAPTURE_KINDS.draw(r)}`)) {
            await captures.flush();
          }
        }
      }
      const tiers = res.e164 === number ? pool.tiers : pool.otherTiers;
      if (tier > tiers[victim]!) tiers[victim] = tier;
    }
  }
  input.progress.done();
  let picked = 0;
  for (const m of ambiguous.values()) picked += m.size;
  sw.duplicates = corrupt.duplicate_row;
  sw.calls_only_account_codes = callsOnly.size;
  return {
    rows,
    loaded,
    captures: captures.lines - 1,
    corrupt,
    classes,
    switch: sw,
    ambiguous: picked,
    readings,
    lastCallId,
  };

  /** Counts what docs/switch-records.md reads in a loaded call (its deciding leg). */
  function countSwitch(c: CallRow, res: Resolution, callsOnlyCode: boolean): void {
    if (c.account === '') sw.no_account_calls++;
    else if (callsOnlyCode) {
      callsOnly.add(c.account);
      sw.calls_only_accounts++;
    }
    if (c.presented !== lastCaller || c.route !== lastRoute || A !== lastA) {
      lastCaller = c.presented;
      lastRoute = c.route;
      lastA = A;
      // Whether the rules read it: with the call's route country (a brand's short code is read
      // as the brand where the route names no other country).
      const read = resolver.presented(c.presented, resolver.routeCountry(c.route), A).e164;
      noNumber = givesNoNumber(c.presented, read !== null);
      const kind = callerKind(c.presented);
      callerCounts = !noNumber
        ? null
        : kind === 'alphanumeric'
          ? 'alphanumeric_caller_ids'
          : kind === 'number'
            ? 'extension_caller_ids'
            : null;
    }
    if (noNumber) sw.non_number_caller_ids++;
    if (callerCounts !== null) sw[callerCounts]++;
    if (res.source === 'outside_line') sw.outside_line++;
    else if (res.source === 'dial_string') sw.dial_string++;
    if (c.conflict) sw.disposition_conflicts++;
    if (zoned && c.startText !== null) sw.nonexistent_starts++;
    else if (zoned && clock.repeated(c.start)) sw.ambiguous_starts++;
  }
}

/**
 * A leg's line. Legs differ from each other and from the deciding leg somewhere (Asterisk: the
 * channel rung); a canonical leg that would be identical to one before it ends a second later,
 * so no leg is ever taken for a duplicate record.
 */
function legLine(
  format: CallsFormat,
  leg: CallRow,
  before: readonly string[],
  clock: Clock,
  r: Rng,
): string {
  for (;;) {
    const line = joinFields(format, callFields(format, leg, clock, r));
    if (!before.includes(line)) return line;
    leg.end++;
  }
}

/** Any victim number of the first destination country (to shape the reused parts object). */
function pool0(pools: Map<string, Pool>): string {
  return pools.get(DEST_SHARES[0]![0])!.victims[0]!;
}
