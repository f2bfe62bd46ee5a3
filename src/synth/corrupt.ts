/**
 * Odd call records, one kind at a time. The corrupt kinds are rows a correct ingest
 * quarantines, named by the reason a reviewer would expect; none of them counts in the truth.
 * The others load, each a shape the rules read in its own way: an unresolved call (a dialled
 * number no rule of docs/numbers.md reads), a number with stray characters (no dialled value
 * refuses its call: it is invalid, listed with the unresolved, docs/switch-records.md §7) and a
 * call of an account no accounts file names (loaded under its code, §3). A repeated call id is a record
 * written twice, byte for byte (`duplicate_row`, §1): rows that differ are legs (legs.ts).
 */
import type { Account } from './accounts.ts';
import {
  BAD_BYTES_MARK,
  badBytesField,
  callFields,
  joinFields,
  withBadBytes,
  type CallRow,
  type CallsFormat,
} from './callrows.ts';
import { bareNational, garbledForm, partsOf } from './numbers.ts';
import type { Pool } from './pools.ts';
import type { Rng } from './rng.ts';
import type { Clock } from './time.ts';

export const CORRUPT_KINDS = [
  'bad_date',
  'impossible_duration',
  'wrong_column_count',
  'invalid_utf8',
  'duplicate_row',
] as const;
export type CorruptKind = (typeof CORRUPT_KINDS)[number];
/** The odd records in the order they take turns. */
export const ODD_ROWS = [
  'garbled_number',
  'unresolved_number',
  'bad_date',
  'impossible_duration',
  'calls_only_account',
  'wrong_column_count',
  'invalid_utf8',
  'duplicate_row',
] as const;
export type OddRow = (typeof ODD_ROWS)[number];

export const BAD_DATES = ['2021-13-45 25:61:00', 'yesterday'];
/** Routes without a country, used by unresolved rows. */
const BARE_ROUTES: Record<CallsFormat, string[]> = {
  canonical: ['', 'from-internal'],
  asterisk: ['from-internal'],
  freeswitch: ['default'],
};

export interface CorruptInput {
  r: Rng;
  format: CallsFormat;
  clock: Clock;
  /** A well-formed row to spoil (it is modified). */
  row: CallRow;
  /** An earlier well-formed row, written again for duplicate_row. */
  saved: string | null;
  noCountry: readonly Account[];
  pool: Pool;
  dest: string;
}

/**
 * Makes `row` an unresolved call: a victim's number in national form, a route without a
 * country, a withheld caller ID and an account without a country, so no rule gives a reading.
 */
export function unresolvedRow(
  c: Pick<CorruptInput, 'r' | 'format' | 'row' | 'noCountry' | 'pool' | 'dest'>,
): void {
  const { r, row } = c;
  row.account = r.pick(c.noCountry).id;
  row.presented = 'anonymous';
  row.presentedName = 'Anonymous';
  row.route = r.pick(BARE_ROUTES[c.format]);
  row.dialled = bareNational(partsOf(r.pick(c.pool.victims), c.dest));
  row.lastApp = 'Dial';
  row.lastData = '';
}

/**
 * Makes `row` a number with a stray letter or `#` (seven digits or more): it loads, kept as
 * written and invalid, listed with the unresolved numbers (docs/switch-records.md §7). No dial
 * string names a number for it.
 */
export function garbledRow(c: Pick<CorruptInput, 'r' | 'row' | 'pool' | 'dest'>): void {
  c.row.dialled = garbledForm(c.r, c.r.pick(c.pool.victims), c.dest);
  c.row.lastApp = 'Dial';
  c.row.lastData = '';
}

/** An account code no accounts file names, among the few the calls-only records use. */
export function callsOnlyAccount(r: Rng, accounts: number, codes: number): string {
  return `u${String(accounts + 1001 + r.int(0, codes - 1)).padStart(6, '0')}`;
}

export function corruptRow(
  wanted: CorruptKind,
  c: CorruptInput,
): { kind: CorruptKind; line: string | Buffer } {
  const { r, format, row } = c;
  const kind = wanted === 'duplicate_row' && c.saved === null ? 'bad_date' : wanted;
  switch (kind) {
    case 'duplicate_row':
      return { kind, line: c.saved! };
    case 'bad_date':
      row.startText = r.pick(BAD_DATES);
      break;
    case 'impossible_duration':
      row.outcome = 0;
      row.dispo = null;
      row.hideAnswer = false;
      row.answer = row.start + 2;
      if (r.chance(0.5)) {
        row.end = row.start + 40;
        row.billsec = -r.int(1, 30);
      } else {
        row.end = row.start + 10;
        row.billsec = 45;
      }
      break;
    default:
      break;
  }
  const fields = callFields(format, row, c.clock, r);
  if (kind === 'wrong_column_count') {
    if (format === 'canonical' && r.chance(0.5)) fields.push('extra');
    else fields.splice(r.int(1, fields.length - 2), 1);
  }
  if (kind === 'invalid_utf8') {
    const i = badBytesField(format);
    fields[i] = `${fields[i] ?? ''}${BAD_BYTES_MARK}`;
    return { kind, line: withBadBytes(joinFields(format, fields)) };
  }
  return { kind, line: joinFields(format, fields) };
}
