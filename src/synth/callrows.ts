/**
 * One call as a row of each calls format: canonical calls.csv, Asterisk cdr_csv Master.csv,
 * FreeSWITCH cdr-csv Master.csv. Call ids: canonical `c000000123`; Asterisk uniqueid
 * `<start epoch>.<sequence>`; FreeSWITCH a v4-shaped UUID whose last 12 hex digits are a
 * bijection of the sequence number (so ids never collide).
 */
import type { Rng } from './rng.ts';
import type { Clock } from './time.ts';
import { csvField, quotedField } from './writers.ts';

export type CallsFormat = 'canonical' | 'asterisk' | 'freeswitch';

export const CANONICAL_HEADER =
  'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';

/** 0 answered, 1 no answer, 2 busy, 3 failed. */
export type Outcome = 0 | 1 | 2 | 3;
const DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED'];
const CAUSES = [
  ['NORMAL_CLEARING'],
  ['NO_ANSWER', 'ORIGINATOR_CANCEL'],
  ['USER_BUSY'],
  ['CALL_REJECTED', 'NO_ROUTE_DESTINATION'],
];
const CODECS = ['PCMA', 'PCMU', 'G729'];

export interface CallRow {
  seq: number;
  id: string;
  account: string;
  presented: string;
  presentedName: string;
  dialled: string;
  route: string;
  start: number;
  /** -1 when not answered. */
  answer: number;
  end: number;
  billsec: number;
  outcome: Outcome;
  /** Replaces the start timestamp text (bad-date rows). */
  startText: string | null;
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

export function callId(format: CallsFormat, r: Rng, seq: number, start: number): string {
  if (format === 'canonical') return `c${String(seq).padStart(9, '0')}`;
  if (format === 'asterisk') return `${start}.${seq}`;
  return uuid(r, seq * 2);
}

/** The fields of a row, in the format's column order. */
export function callFields(format: CallsFormat, c: CallRow, clock: Clock, r: Rng): string[] {
  const answered = c.answer >= 0;
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
      DISPOSITIONS[c.outcome]!,
    ];
  }
  const start = c.startText ?? clock.local(c.start);
  const answer = answered ? clock.local(c.answer) : '';
  const end = clock.local(c.end);
  const duration = String(c.end - c.start);
  if (format === 'asterisk') {
    return [
      c.account,
      c.presented,
      c.dialled,
      c.route,
      `"${c.presentedName}" <${c.presented}>`,
      `SIP/trunk-${hex((c.seq * 2) % 0x100000000, 8)}`,
      c.outcome === 3 ? '' : `SIP/carrier-${hex((c.seq * 2 + 1) % 0x100000000, 8)}`,
      'Dial',
      `SIP/carrier/${c.dialled},60`,
      start,
      answer,
      end,
      duration,
      String(c.billsec),
      DISPOSITIONS[c.outcome]!,
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
