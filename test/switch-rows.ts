/**
 * Switch CDR rows as Asterisk and FreeSWITCH write them, for tests of detection and clocks.
 * Numbers are fictional (+44 7700 900xxx, +1 202 555 01xx).
 */

/** A field as Asterisk's cdr_csv writes a string: always quoted, quotes doubled. */
export const q = (v: string) => `"${v.replaceAll('"', '""')}"`;

export interface SwitchCall {
  account?: string;
  src?: string;
  dst?: string;
  context?: string;
  clid?: string;
  app?: string;
  data?: string;
  start: string;
  answer?: string;
  end?: string;
  duration?: number;
  billsec?: number;
  disposition?: string;
  /** Asterisk uniqueid (or FreeSWITCH uuid). */
  id: string;
}

const defaults = (c: SwitchCall) => ({
  account: c.account ?? 'u1',
  src: c.src ?? '+447700900001',
  dst: c.dst ?? '07700 900123',
  context: c.context ?? 'from-internal',
  clid: c.clid ?? '"Bank" <+447700900001>',
  app: c.app ?? 'Dial',
  data: c.data ?? 'SIP/trunk/07700900123,60',
  answer: c.answer ?? '',
  end: c.end ?? c.start,
  duration: c.duration ?? 30,
  billsec: c.billsec ?? 0,
  disposition: c.disposition ?? 'NO ANSWER',
});

/**
 * cdr_csv Master.csv with loguniqueid and loguserfield (18 columns); `tail` is written as is
 * after them (newcdrcolumns: `q(peeraccount), q(linkedid), sequence`).
 */
export function masterRow(c: SwitchCall, tail: string[] = []): string {
  const d = defaults(c);
  return [
    q(d.account),
    q(d.src),
    q(d.dst),
    q(d.context),
    q(d.clid),
    q('SIP/user-0000002a'),
    q('SIP/trunk-0000002b'),
    q(d.app),
    q(d.data),
    q(c.start),
    q(d.answer),
    q(d.end),
    String(d.duration),
    String(d.billsec),
    q(d.disposition),
    q('DOCUMENTATION'),
    q(c.id),
    q(''),
    ...tail,
  ].join(',');
}

/** cdr_custom's default mapping: clid first, accountcode 16th, sequence (unquoted) last. */
export function customRow(c: SwitchCall, sequence: number): string {
  const d = defaults(c);
  return [
    q(d.clid),
    q(d.src),
    q(d.dst),
    q(d.context),
    q('SIP/user-0000002a'),
    q('SIP/trunk-0000002b'),
    q(d.app),
    q(d.data),
    q(c.start),
    q(d.answer),
    q(d.end),
    q(String(d.duration)),
    q(String(d.billsec)),
    q(d.disposition),
    q('DOCUMENTATION'),
    q(d.account),
    q(c.id),
    q(''),
    String(sequence),
  ].join(',');
}

/** mod_cdr_csv's `example` template (15 columns; 13 in its older form). */
export function freeswitchRow(c: SwitchCall, width: 13 | 15 = 15): string {
  const d = defaults(c);
  const fields = [
    'Bank',
    d.src,
    d.dst,
    d.context,
    c.start,
    d.answer,
    d.end,
    String(d.duration),
    String(d.billsec),
    c.disposition ?? 'NO_ANSWER',
    c.id,
    '',
    d.account,
    'PCMA',
    'PCMA',
  ];
  return fields.slice(0, width).map(q).join(',');
}

/** `YYYY-MM-DD HH:MM:SS`: the wall clock of UTC second `epoch` in `zone`, as a switch writes it. */
export function wall(epoch: number, zone: string): string {
  return new Date(epoch * 1000).toLocaleString('sv-SE', { timeZone: zone });
}

/** A time-based (version 1) UUID made at UTC second `epoch`; `n` keeps them apart. */
export function uuidV1(epoch: number, n: number): string {
  const ticks = (BigInt(epoch) + 12_219_292_800n) * 10_000_000n + BigInt(n);
  const hex = (v: bigint, len: number) => v.toString(16).padStart(len, '0');
  return [
    hex(ticks & 0xffffffffn, 8),
    hex((ticks >> 32n) & 0xffffn, 4),
    `1${hex((ticks >> 48n) & 0xfffn, 3)}`,
    `8${hex(BigInt(n) & 0xfffn, 3)}`,
    hex(BigInt(n), 12),
  ].join('-');
}

/** Epoch seconds of a UTC time written `2024-07-01T10:00:00Z`. */
export const at = (iso: string) => Date.parse(iso) / 1000;
