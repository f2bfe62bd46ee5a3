/**
 * A switch file's own clocks (docs/switch-records.md §6). Switch times are local, but most
 * records also carry a UTC clock: Asterisk's uniqueid `[system-]EPOCH.N` (the second its channel
 * was made) and a FreeSWITCH time-based (version 1 or 7) UUID. A record's local start minus its
 * clock is the offset the server wrote it in, plus the record's delay: nothing for most
 * records, minutes for a later leg of a channel (a queue leg, a transfer), never much below
 * nothing (see `Fit`). Enough to check a declared zone, or to choose one (`--timezone auto`).
 * Zone arithmetic is Intl's.
 */
import fs from 'node:fs';
import { UnspoofError } from '../shared/errors.ts';
import type { FilePlan } from './plan.ts';
import { layoutOf, localSeconds, splitFields } from './switch-formats.ts';

const QUARTER = 900;
const HOUR = 3600;
/** No zone is further from UTC than +14:00 (Kiribati): a larger gap is not a clock of the start. */
const MAX_OFFSET = 14 * HOUR + QUARTER / 2;
/**
 * How a record's start may stand to its clock in the zone it was written in. Its delay is its
 * start (as a UTC second, in that zone) minus its clock. A first leg starts at its clock: its
 * delay is within ON_TIME either side (clock skew between the two, a minute or two). A later
 * leg of a channel, say a queue leg whose channel was made while the caller waited, starts up
 * to LATE after its clock; no record starts more than EARLY before its clock. LATE is under an
 * hour, so that a zone an hour off (across a change of the clocks) never fits by calling the
 * records of a season late.
 */
const EARLY = 2 * 60;
const ON_TIME = 2 * 60;
const LATE = 45 * 60;

// ---------------------------------------------------------------------------------------------
// Zones

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at UTC second `epoch`, in seconds. */
export function offsetAt(zone: string, epoch: number): number {
  let f = formatters.get(zone);
  if (!f) {
    // `longOffset` names the offset itself (`GMT+05:30`, `GMT` for none): formatting it is
    // about twice as fast as taking a date apart with formatToParts.
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, f);
  }
  const m = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(f.format(new Date(epoch * 1000)));
  if (!m?.[1]) return 0;
  const s = Number(m[2]) * HOUR + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -s : s;
}

/** `+05:30`, `-04:00`, `+00:00`. */
export function formatOffset(seconds: number): string {
  const a = Math.abs(seconds);
  const two = (x: number) => String(x).padStart(2, '0');
  return `${seconds < 0 ? '-' : '+'}${two(Math.floor(a / HOUR))}:${two(Math.floor((a % HOUR) / 60))}`;
}

interface OffsetChange {
  /** The first UTC second of the new offset. */
  at: number;
  from: number;
  to: number;
}

/**
 * Every change of the zone's offset in [from, to] (UTC seconds): looked for every twelve
 * hours, then to the second. (No zone has changed its offset twice within twelve hours.)
 */
export function offsetChanges(zone: string, from: number, to: number): OffsetChange[] {
  const STEP = 12 * HOUR;
  const out: OffsetChange[] = [];
  let t = from;
  let off = offsetAt(zone, t);
  while (t < to) {
    const next = Math.min(t + STEP, to);
    if (offsetAt(zone, next) === off) {
      t = next;
      continue;
    }
    let lo = t;
    let hi = next;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === off) lo = mid;
      else hi = mid;
    }
    const now = offsetAt(zone, hi);
    out.push({ at: hi, from: off, to: now });
    off = now;
    t = hi;
  }
  return out;
}

export interface LocalTransition {
  kind: 'nonexistent' | 'ambiguous';
  /** Local wall-clock times, `YYYY-MM-DD HH:MM:SS`: the interval is [start, end). */
  start: string;
  end: string;
}

const transitionCache = new Map<string, LocalTransition[]>();

/**
 * The local wall-clock intervals a zone skips (clocks go forward: `nonexistent`) or repeats
 * (clocks go back: `ambiguous`) in the years from `fromYear` to `toYear`, by the local time
 * each starts. Europe/London 2024: nonexistent 2024-03-31 01:00:00–02:00:00, ambiguous
 * 2024-10-27 01:00:00–02:00:00.
 */
export function localTransitions(
  zone: string,
  fromYear: number,
  toYear: number,
): LocalTransition[] {
  const key = `${zone}|${fromYear}|${toYear}`;
  const cached = transitionCache.get(key);
  if (cached) return cached;
  const from = Date.UTC(fromYear, 0, 1) / 1000 - 86_400;
  const to = Date.UTC(toYear + 1, 0, 1) / 1000 + 86_400;
  const wall = (s: number) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const out = offsetChanges(zone, from, to)
    .map((ch): LocalTransition => ({
      kind: ch.to > ch.from ? 'nonexistent' : 'ambiguous',
      start: wall(ch.at + Math.min(ch.from, ch.to)),
      end: wall(ch.at + Math.max(ch.from, ch.to)),
    }))
    .filter((t) => {
      const year = Number(t.start.slice(0, 4));
      return year >= fromYear && year <= toYear;
    });
  transitionCache.set(key, out);
  return out;
}

/** Where `auto` looks first, after UTC and the home country's zones (then every zone A–Z). */
const PREFERRED = [
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Amsterdam',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Europe/Dublin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Warsaw',
  'Europe/Athens',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'America/Toronto',
  'America/Phoenix',
  'America/Sao_Paulo',
  'Africa/Lagos',
  'Africa/Johannesburg',
  'Pacific/Auckland',
];

const canonicalNames = new Map<string, string>();
/** Intl's own name of a zone (Asia/Kolkata and Asia/Calcutta are one zone). */
function canonical(zone: string): string {
  let c = canonicalNames.get(zone);
  if (c === undefined) {
    c = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    canonicalNames.set(zone, c);
  }
  return c;
}

/** A country's zones as Intl knows them (`und-GB` → Europe/London), if it does. */
function countryZones(country: string | undefined): string[] {
  if (!country) return [];
  try {
    const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & {
      getTimeZones?: () => string[];
      timeZones?: string[];
    };
    return locale.getTimeZones?.() ?? locale.timeZones ?? [];
  } catch {
    return [];
  }
}

/**
 * The zones `auto` tries, in order: UTC, the home country's (those of the preferred list first),
 * the preferred list, then every zone Intl knows, A–Z; and the first three groups, the zones a
 * close call is checked against.
 */
function candidateZones(country: string | undefined): { ordered: string[]; likely: Set<string> } {
  const rank = (z: string) => {
    const i = PREFERRED.findIndex((p) => canonical(p) === canonical(z));
    return i < 0 ? PREFERRED.length : i;
  };
  const home = countryZones(country)
    .map((z) => PREFERRED.find((p) => canonical(p) === canonical(z)) ?? z)
    .sort((a, b) => rank(a) - rank(b));
  const likely = ['UTC', ...home, ...PREFERRED];
  const seen = new Set<string>();
  const ordered: string[] = [];
  for (const z of [...likely, ...Intl.supportedValuesOf('timeZone')]) {
    const c = canonical(z);
    if (seen.has(c)) continue;
    seen.add(c);
    ordered.push(z);
  }
  return { ordered, likely: new Set(likely) };
}

// ---------------------------------------------------------------------------------------------
// A file's clocks

/**
 * The UTC second a clock value holds, else null: an Asterisk uniqueid; a time-based UUID, as
 * FreeSWITCH made them until 2022 (version 1, APR's) and makes them with `uuid-version` 7
 * (since 2025; version 4, random, is its default).
 */
export function clockSeconds(value: string): number | null {
  const asterisk = /^(?:.+-)?(\d{9,10})\.\d+$/.exec(value);
  if (asterisk) return Number(asterisk[1]);
  // Version 7: the first 48 bits are UNIX milliseconds.
  const v7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.exec(
    value,
  );
  if (v7) return Math.floor(parseInt(`${v7[1]}${v7[2]}`, 16) / 1000);
  const v1 = /^([0-9a-f]{8})-([0-9a-f]{4})-1([0-9a-f]{3})-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.exec(
    value,
  );
  if (!v1) return null;
  // 100-ns intervals since 1582-10-15, the Gregorian reform; 12,219,292,800 s before 1970.
  const ticks =
    (BigInt(`0x${v1[3]}`) << 48n) | (BigInt(`0x${v1[2]}`) << 32n) | BigInt(`0x${v1[1]}`);
  return Number(ticks / 10_000_000n) - 12_219_292_800;
}

export interface ClockReading {
  /** The UTC second of the record's clock. */
  clock: number;
  /** The record's local start as written, read as if it were UTC. */
  local: number;
  /**
   * local − clock, to the nearest quarter hour: the offset the server wrote the time in if the
   * record started at its clock (for messages; a zone fits by the rule of `Fit`).
   */
  offset: number;
}

const EDGE = 64 * 1024;
const MIDDLE = 16 * 1024;
const MIDDLES = 8;

/**
 * Records of a CSV for sniffing (never loading): its first and last 64 KiB and 16 KiB at eight
 * places between, so that a file of many months is seen in more than two seasons. Lines cut
 * by a window's edge are dropped; a record with quoted newlines splits into lines of the wrong
 * width, which callers skip.
 */
export function sampleRecords(file: string, delimiter = ','): string[][] {
  const size = fs.statSync(file).size;
  const windows: Array<[number, number]> = [[0, EDGE]];
  for (let i = 1; i <= MIDDLES; i++) {
    const mid = Math.floor((size * i) / (MIDDLES + 1));
    windows.push([mid - MIDDLE / 2, mid + MIDDLE / 2]);
  }
  windows.push([size - EDGE, size]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of windows.map(([a, b]) => [Math.max(0, a), Math.min(size, b)] as const)) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else if (b > a) merged.push([a, b]);
  }
  const out: string[][] = [];
  const fd = fs.openSync(file, 'r');
  try {
    for (const [a, b] of merged) {
      const buf = Buffer.alloc(b - a);
      const n = fs.readSync(fd, buf, 0, buf.length, a);
      const lines = buf.subarray(0, n).toString('latin1').split(/\r?\n/);
      if (a > 0) lines.shift();
      if (b < size) lines.pop();
      if (a === 0 && lines[0]) lines[0] = lines[0].replace(/^\xef\xbb\xbf/, '');
      for (const l of lines) if (l.length > 0) out.push(splitFields(l, delimiter));
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/**
 * The clocks of a switch file's sampled records, one per call id (its earliest start: a later
 * leg of the same channel starts after its channel was made; a sample can still hold a later
 * leg without its first, which `Fit` allows as late). None for other files.
 */
export function readClocks(plan: FilePlan): ClockReading[] {
  const layout = layoutOf(plan.format);
  if (!layout) return [];
  const width = plan.columns.length;
  const first = new Map<string, { clock: number; local: number }>();
  for (const r of sampleRecords(plan.path, plan.delimiter)) {
    if (r.length !== width) continue;
    const id = r[layout.clock - 1] ?? '';
    const clock = clockSeconds(id);
    const local = localSeconds(r[layout.times[0] - 1] ?? '', plan.timestampFormat);
    if (clock === null || local === null) continue;
    const prev = first.get(id);
    if (!prev || local < prev.local) first.set(id, { clock, local });
  }
  return [...first.values()]
    .filter((r) => r.local - r.clock >= -MAX_OFFSET && r.local - r.clock <= MAX_OFFSET + LATE)
    .map((r) => ({ ...r, offset: Math.round((r.local - r.clock) / QUARTER) * QUARTER }));
}

/**
 * How records fit a zone. A record fits when, with an offset the zone had between its clock
 * and LATE after, its delay (start − clock) is from EARLY before its clock to LATE after, and
 * the zone had that offset when the record started: on time within ON_TIME either side, else
 * late. A file fits when every record does and, for each offset the zone had at its records
 * (each season), more than half of those records are on time: late legs are the exception, so
 * a zone 15 to 45 minutes behind the file's, all year or for a season, does not fit by calling
 * every record late (Australia/Sydney's winter is Lord Howe's less half an hour).
 */
class Fit {
  private readonly memo = new Map<string, number>();

  private at(zone: string, quarter: number): number {
    const key = `${zone}|${quarter}`;
    let o = this.memo.get(key);
    if (o === undefined) {
      o = offsetAt(zone, quarter * QUARTER);
      this.memo.set(key, o);
    }
    return o;
  }

  /** The record's delay in the zone and the offset it was written with, or null: no fit. */
  delay(zone: string, r: ClockReading): { delay: number; offset: number } | null {
    let best: { delay: number; offset: number } | null = null;
    // At most one change of the offset within 12 hours: the two ends give every offset.
    for (const t of [r.clock - EARLY, r.clock + LATE]) {
      const offset = this.at(zone, Math.floor(t / QUARTER));
      const delay = r.local - r.clock - offset;
      if (delay < -EARLY || delay > LATE) continue;
      if (this.at(zone, Math.floor((r.clock + delay) / QUARTER)) !== offset) continue;
      if (!best || Math.abs(delay) < Math.abs(best.delay)) best = { delay, offset };
    }
    return best;
  }

  onTime(zone: string, r: ClockReading): boolean {
    const d = this.delay(zone, r);
    return d !== null && Math.abs(d.delay) <= ON_TIME;
  }

  /**
   * The zones of `zones` that fit the readings, with how many readings are on time in each:
   * most on time first, else in their order.
   */
  ranked(
    zones: readonly string[],
    readings: readonly ClockReading[],
  ): Array<{ zone: string; onTime: number }> {
    const out: Array<{ zone: string; onTime: number }> = [];
    for (const zone of zones) {
      // Per offset of the zone: [records, on time].
      const seasons = new Map<number, [number, number]>();
      let fits = true;
      for (const r of readings) {
        const d = this.delay(zone, r);
        if (!d) {
          fits = false;
          break;
        }
        const s = seasons.get(d.offset) ?? [0, 0];
        s[0] += 1;
        if (Math.abs(d.delay) <= ON_TIME) s[1] += 1;
        seasons.set(d.offset, s);
      }
      if (!fits || [...seasons.values()].some(([n, on]) => on * 2 <= n)) continue;
      out.push({ zone, onTime: [...seasons.values()].reduce((a, [, on]) => a + on, 0) });
    }
    // Array sort is stable: ties keep the candidates' order.
    return out.sort((a, b) => b.onTime - a.onTime);
  }
}

/** The offsets readings show, most frequent first: `+00:00` or `+00:00, +01:00`. */
function offsetsShown(offsets: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const o of offsets) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([o]) => formatOffset(o))
    .join(', ');
}

const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

/** The first UTC second in [from, to] at which two zones' offsets differ, or null. */
function firstDifference(a: string, b: string, from: number, to: number): number | null {
  const instants = [
    from,
    ...offsetChanges(a, from, to).map((c) => c.at),
    ...offsetChanges(b, from, to).map((c) => c.at),
  ].sort((x, y) => x - y);
  return instants.find((t) => offsetAt(a, t) !== offsetAt(b, t)) ?? null;
}

type Inferred = { zone: string } | { problem: string };

/**
 * The zone of a file's clocks: of the candidates that fit it (`Fit`), the one with the most
 * records on time, the first of those; refused when a likely rival (UTC, the home country's,
 * the preferred list) fits with as many on time but gives other offsets between the file's
 * first and last sampled record (a London file sampled only in winter fits UTC as well).
 */
export function inferZone(readings: readonly ClockReading[], country?: string): Inferred {
  const { ordered, likely } = candidateZones(country);
  const fit = new Fit().ranked(ordered, readings);
  const best = fit[0];
  if (!best) {
    return {
      problem: `its clocks show local times at ${offsetsShown(readings.map((r) => r.offset))} from UTC, which no one time zone had at those dates (a record starts at its clock or up to ${LATE / 60} minutes after it, most of them at it, and none more than ${EARLY / 60} minutes before it)`,
    };
  }
  const zone = best.zone;
  const from = Math.min(...readings.map((r) => r.clock));
  const to = Math.max(...readings.map((r) => r.clock));
  const rivals = fit.slice(1).filter((z) => z.onTime === best.onTime && likely.has(z.zone));
  for (const { zone: rival } of rivals) {
    const t = firstDifference(zone, rival, from, to);
    if (t !== null) {
      return {
        problem: `its clocks fit both ${zone} and ${rival}, which differ from ${day(t)} within the file's dates (${day(from)} to ${day(to)}), and the sampled records do not tell them apart`,
      };
    }
  }
  return { zone };
}

/** Why a local-time file has no clocks to read, by what its clock column would have held. */
function noClocks(plan: FilePlan): string {
  const layout = layoutOf(plan.format);
  if (!layout) return 'it is mapped, and a mapped file has no clocks unspoof reads';
  const what =
    layout.clockName === 'uuid'
      ? "a time-based UUID, version 1 or 7; version 4 UUIDs, FreeSWITCH's default, hold no time"
      : 'an Asterisk uniqueid, [system-]EPOCH.N';
  return `it has no clocks: no sampled ${layout.clockName} (column ${layout.clock}) holds a UTC time within 14 hours of its start (${what})`;
}

export interface ZoneInput {
  /** A zone given by --timezone or export.json (checked), or null. */
  declared: string | null;
  /** `--timezone auto` (or "timezone": "auto"): each switch file's zone from its clocks. */
  auto: boolean;
  /** The home country, whose zones `auto` prefers. */
  country?: string | undefined;
  /** Where a zone can be declared, for messages: the export's export.json. */
  manifest: string;
}

export interface ZoneChoice {
  /** The zone of every local-time file when they share one (the declared zone), else null. */
  timezone: string | null;
  /** Declared zones the files' clocks disagree with, one message each. */
  warnings: string[];
}

/**
 * Gives every local-time file its zone (`plan.timezone`): the declared one, checked against
 * the file's clocks (a warning when most disagree), or with `auto` the one its clocks show.
 * Stops with TIMEZONE_REQUIRED when there is none.
 */
export function chooseZones(plans: readonly FilePlan[], input: ZoneInput): ZoneChoice {
  const local = plans.filter((p) => p.localTime);
  if (local.length === 0) return { timezone: input.declared, warnings: [] };
  if (!input.declared && !input.auto) {
    const names = local.map((p) => p.name);
    throw new UnspoofError(
      'TIMEZONE_REQUIRED',
      `${names.join(', ')} ${names.length === 1 ? 'holds' : 'hold'} the seized server's local time: give --timezone (e.g. --timezone Europe/London, or --timezone auto to read it from the files' own clocks) or a "timezone" in ${input.manifest}`,
    );
  }
  const warnings: string[] = [];
  const problems: string[] = [];
  for (const plan of local) {
    const readings = readClocks(plan);
    if (input.declared) {
      plan.timezone = input.declared;
      const w = checkDeclared(plan, input.declared, readings, input.country);
      if (w) warnings.push(w);
      continue;
    }
    const inferred: Inferred = readings.length
      ? inferZone(readings, input.country)
      : { problem: noClocks(plan) };
    if ('zone' in inferred) plan.timezone = inferred.zone;
    else problems.push(`${plan.name}: ${inferred.problem}`);
  }
  if (problems.length > 0) {
    throw new UnspoofError(
      'TIMEZONE_REQUIRED',
      [
        `--timezone auto reads each switch file's zone from its own clocks, and cannot for:`,
        ...problems.map((p) => `  ${p}`),
        `give the zone with --timezone (e.g. --timezone Europe/London) or a "timezone" in ${input.manifest}`,
      ].join('\n'),
    );
  }
  const zones = new Set(local.map((p) => p.timezone));
  const [only] = zones;
  return { timezone: input.declared ?? (zones.size === 1 ? (only ?? null) : null), warnings };
}

/**
 * A warning when most of a file's clocks disagree with the declared zone (are not on time in
 * it: a late leg is the exception, so a file whose records are mostly late is not the zone's),
 * else null.
 */
function checkDeclared(
  plan: FilePlan,
  zone: string,
  readings: readonly ClockReading[],
  country: string | undefined,
): string | null {
  const fit = new Fit();
  const off = readings.filter((r) => !fit.onTime(zone, r));
  if (off.length * 2 <= readings.length) return null;
  const fitting = fit.ranked(candidateZones(country).ordered, readings).map((z) => z.zone);
  const theirs = offsetsShown(off.map((r) => offsetAt(zone, r.clock)));
  const clock = layoutOf(plan.format)?.clockName ?? 'clock';
  return `${plan.name}: its own clocks (${clock}) disagree with the declared time zone ${zone}: in ${off.length} of ${readings.length} sampled calls the local start is ${offsetsShown(off.map((r) => r.offset))} from UTC, where ${zone} is ${theirs}. Zones that fit its clocks: ${fitting.length ? fitting.slice(0, 5).join(', ') + (fitting.length > 5 ? ', …' : '') : 'none'}. The ingest goes on in ${zone}; if that is not the server's zone, ingest into a new case with --timezone ${fitting[0] ?? 'ZONE'} (or --timezone auto)`;
}
