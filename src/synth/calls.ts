/**
 * Streams the calls file and captures.csv, session by session in start order, and records each
 * victim number's tier from the rows that load (corrupt rows never count). One row in
 * CORRUPT_EVERY is corrupt, the kinds in turn (see corrupt.ts).
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
import { CORRUPT_KINDS, corruptRow, type CorruptKind } from './corrupt.ts';
import { dialledForm } from './numbers.ts';
import {
  ANSWER_RATE,
  BRAND_DIAL_SHARE,
  CAPTURE_SHARE,
  CORRUPT_EVERY,
  DEST_SHARES,
  IVR_DESTINATIONS,
  IVR_SHARE,
  LONG_CALL_SHARE,
  OWN_NUMBER_SHARE,
  VICTIM_SKEW,
} from './params.ts';
import { TIER, type Pool } from './pools.ts';
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

export interface CallsSummary {
  rows: number;
  loaded: number;
  captures: number;
  corrupt: Record<CorruptKind, number>;
  lastCallId: string;
}

const CAPTURE_KINDS = new Weighted([
  ['otp', 0.6],
  ['pin', 0.15],
  ['card', 0.15],
  ['other', 0.1],
] as const);

/** Route names per destination; `uk` means GB. Routes without a country per format. */
const COUNTRY_ROUTES = (c: string) =>
  c === 'GB' ? ['out-gb', 'gb', 'uk', 'out-uk'] : [`out-${c.toLowerCase()}`, c.toLowerCase()];
const NO_COUNTRY_ROUTES: Record<CallsFormat, string[]> = {
  canonical: ['', 'default', 'from-internal'],
  asterisk: ['from-internal', 'default'],
  freeswitch: ['default', 'public'],
};
const ROUTE_COUNTRY = (route: string) => {
  const token = route.split(/[-_.:/ ]/).pop() ?? '';
  return token === 'uk' ? 'GB' : /^[a-z]{2}$/.test(token) ? token.toUpperCase() : '';
};

export async function writeCalls(input: CallsInput): Promise<CallsSummary> {
  const { format, clock, accounts, sessions, pools, calls, captures } = input;
  const r = new Rng(input.seed, 'calls');
  const dests = new Weighted(DEST_SHARES);
  const destList = DEST_SHARES.map(([c]) => c);
  const brandsOf = new Map(destList.map((c) => [c, input.brands.filter((b) => b.country === c)]));
  const ownNumbers = ownNumbersByAccount(accounts);
  const noCountry = accounts.filter((a) => a.country === '');
  const corrupt = Object.fromEntries(CORRUPT_KINDS.map((k) => [k, 0])) as Record<
    CorruptKind,
    number
  >;
  if (format === 'canonical') calls.line(CANONICAL_HEADER);
  captures.line('call_id,captured_at,kind');
  let seq = 0;
  let rows = 0;
  let loaded = 0;
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
  for (let s = 0; s < sessions.count && rows < input.total; s++) {
    const si = sessions.order[s]!;
    const account = accounts[sessions.account[si]!]!;
    const dest = dests.draw(r);
    const pool = pools.get(dest)!;
    // Route: the destination's country, another country, or none.
    const ru = r.float();
    const route =
      ru < 0.45
        ? r.pick(COUNTRY_ROUTES(dest))
        : ru < 0.5
          ? r.pick(COUNTRY_ROUTES(r.pick(destList)))
          : r.pick(NO_COUNTRY_ROUTES[format]);
    // Caller ID: a brand of the destination country, a spoofed local number, or anonymous.
    const pu = r.float();
    const brand = pu < 0.72 ? r.pick(brandsOf.get(dest)!) : null;
    const spoofed = !brand && pu < 0.9 ? r.pick(pool.spoofed) : null;
    const presented = brand?.number ?? spoofed ?? 'anonymous';
    const presentedName = brand?.brand ?? (spoofed ? '' : 'Anonymous');
    const presentedCountry = brand ? brand.numberCountry : spoofed ? dest : '';
    const routeCountry = ROUTE_COUNTRY(route);
    const ctx = routeCountry || presentedCountry || account.country;
    const size = sessions.size[si]!;
    const spacing = sessions.spacing[si]!;
    for (let j = 0; j < size && rows < input.total; j++) {
      row.seq = seq++;
      // Corrupt rows change these: reset them for every call.
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
      const own = ownNumbers.get(account.index);
      if (du < OWN_NUMBER_SHARE && own) {
        const n = r.pick(own);
        row.dialled = dialledForm(r, n.number, n.country, ctx);
      } else if (du < OWN_NUMBER_SHARE + BRAND_DIAL_SHARE) {
        const b = r.pick(input.brands);
        row.dialled = dialledForm(r, b.number, b.numberCountry || dest, '#');
      } else if (du < OWN_NUMBER_SHARE + BRAND_DIAL_SHARE + IVR_SHARE) {
        row.route = r.pick(COUNTRY_ROUTES(dest));
        row.dialled = r.pick(IVR_DESTINATIONS);
      } else {
        victim = Math.floor(pool.victims.length * Math.pow(r.float(), VICTIM_SKEW));
        row.dialled = dialledForm(r, pool.victims[victim]!, dest, ctx);
      }
      outcome(r, row);
      if (rows === corruptAt) {
        const kind = CORRUPT_KINDS[Math.floor(corruptAt / CORRUPT_EVERY) % CORRUPT_KINDS.length]!;
        corruptAt += CORRUPT_EVERY - (corruptAt % CORRUPT_EVERY) + r.int(0, CORRUPT_EVERY - 1);
        const text = corruptRow(kind, {
          r,
          format,
          clock,
          row,
          saved,
          accounts,
          noCountry,
          pool,
          dest,
        });
        corrupt[text.kind]++;
        if (typeof text.line === 'string') {
          if (calls.line(text.line)) await calls.flush();
        } else await calls.bytes(text.line);
        rows++;
        continue;
      }
      const line = joinFields(format, callFields(format, row, clock, r));
      if (calls.line(line)) await calls.flush();
      rows++;
      loaded++;
      if (rows % 97 === 0) saved = line;
      if (rows % 50_000 === 0) input.progress.tick(rows);
      if (victim < 0) continue;
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
  return { rows, loaded, captures: captures.lines - 1, corrupt, lastCallId };
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
