/**
 * One leg of a call as a row of each calls format: canonical calls.csv, Asterisk cdr_csv
 * Master.csv, FreeSWITCH cdr-csv Master.csv. Call ids: canonical `c000000123`; Asterisk uniqueid
 * `<UTC start epoch>.<sequence>`; FreeSWITCH a time-based (version 1) UUID holding the UTC start
 * for most calls (the clock check of docs/switch-records.md §6 reads it), else a v4-shaped one.
 * Either way the last 12 hex digits are a bijection of the sequence number, so ids never collide.
 */
import type { Rng } from './rng.ts';
import type { Clock } from './time.ts';
import { csvField, quotedField } from './writers.ts';

export type CallsFormat = 'canonical' | 'asterisk' | 'freeswitch';

export const CANONICAL_HEADER =
  'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';

/** 0 answered, 1 no answer, 2 busy, 3 failed, 4 congestion: the disposition written. */
export type Outcome = 0 | 1 | 2 | 3 | 4;
export const DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION'];
/**
 * FreeSWITCH writes a hangup cause, not a disposition: answered calls end NORMAL_CLEARING (a
 * cause never says whether a call connected: its answer time does, §2), the others by cause.
 */
const CAUSES = [
  ['NORMAL_CLEARING'],
  ['NO_ANSWER', 'ORIGINATOR_CANCEL', 'NO_USER_RESPONSE'],
  ['USER_BUSY'],
  ['CALL_REJECTED', 'NO_ROUTE_DESTINATION'],
  ['NORMAL_CIRCUIT_CONGESTION'],
];
const CODECS = ['PCMA', 'PCMU', 'G729'];

export interface CallRow {
  seq: number;
  id: string;
  account: string;
  /** The caller ID presented (Asterisk: inside clid's angle brackets). */
  presented: string;
  presentedName: string;
  /** Asterisk src when it is not the caller ID: the caller's own extension (§4). */
  src: string | null;
  dialled: string;
  route: string;
  start: number;
  /** When the callee answered; -1 when not answered. */
  answer: number;
  /** The answer time is left out of the record (an ANSWERED row without one: §2). */
  hideAnswer: boolean;
  end: number;
  billsec: number;
  outcome: Outcome;
  /** The disposition as written when not DISPOSITIONS[outcome] (canonical case variants). */
  dispo: string | null;
  /** Connected by docs/switch-records.md §2 (the truth's, never written as such). */
  connected: boolean;
  /** The record contradicts itself (§2): an answer time or billsec with BUSY, … */
  conflict: boolean;
  /** The leg's place among its call's legs as generated (0: the deciding one). */
  leg: number;
  /** Asterisk lastapp and lastdata; '' lastdata: `SIP/carrier/<dst>,60`. */
  lastApp: string;
  lastData: string;
  /** Replaces the start timestamp text (bad-date rows, nonexistent local times). */
  startText: string | null;
}

/** A fresh row (the generator reuses one per leg). */
export function newRow(): CallRow {
  return {
    seq: 0,
    id: '',
    account: '',
    presented: '',
    presentedName: '',
    src: null,
    dialled: '',
    route: '',
    start: 0,
    answer: -1,
    hideAnswer: false,
    end: 0,
    billsec: 0,
    outcome: 1,
    dispo: null,
    connected: false,
    conflict: false,
    leg: 0,
    lastApp: 'Dial',
    lastData: '',
    startText: null,
  };
}

/** The dial string a row's record holds (Asterisk lastdata of a Dial), '' for none. */
export function dialStringOf(format: CallsFormat, c: CallRow): string {
  if (format !== 'asterisk' || c.lastApp !== 'Dial') return '';
  return c.lastData || `SIP/carrier/${c.dialled},60`;
}

/** Marks where raw invalid bytes go in a row (never in generated text otherwise). */
export const BAD_BYTES_MARK = '\u0001';

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');

/** Last 12 hex digits of a UUID: a bijection of `n` (< 2^48). */
function mixed48(n: number): string {
  const lo = Math.imul(n % 0x1000000, 0x2f6b5d) & 0xffffff;
  const hi = Math.imul(Math.floor(n / 0x1000000) ^ (lo >>> 4), 0x3c6ef3) & 0xffffff;
  return hex(hi, 6) + hex(lo, 6);
}

export function uuid(r: Rng, n: number): string {
  const a = hex(r.int(0, 0xffffff), 6);
  const b = hex(r.int(0, 0xffffff), 6);
  const c = hex(r.int(0, 0xffffff), 6);
  const variant = '89ab'[r.int(0, 3)];
  return `${a}${b.slice(0, 2)}-${b.slice(2)}-4${c.slice(0, 3)}-${variant}${c.slice(3)}-${mixed48(n)}`;
}

/** 100 ns intervals from 1582-10-15 (the UUID epoch) to 1970-01-01. */
const GREGORIAN = 0x01b21dd213814000n;

/** A version 1 UUID at UTC second `t` (a random 100 ns within it). */
export function uuidV1(r: Rng, n: number, t: number): string {
  const ticks = BigInt(t) * 10_000_000n + BigInt(r.int(0, 9_999_999)) + GREGORIAN;
  const h = ticks.toString(16).padStart(15, '0');
  const clockSeq = hex(0x8000 | r.int(0, 0x3fff), 4);
  return `${h.slice(7)}-${h.slice(3, 7)}-1${h.slice(0, 3)}-${clockSeq}-${mixed48(n)}`;
}

/** Share of FreeSWITCH calls whose uuid is time-based (version 1). */
const V1_SHARE = 0.8;

export function callId(format: CallsFormat, r: Rng, seq: number, start: number): string {
  if (format === 'canonical') return `c${String(seq).padStart(9, '0')}`;
  if (format === 'asterisk') return `${start}.${seq}`;
  return r.chance(V1_SHARE) ? uuidV1(r, seq * 2, start) : uuid(r, seq * 2);
}

/** The fields of a row, in the format's column order. */
export function callFields(format: CallsFormat, c: CallRow, clock: Clock, r: Rng): string[] {
  const answered = c.answer >= 0 && !c.hideAnswer;
  const disposition = c.dispo ?? DISPOSITIONS[c.outcome]!;
  if (format === 'canonical') {
    return [
      c.id,
      c.account,
      c.presented,
      c.dialled,
      c.route,
      c.startText ?? clock.iso(c.start),
      answered ? clock.iso(c.answer) : '',
      clock.iso(c.end),
      String(c.billsec),
      disposition,
    ];
  }
  const start = c.startText ?? clock.local(c.start);
  const answer = answered ? clock.local(c.answer) : '';
  const end = clock.local(c.end);
  const duration = String(c.end - c.start);
  if (format === 'asterisk') {
    return [
      c.account,
      c.src ?? c.presented,
      c.dialled,
      c.route,
      `"${c.presentedName}" <${c.presented}>`,
      `SIP/trunk-${hex((c.seq * 2) % 0x100000000, 8)}`,
      // A forked dial's legs ring other channels (§1).
      c.outcome === 3 || c.lastApp !== 'Dial'
        ? ''
        : `SIP/carrier${c.leg > 0 ? c.leg + 1 : ''}-${hex((c.seq * 2 + 1) % 0x100000000, 8)}`,
      c.lastApp,
      c.lastApp === 'Dial' ? dialStringOf(format, c) : c.lastData,
      start,
      answer,
      end,
      duration,
      String(c.billsec),
      disposition,
      'DOCUMENTATION',
      c.id,
      '',
    ];
  }
  const codec = r.pick(CODECS);
  return [
    c.presentedName,
    c.presented,
    c.dialled,
    c.route,
    start,
    answer,
    end,
    duration,
    String(c.billsec),
    r.pick(CAUSES[c.outcome]!),
    c.id,
    c.outcome === 3 ? '' : uuid(r, c.seq * 2 + 1),
    c.account,
    codec,
    codec,
  ];
}

/** Index of the field that carries raw invalid bytes in invalid-UTF-8 rows. */
export function badBytesField(format: CallsFormat): number {
  return format === 'canonical' ? 4 : format === 'asterisk' ? 4 : 0;
}

export function joinFields(format: CallsFormat, fields: string[]): string {
  return format === 'canonical'
    ? fields.map(csvField).join(',')
    : fields.map(quotedField).join(',');
}

/** A joined row as bytes, with 0xFF 0xFE where BAD_BYTES_MARK is. */
export function withBadBytes(line: string): Buffer {
  const [before, after] = line.split(BAD_BYTES_MARK);
  return Buffer.concat([
    Buffer.from(before ?? ''),
    Buffer.from([0xff, 0xfe]),
    Buffer.from(after ?? ''),
  ]);
}
