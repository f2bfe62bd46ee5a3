/**
 * The switch CDR layouts unspoof recognises without a mapping (docs/seized-export.md, "Switch
 * records"): column sources over a headerless CSV whose columns are staged as c1, c2, …, and the
 * checks that tell a record of each layout. All of them hold the seized server's local time.
 */
const c = (n: number) => `c${n}`;

export type SwitchFormat = 'asterisk' | 'asterisk-custom' | 'freeswitch';

/** One thing a layout's record must show in one column (1-based), said as the error says it. */
export interface Check {
  column: number;
  expect: string;
  test: (value: string, fields: readonly string[]) => boolean;
}

export interface SwitchLayout {
  format: SwitchFormat;
  /** As messages name it. */
  name: string;
  /** The column counts it has, as messages say them. */
  widths: string;
  fitsWidth: (n: number) => boolean;
  checks: Check[];
  /** Start, answer and end columns (1-based); the start is what the clocks are compared with. */
  times: [number, number, number];
  /** The column whose value holds a clock (docs/switch-records.md §6), and its name. */
  clock: number;
  clockName: string;
  /** The column of a leg's sequence in a file of this width, if the file has one. */
  sequence: (records: readonly (readonly string[])[], width: number) => number | null;
  source: (width: number, sequence: number | null) => Record<string, string>;
}

const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
/** How a spreadsheet re-saves a time: `2020/2/10 22:41`, `2020-2-10 22:41`, `10/02/2020 22:41`. */
const SHEET_YMD = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2}) (\d{1,2}):(\d\d)(:\d\d)?$/;
const SHEET_XY = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d\d)(:\d\d)?$/;
/** Asterisk's `ast_cdr_disp2str`: every disposition cdr_csv and cdr_custom write. */
const DISPOSITIONS = new Set([
  'ANSWERED',
  'NO ANSWER',
  'BUSY',
  'FAILED',
  'CONGESTION',
  'CANCEL',
  'UNKNOWN',
]);
/** A FreeSWITCH hangup cause (`NORMAL_CLEARING`), as its `asterisk` template writes in column 15. */
const HANGUP_CAUSE = /^[A-Z][A-Z0-9_]+$/;
/** `[systemname-]EPOCH.N`; the epoch is checked as a clock later, not here. */
const UNIQUEID = /^(?:.+-)?\d+\.\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^\d+$/;

export const isSwitchTime = (v: string): boolean =>
  STAMP.test(v) || SHEET_YMD.test(v) || SHEET_XY.test(v);

const TIME = 'a time (YYYY-MM-DD HH:MM:SS)';

/** The dial string of a Dial (docs/switch-records.md §7): `SIP/12025550143@trunk,60`. */
const dialString = (app: number, data: number) =>
  `CASE WHEN lower(trim(${c(app)})) = 'dial' THEN ${c(data)} END`;
/**
 * The caller ID the callee was shown: the number inside clid's angle brackets (what a dial
 * plan's `CALLERID(num)` set), else src, which may still be the caller's own extension
 * (docs/switch-records.md §4). No regular expression: it is read for every call.
 */
const presented = (src: number, clid: number) =>
  `coalesce(nullif(CASE WHEN contains(${c(clid)}, '<') THEN split_part(substr(${c(clid)}, strpos(${c(clid)}, '<') + 1), '>', 1) END, ''), ${c(src)})`;

/**
 * Asterisk cdr_csv `Master.csv`: accountcode … amaflags (16), then uniqueid (`loguniqueid`),
 * userfield (`loguserfield`) and, with `newcdrcolumns`, peeraccount, linkedid, sequence. The
 * uniqueid is the call id, so a file without it is not this layout. FreeSWITCH's `asterisk`
 * template writes the same columns with a hangup cause as disposition and a UUID as uniqueid.
 */
export const ASTERISK: SwitchLayout = {
  format: 'asterisk',
  name: 'Asterisk cdr_csv (Master.csv)',
  widths: '17 or more (uniqueid is column 17)',
  fitsWidth: (n) => n >= 17,
  checks: [
    { column: 10, expect: TIME, test: isSwitchTime },
    {
      column: 15,
      expect: 'a disposition (ANSWERED, NO ANSWER, BUSY, FAILED, …)',
      test: (v, f) => DISPOSITIONS.has(v) || (HANGUP_CAUSE.test(v) && UUID.test(f[16] ?? '')),
    },
    {
      column: 17,
      expect: 'a uniqueid (EPOCH.N, as loguniqueid=yes writes it)',
      test: (v) => UNIQUEID.test(v) || UUID.test(v),
    },
  ],
  times: [10, 11, 12],
  clock: 17,
  clockName: 'uniqueid',
  // With loguniqueid and newcdrcolumns: uniqueid, [userfield,] peeraccount, linkedid, sequence.
  sequence: (records, width) =>
    (width === 20 || width === 21) &&
    records.length > 0 &&
    records.every((r) => INTEGER.test(r[width - 1] ?? '') && UNIQUEID.test(r[width - 2] ?? ''))
      ? width
      : null,
  source: (_width, sequence) => ({
    account_id: c(1),
    presented_number: presented(2, 5),
    dialed_number: c(3),
    route: c(4),
    dial_string: dialString(8, 9),
    peer_channel: c(7),
    started_at: c(10),
    answered_at: c(11),
    ended_at: c(12),
    duration: c(13),
    billsec: c(14),
    disposition: c(15),
    call_id: c(17),
    ...(sequence ? { leg_sequence: c(sequence) } : {}),
  }),
};

/**
 * Asterisk cdr_custom's default mapping (configs/samples/cdr_custom.conf.sample): clid, src,
 * dst, dcontext, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
 * disposition, amaflags, accountcode, uniqueid, userfield, sequence.
 */
export const ASTERISK_CUSTOM: SwitchLayout = {
  format: 'asterisk-custom',
  name: 'Asterisk cdr_custom (default mapping)',
  widths: '19',
  fitsWidth: (n) => n === 19,
  checks: [
    { column: 9, expect: TIME, test: isSwitchTime },
    {
      column: 14,
      expect: 'a disposition (ANSWERED, NO ANSWER, BUSY, FAILED, …)',
      test: (v) => DISPOSITIONS.has(v),
    },
    { column: 17, expect: 'a uniqueid (EPOCH.N)', test: (v) => UNIQUEID.test(v) },
    { column: 19, expect: 'a sequence number', test: (v) => INTEGER.test(v) },
  ],
  times: [9, 10, 11],
  clock: 17,
  clockName: 'uniqueid',
  sequence: () => 19,
  source: () => ({
    presented_number: presented(2, 1),
    dialed_number: c(3),
    route: c(4),
    dial_string: dialString(7, 8),
    peer_channel: c(6),
    started_at: c(9),
    answered_at: c(10),
    ended_at: c(11),
    duration: c(12),
    billsec: c(13),
    disposition: c(14),
    account_id: c(16),
    call_id: c(17),
    leg_sequence: c(19),
  }),
};

/**
 * FreeSWITCH mod_cdr_csv `example` template, the default (conf/vanilla/autoload_configs/
 * cdr_csv.conf.xml): 15 columns; the older default had the first 13, and the `linksys` and
 * `snom` templates add columns after the 15.
 */
export const FREESWITCH: SwitchLayout = {
  format: 'freeswitch',
  name: 'FreeSWITCH cdr-csv (example template)',
  widths: '13 or more (15 in the default template)',
  fitsWidth: (n) => n >= 13,
  checks: [
    { column: 5, expect: TIME, test: isSwitchTime },
    { column: 11, expect: 'a UUID', test: (v) => UUID.test(v) },
  ],
  times: [5, 6, 7],
  clock: 11,
  clockName: 'uuid',
  sequence: () => null,
  source: () => ({
    presented_number: c(2),
    dialed_number: c(3),
    route: c(4),
    started_at: c(5),
    answered_at: c(6),
    ended_at: c(7),
    duration: c(8),
    billsec: c(9),
    // The hangup cause, as recorded: why the call ended, not whether it connected
    // (docs/switch-records.md §2).
    disposition: c(10),
    call_id: c(11),
    account_id: c(13),
  }),
};

/** In the order a record is tried, and a near miss is named when two are as near. */
export const SWITCH_LAYOUTS: readonly SwitchLayout[] = [ASTERISK, ASTERISK_CUSTOM, FREESWITCH];

export function layoutOf(format: string): SwitchLayout | undefined {
  return SWITCH_LAYOUTS.find((l) => l.format === format);
}

/** Which switch layout a headerless record is, if any. */
export function sniffSwitchRecord(fields: readonly string[]): SwitchLayout | null {
  return SWITCH_LAYOUTS.find((l) => misses(l, fields).length === 0) ?? null;
}

/** What a record lacks to be of a layout, as phrases: empty when it is one. */
export function misses(layout: SwitchLayout, fields: readonly string[]): string[] {
  const out: string[] = [];
  if (!layout.fitsWidth(fields.length)) {
    out.push(`it has ${fields.length} columns, not ${layout.widths}`);
  }
  for (const check of layout.checks) {
    const value = fields[check.column - 1];
    if (value === undefined) out.push(`it has no column ${check.column}, for ${check.expect}`);
    else if (!check.test(value, fields)) {
      out.push(`column ${check.column} is ${shown(value)}, not ${check.expect}`);
    }
  }
  return out;
}

/**
 * A value as an error shows it: short, and a phone number cut to its first digits (an error
 * names the columns it checked, which should hold none, but a shifted record can put one there).
 */
export function shown(value: string): string {
  if (value === '') return 'empty';
  const digits = value.replace(/\D/g, '').length;
  if (/^\+?[\d\s().-]+$/.test(value) && digits >= 7 && !/^\d{9,10}\.\d+$/.test(value)) {
    return `\`${value.slice(0, 4)}…\` (a number, shortened)`;
  }
  const short = value.length > 28 ? `${value.slice(0, 27)}…` : value;
  return `\`${short.replace(/[\u0000-\u001f`]/g, '?')}\``;
}

// ---------------------------------------------------------------------------------------------
// Times a spreadsheet re-wrote (docs/seized-export.md, "Switch records re-saved by a spreadsheet")

/** A strptime format for DuckDB's try_strptime, which reads `%m`/`%d` with or without a 0. */
export type TimeFormat = { format?: string } | { problem: string };

/**
 * The timestamp format of a switch file's times (the start, answer and end values sampled),
 * by the shape most of them have: none when they are YYYY-MM-DD HH:MM:SS as switches write
 * them. Day-first and month-first are told apart only by a day above 12, or by the records'
 * clocks (`clockOf` gives a record's UTC second, when it has one): never guessed. Values of
 * no shape are left to the load, which quarantines them as `bad_date`.
 */
export function timeFormatOf(
  values: readonly string[],
  clocked: ReadonlyArray<{ text: string; clock: number }>,
): TimeFormat {
  const shapes = new Map<string, number>();
  for (const v of values) {
    const key = shapeOf(v);
    if (key) shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  const [top] = [...shapes.entries()].sort((a, b) => b[1] - a[1]);
  if (!top || top[0] === 'stamp') return {};
  const [kind, sep, seconds] = top[0].split('|') as [string, string, string];
  const time = seconds === 's' ? '%H:%M:%S' : '%H:%M';
  if (kind === 'ymd') return { format: `%Y${sep}%m${sep}%d ${time}` };
  const xy = values.filter((v) => shapeOf(v) === top[0]).map((v) => SHEET_XY.exec(v)!);
  const dayFirst = xy.some((m) => Number(m[1]) > 12);
  const monthFirst = xy.some((m) => Number(m[2]) > 12);
  const example = xy[0]?.[0] ?? '';
  if (dayFirst && monthFirst) {
    return {
      problem: `its times, written as a spreadsheet re-saves them (\`${example}\`), have days above 12 both first and second: they mix day-first and month-first dates`,
    };
  }
  if (dayFirst || monthFirst) return { format: `${dayFirst ? '%d/%m' : '%m/%d'}/%Y ${time}` };
  const order = orderFromClocks(clocked);
  if (order) return { format: `${order}/%Y ${time}` };
  return {
    problem: `its times are written as a spreadsheet re-saves them (\`${example}\`), and no sampled day is above 12 nor does a clock in the file say whether the day or the month comes first; unspoof does not guess. Write a mapping for it with "timestamp_format": "%d/%m/%Y ${time}" (day first) or "%m/%d/%Y ${time}" (month first)`,
  };
}

function shapeOf(v: string): string | null {
  if (STAMP.test(v)) return 'stamp';
  const ymd = SHEET_YMD.exec(v);
  if (ymd) return `ymd|${ymd[2]}|${ymd[7] ? 's' : ''}`;
  const xy = SHEET_XY.exec(v);
  if (xy) return `xy|/|${xy[6] ? 's' : ''}`;
  return null;
}

/** Day-first or month-first, when the clocks agree with one reading of every date and not the other. */
function orderFromClocks(
  clocked: ReadonlyArray<{ text: string; clock: number }>,
): '%d/%m' | '%m/%d' | null {
  let day = 0;
  let month = 0;
  for (const { text, clock } of clocked) {
    const m = SHEET_XY.exec(text);
    if (!m || m[1] === m[2]) continue;
    const [a, b, y, h, min] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    // The clock is UTC and the text local: a right reading is within a zone's offset of it.
    const near = (mon: number, d: number) =>
      Math.abs(Date.UTC(y, mon - 1, d, h, min) / 1000 - clock) <= 15 * 3600;
    if (near(b, a)) day++;
    if (near(a, b)) month++;
  }
  if (day > 0 && month === 0) return '%d/%m';
  if (month > 0 && day === 0) return '%m/%d';
  return null;
}

/**
 * A local time as written, read as if it were UTC (seconds), in a file's timestamp format:
 * YYYY-MM-DD HH:MM:SS when it has none, else one `timeFormatOf` gives. Null when it is not one.
 */
export function localSeconds(text: string, format?: string): number | null {
  if (!format) {
    if (!STAMP.test(text)) return null;
    const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
    return Number.isNaN(ms) ? null : ms / 1000;
  }
  const order = [...format.matchAll(/%([YmdHMS])/g)].map((m) => m[1] as string);
  const pattern = format
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%Y/g, '(\\d{4})')
    .replace(/%[mdHMS]/g, '(\\d{1,2})');
  const m = new RegExp(`^${pattern}$`).exec(text);
  if (!m) return null;
  const n: Record<string, number> = { S: 0 };
  order.forEach((d, i) => (n[d] = Number(m[i + 1])));
  const ms = Date.UTC(n.Y!, n.m! - 1, n.d!, n.H!, n.M!, n.S!);
  const back = new Date(ms);
  // Date.UTC rolls 31 February over into March: that is no date.
  return back.getUTCDate() === n.d && back.getUTCMonth() === n.m! - 1 ? ms / 1000 : null;
}

/** Fields of one CSV line, split on the delimiter outside double quotes (for sniffing only). */
export function splitFields(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
