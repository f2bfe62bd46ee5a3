/**
 * Test helpers for the generator: read what it wrote and recompute the truth from the rows
 * alone, following the ingest's documented rules (docs/seized-export.md for what loads,
 * docs/numbers.md for how numbers read: the synth's resolver, without the generator's oracle,
 * so every reading is libphonenumber's). Test-only: production code never imports this.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallsFormat } from './callrows.ts';
import { generate, type SynthSummary } from './generate.ts';
import { CALL_CLASSES, kindOf, Resolver, type CallClass } from './resolve.ts';
import { memoryEffects } from '../shared/effects.ts';

export async function synthTo(calls: number, seed: number, format: CallsFormat = 'canonical') {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-synth-'));
  const summary = await generate({ out, calls, seed, callsFormat: format }, memoryEffects());
  return { out, summary };
}

/** Splits one CSV line (RFC 4180 quoting, no embedded line breaks). */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  out.push(field);
  return out;
}

/** Lines of a file (BOM and CR dropped); null for a line that is not valid UTF-8. */
export function readLines(file: string): (string | null)[] {
  const buf = fs.readFileSync(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces: Buffer[] = [];
  let start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (let i = start; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    pieces.push(buf.subarray(start, buf[i - 1] === 0x0d ? i - 1 : i));
    start = i + 1;
  }
  if (start < buf.length) pieces.push(buf.subarray(start));
  return pieces.map((b) => {
    try {
      return decoder.decode(b);
    } catch {
      return null;
    }
  });
}

export function readCsv(file: string, header = true): string[][] {
  const rows = readLines(file).map((l) => splitCsv(l ?? ''));
  return header ? rows.slice(1) : rows;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
export function parseTime(text: string, format: CallsFormat): number {
  const ok = format === 'canonical' ? ISO.test(text) : LOCAL.test(text);
  if (!ok) return NaN;
  const iso = format === 'canonical' ? text : `${text.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== iso.slice(0, 19)
    ? NaN
    : ms / 1000;
}

/** Columns of each calls format. */
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
  },
} as const;

export type Summary = SynthSummary;

/** UTC epoch seconds of a Europe/London wall time (via Intl, independent of time.ts). */
export function londonToUtc(localAsUtc: number): number {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    timeZoneName: 'shortOffset',
  });
  const offsetAt = (t: number) => {
    const name = fmt.formatToParts(new Date(t * 1000)).find((p) => p.type === 'timeZoneName');
    const m = /GMT([+-]\d+)?/.exec(name?.value ?? '');
    return m?.[1] ? Number(m[1]) * 3600 : 0;
  };
  return localAsUtc - offsetAt(localAsUtc - offsetAt(localAsUtc));
}

export interface LoadedCall {
  e164: string | null;
  /** The rejected reading of the dialled number. */
  alt: string | null;
  review: boolean;
  class: CallClass;
  victim: boolean;
  answered: boolean;
  billsec: number;
  start: number;
  end: number;
  dialled: string;
  presented: string;
  route: string;
  account: string;
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
}

const TIER_ORDER = ['', 'attempted', 'contacted', 'likely', 'harmed'];

/** Loads an export the way the docs say, and computes the victim tiers and call classes. */
export function reference(dir: string, format: CallsFormat): Reference {
  const L = LAYOUT[format];
  const accountRows = readCsv(path.join(dir, 'accounts.csv'));
  const accounts = new Map(accountRows.map((r) => [r[0]!, r[5]!]));
  const registered = new Set(accountRows.map((r) => r[3]!).filter(Boolean));
  const shipped = new URL('../brands/brands.csv', import.meta.url).pathname;
  const brandNumbers = [...readCsv(shipped), ...readCsv(path.join(dir, 'brands.csv'))].map(
    (r) => r[0]!,
  );
  const resolver = new Resolver(brandNumbers);
  const quarantined: Record<string, number> = {};
  const q = (reason: string) => (quarantined[reason] = (quarantined[reason] ?? 0) + 1);
  const classes = Object.fromEntries([
    ['calls', 0],
    ...CALL_CLASSES.map((k) => [k, 0]),
  ]) as Reference['classes'];
  const calls = new Map<string, LoadedCall>();
  const tiers = new Map<string, number>();
  const readings = new Map<string, { review: boolean; alts: Set<string> }>();
  const columnCounts = new Map<number, number>();
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
    if (calls.has(get(L.id))) {
      q('duplicate_call_id');
      continue;
    }
    const country = accounts.get(get(L.acct));
    if (country === undefined) {
      q('unknown_account');
      continue;
    }
    const start = parseTime(get(L.start), format);
    const end = parseTime(get(L.end), format);
    const answered = get(L.ans) !== '';
    if (
      Number.isNaN(start) ||
      Number.isNaN(end) ||
      (answered && Number.isNaN(parseTime(get(L.ans), format)))
    ) {
      q('bad_date');
      continue;
    }
    const billsec = Number(get(L.bill));
    if (!(billsec >= 0) || billsec > end - start) {
      q('impossible_duration');
      continue;
    }
    if (kindOf(get(L.dial)).kind === 'unparseable') {
      q('unparseable_number');
      continue;
    }
    const res = resolver.call(get(L.dial), get(L.pres), get(L.route), country).dialled;
    const cls = resolver.classify(res, registered);
    classes.calls++;
    classes[cls]++;
    const victim = cls === 'victim';
    const utc = (t: number) => (format === 'canonical' ? t : londonToUtc(t));
    calls.set(get(L.id), {
      e164: res.e164,
      alt: res.alt,
      review: res.review,
      class: cls,
      victim,
      answered,
      billsec,
      start: utc(start),
      end: utc(end),
      dialled: get(L.dial),
      presented: get(L.pres),
      route: get(L.route),
      account: get(L.acct),
    });
    if (!victim) continue;
    const e164 = res.e164!;
    const seen = readings.get(e164) ?? { review: true, alts: new Set<string>() };
    seen.review &&= res.review;
    if (res.alt) seen.alts.add(res.alt);
    readings.set(e164, seen);
    const tier = !answered ? 1 : billsec >= 60 ? 3 : 2;
    if (tier > (tiers.get(e164) ?? 0)) tiers.set(e164, tier);
  }
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
  };
}
