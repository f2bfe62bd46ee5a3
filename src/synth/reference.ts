/**
 * Test-only: loads a synthetic export the way the docs say, from its files alone, and
 * recomputes the truth — what loads and what is quarantined (docs/seized-export.md), a call as
 * its deciding leg, duplicates, connection, accounts, clocks and dial-plan readings
 * (docs/switch-records.md), how numbers read (docs/numbers.md: the synth's resolver, without the
 * generator's oracle, so every reading is libphonenumber's). The tests compare the generator's
 * truth files with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CallsFormat } from './callrows.ts';
import { callerKind, givesNoNumber } from './dialplan.ts';
import { CALL_CLASSES, Resolver, type CallClass, type Resolution } from './resolve.ts';
import type { SwitchCounts } from './truth.ts';
import { readCsv, readLines, splitCsv } from './testkit.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The wall time a text shows, as if it were UTC (epoch seconds), or NaN. */
export function parseTime(text: string, format: CallsFormat): number {
  const ok = format === 'canonical' ? ISO.test(text) : LOCAL.test(text);
  if (!ok) return NaN;
  const iso = format === 'canonical' ? text : `${text.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== iso.slice(0, 19)
    ? NaN
    : ms / 1000;
}

/**
 * A zone's local wall time (given as if UTC) as UTC, by docs/switch-records.md §6: a time the
 * zone skips is read with the offset before the change, one it repeats as its later occurrence.
 * Via Intl, independent of time.ts.
 */
export function zoneReader(zone: string) {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'longOffset' });
  const offsetAt = (t: number) => {
    const name = fmt.formatToParts(new Date(t * 1000)).find((p) => p.type === 'timeZoneName');
    const m = /GMT([+-])(\d\d):(\d\d)/.exec(name?.value ?? '');
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  };
  return (local: number): { utc: number; flag: '' | 'nonexistent' | 'ambiguous' } => {
    // The offsets a day either side: a local time is at most one change away from both.
    const before = offsetAt(local - 86_400);
    const after = offsetAt(local + 86_400);
    const fits = [...new Set([before, after])]
      .map((o) => local - o)
      .filter((t) => local - offsetAt(t) === t);
    if (fits.length === 0) return { utc: local - before, flag: 'nonexistent' };
    if (fits.length === 2) return { utc: Math.max(...fits), flag: 'ambiguous' };
    return { utc: fits[0]!, flag: '' };
  };
}

/** Columns of each calls format (disposition: FreeSWITCH's hangup cause). */
export const LAYOUT = {
  canonical: {
    n: 10,
    id: 0,
    acct: 1,
    pres: 2,
    dial: 3,
    route: 4,
    start: 5,
    ans: 6,
    end: 7,
    bill: 8,
    disp: 9,
    app: -1,
    data: -1,
    clid: -1,
    peer: -1,
  },
  asterisk: {
    n: 18,
    id: 16,
    acct: 0,
    pres: 1,
    dial: 2,
    route: 3,
    start: 9,
    ans: 10,
    end: 11,
    bill: 13,
    disp: 14,
    app: 7,
    data: 8,
    clid: 4,
    peer: 6,
  },
  freeswitch: {
    n: 15,
    id: 10,
    acct: 12,
    pres: 1,
    dial: 2,
    route: 3,
    start: 4,
    ans: 5,
    end: 6,
    bill: 8,
    disp: 9,
    app: -1,
    data: -1,
    clid: -1,
    peer: -1,
  },
} as const;

const NOT_CONNECTED = new Set([
  'NO ANSWER',
  'NOANSWER',
  'BUSY',
  'FAILED',
  'CONGESTION',
  'CANCEL',
  'CHANUNAVAIL',
]);

/** §2: connected, and whether the record contradicts itself. */
export function connection(
  format: CallsFormat,
  disposition: string,
  answered: boolean,
  billsec: number,
  peer = '',
): { connected: boolean; conflict: boolean } {
  // A FreeSWITCH hangup cause says why a call ended, not whether it connected.
  if (format === 'freeswitch') return { connected: answered, conflict: false };
  const d = disposition.trim().toUpperCase();
  // Asterisk names the callee's channel: a leg without one reached no callee (a Congestion,
  // Hangup or IVR leg is ANSWERED once the caller's own channel is up).
  const reached = format !== 'asterisk' || peer !== '';
  if (NOT_CONNECTED.has(d)) return { connected: false, conflict: answered || billsec > 0 };
  if (d === 'ANSWERED') return { connected: reached, conflict: !answered };
  return { connected: answered && reached, conflict: false };
}

/**
 * The caller ID a record presents: in Asterisk the number inside clid's angle brackets (what
 * the callee saw), and src only when they hold none (src may be the caller's own extension).
 */
export function presentedIn(f: readonly string[], format: CallsFormat): string {
  const L = LAYOUT[format];
  if (L.clid >= 0) {
    const clid = f[L.clid] ?? '';
    const open = clid.lastIndexOf('<');
    const inside = open < 0 ? '' : clid.slice(open + 1).split('>', 1)[0]!;
    if (inside !== '') return inside;
  }
  return f[L.pres] ?? '';
}

export interface LoadedCall {
  e164: string | null;
  /** The rejected reading of the dialled number. */
  alt: string | null;
  review: boolean;
  class: CallClass;
  victim: boolean;
  connected: boolean;
  conflict: boolean;
  billsec: number;
  start: number;
  end: number;
  startFlag: '' | 'nonexistent' | 'ambiguous';
  dialled: string;
  dialString: string;
  source: Resolution['source'];
  presented: string;
  route: string;
  /** As loaded: `(none)` for an empty account code. */
  account: string;
  /** How many legs the call has. */
  legs: number;
  /** The deciding leg's place in the file among the call's legs (0: written first). */
  writtenAt: number;
}

export interface Reference {
  /** Victim tier by reading (the dialled number's chosen reading). */
  tiers: Map<string, string>;
  /** Per reading of a victim's call: did every call read so need review; their rival readings. */
  readings: Map<string, { review: boolean; alts: Set<string> }>;
  classes: { calls: number } & Record<CallClass, number>;
  quarantined: Record<string, number>;
  calls: Map<string, LoadedCall>;
  orphanCaptures: number;
  columnCounts: Map<number, number>;
  switch: SwitchCounts & { clock: string };
}

/** A row that passed the checks: a leg of its call. */
interface Leg {
  line: string;
  f: string[];
  start: number;
  answer: number | null;
  end: number;
  startFlag: LoadedCall['startFlag'];
  billsec: number;
  connected: boolean;
  conflict: boolean;
}

const TIER_ORDER = ['', 'attempted', 'contacted', 'likely', 'harmed'];

/** Loads an export the way the docs say, and computes the victim tiers and call classes. */
export function reference(dir: string, format: CallsFormat): Reference {
  const L = LAYOUT[format];
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'export.json'), 'utf8'));
  const zone: string = meta.timezone;
  const toUtc = zoneReader(zone);
  const accountRows = readCsv(path.join(dir, 'accounts.csv'));
  const accounts = new Map(accountRows.map((r) => [r[0]!, r[5]!]));
  const registered = new Set(accountRows.map((r) => r[3]!).filter(Boolean));
  const shipped = new URL('../brands/brands.csv', import.meta.url).pathname;
  const brandNumbers = [...readCsv(shipped), ...readCsv(path.join(dir, 'brands.csv'))].map(
    (r) => r[0]!,
  );
  const resolver = new Resolver(brandNumbers, { outsideLine: meta.outside_line ?? '' });
  const quarantined: Record<string, number> = {};
  const q = (reason: string) => (quarantined[reason] = (quarantined[reason] ?? 0) + 1);
  const columnCounts = new Map<number, number>();
  const byId = new Map<string, Leg[]>();
  const lines = readLines(path.join(dir, format === 'canonical' ? 'calls.csv' : 'Master.csv'));
  for (const line of format === 'canonical' ? lines.slice(1) : lines) {
    if (line === null) {
      q('invalid_utf8');
      continue;
    }
    const f = splitCsv(line);
    columnCounts.set(f.length, (columnCounts.get(f.length) ?? 0) + 1);
    if (format === 'asterisk' ? f.length < L.n : f.length !== L.n) {
      q('wrong_column_count');
      continue;
    }
    const get = (i: number) => f[i] ?? '';
    const leg = legOf(line, f, get, format, toUtc);
    if (typeof leg === 'string') {
      q(leg);
      continue;
    }
    const id = get(L.id);
    const seen = byId.get(id);
    // §1: a record identical to one before it is a duplicate; other rows are legs.
    if (seen?.some((l) => l.line === line)) q('duplicate_row');
    else if (seen) seen.push(leg);
    else byId.set(id, [leg]);
  }

  const classes = Object.fromEntries([
    ['calls', 0],
    ...CALL_CLASSES.map((k) => [k, 0]),
  ]) as Reference['classes'];
  const calls = new Map<string, LoadedCall>();
  const tiers = new Map<string, number>();
  const readings = new Map<string, { review: boolean; alts: Set<string> }>();
  const sw = {
    legs: 0,
    duplicates: quarantined.duplicate_row ?? 0,
    no_account_calls: 0,
    calls_only_accounts: 0,
    non_number_caller_ids: 0,
    alphanumeric_caller_ids: 0,
    outside_line: 0,
    dial_string: 0,
    disposition_conflicts: 0,
    calls_only_account_codes: 0,
    extension_caller_ids: 0,
    leg_disposition_conflicts: 0,
    nonexistent_starts: 0,
    ambiguous_starts: 0,
    clock: zone,
  };
  const callsOnly = new Set<string>();
  for (const [id, legs] of byId) {
    const written = [...legs];
    const leg = decidingLeg(legs);
    const get = (i: number) => leg.f[i] ?? '';
    const code = get(L.acct);
    const account = code === '' ? '(none)' : code;
    // §3: the unknown account and accounts named only by calls have no country.
    const country = accounts.get(code) ?? '';
    const dialString = dialStringIn(leg.f, format);
    const presented = presentedIn(leg.f, format);
    const read = resolver.call(get(L.dial), presented, get(L.route), country, dialString);
    const res = read.dialled;
    const cls = resolver.classify(res, registered);
    classes.calls++;
    classes[cls]++;
    sw.legs += legs.length - 1;
    if (code === '') sw.no_account_calls++;
    else if (!accounts.has(code)) {
      callsOnly.add(code);
      sw.calls_only_accounts++;
    }
    if (givesNoNumber(presented, read.presented.e164 !== null)) {
      sw.non_number_caller_ids++;
      const kind = callerKind(presented);
      if (kind === 'alphanumeric') sw.alphanumeric_caller_ids++;
      if (kind === 'number') sw.extension_caller_ids++;
    }
    if (res.source === 'outside_line') sw.outside_line++;
    if (res.source === 'dial_string') sw.dial_string++;
    if (leg.conflict) sw.disposition_conflicts++;
    sw.leg_disposition_conflicts += legs.filter((l) => l !== leg && l.conflict).length;
    if (leg.startFlag === 'nonexistent') sw.nonexistent_starts++;
    if (leg.startFlag === 'ambiguous') sw.ambiguous_starts++;
    const victim = cls === 'victim';
    calls.set(id, {
      e164: res.e164,
      alt: res.alt,
      review: res.review,
      class: cls,
      victim,
      connected: leg.connected,
      conflict: leg.conflict,
      billsec: leg.billsec,
      start: leg.start,
      end: leg.end,
      startFlag: leg.startFlag,
      dialled: get(L.dial),
      dialString,
      source: res.source,
      presented,
      route: get(L.route),
      account,
      legs: legs.length,
      writtenAt: written.indexOf(leg),
    });
    if (!victim) continue;
    const e164 = res.e164!;
    const seen = readings.get(e164) ?? { review: true, alts: new Set<string>() };
    seen.review &&= res.review;
    if (res.alt) seen.alts.add(res.alt);
    readings.set(e164, seen);
    // §2: answered means connected; only a connected call's billed seconds count.
    const tier = !leg.connected ? 1 : leg.billsec >= 60 ? 3 : 2;
    if (tier > (tiers.get(e164) ?? 0)) tiers.set(e164, tier);
  }
  sw.calls_only_account_codes = callsOnly.size;
  let orphanCaptures = 0;
  for (const [id] of readCsv(path.join(dir, 'captures.csv'))) {
    const call = calls.get(id!);
    if (!call) orphanCaptures++;
    else if (call.victim) tiers.set(call.e164!, 4);
  }
  return {
    tiers: new Map([...tiers].map(([n, t]) => [n, TIER_ORDER[t]!])),
    readings,
    classes,
    quarantined,
    calls,
    orphanCaptures,
    columnCounts,
    switch: sw,
  };
}

/** A record's dial string: Asterisk's lastdata of a Dial. */
function dialStringIn(f: string[], format: CallsFormat): string {
  const L = LAYOUT[format];
  return L.app >= 0 && (f[L.app] ?? '').trim().toLowerCase() === 'dial' ? (f[L.data] ?? '') : '';
}

/** A row's checks (docs/seized-export.md): its leg, or the reason it is quarantined. */
function legOf(
  line: string,
  f: string[],
  get: (i: number) => string,
  format: CallsFormat,
  toUtc: ReturnType<typeof zoneReader>,
): Leg | string {
  const L = LAYOUT[format];
  const local = (text: string) => {
    const t = parseTime(text, format);
    return format === 'canonical' || Number.isNaN(t) ? { utc: t, flag: '' as const } : toUtc(t);
  };
  const start = local(get(L.start));
  const end = local(get(L.end));
  const answered = get(L.ans) !== '';
  const answer = answered ? local(get(L.ans)).utc : null;
  if (Number.isNaN(start.utc) || Number.isNaN(end.utc) || Number.isNaN(answer ?? 0)) {
    return 'bad_date';
  }
  const billsec = Number(get(L.bill));
  const duration = end.utc - start.utc;
  if (
    !(billsec >= 0) ||
    billsec > duration ||
    (answer !== null && (answer < start.utc || answer > end.utc))
  ) {
    return 'impossible_duration';
  }
  const peer = L.peer >= 0 ? get(L.peer) : '';
  const { connected, conflict } = connection(format, get(L.disp), answered, billsec, peer);
  return {
    line,
    f,
    start: start.utc,
    answer,
    end: end.utc,
    startFlag: start.flag,
    billsec,
    connected,
    conflict,
  };
}

/**
 * §1: legs ordered by start, answer (none last) and place in the file; the connected leg with
 * the most billed seconds decides, the first in order among equals, else the first leg.
 */
function decidingLeg(legs: Leg[]): Leg {
  const ordered = legs
    .map((l, i) => ({ l, i }))
    .sort(
      (a, b) =>
        a.l.start - b.l.start || (a.l.answer ?? Infinity) - (b.l.answer ?? Infinity) || a.i - b.i,
    )
    .map((x) => x.l);
  let best: Leg | null = null;
  for (const l of ordered) if (l.connected && (best === null || l.billsec > best.billsec)) best = l;
  return best ?? ordered[0]!;
}
