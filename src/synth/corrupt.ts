/**
 * Odd call rows, one kind at a time. The corrupt kinds are rows a correct ingest quarantines,
 * named by the reason a reviewer would expect; none of them counts in the truth. Among them, in
 * turn, an unresolved call: a row that loads but whose dialled number no rule of
 * docs/numbers.md reads (it used to be quarantined as an unresolvable national number).
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
  'unparseable_number',
  'bad_date',
  'impossible_duration',
  'unknown_account',
  'wrong_column_count',
  'invalid_utf8',
  'duplicate_call_id',
] as const;
export type CorruptKind = (typeof CORRUPT_KINDS)[number];
/** The odd rows in the order they take turns: the unresolved call where the old kind was. */
export const ODD_ROWS = [
  'unparseable_number',
  'unresolved_number',
  'bad_date',
  'impossible_duration',
  'unknown_account',
  'wrong_column_count',
  'invalid_utf8',
  'duplicate_call_id',
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
  /** An earlier well-formed row, written again for duplicate_call_id. */
  saved: string | null;
  accounts: readonly Account[];
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
}

export function corruptRow(
  wanted: CorruptKind,
  c: CorruptInput,
): { kind: CorruptKind; line: string | Buffer } {
  const { r, format, row } = c;
  const kind = wanted === 'duplicate_call_id' && c.saved === null ? 'bad_date' : wanted;
  const victim = r.pick(c.pool.victims);
  switch (kind) {
    case 'duplicate_call_id':
      return { kind, line: c.saved! };
    case 'unparseable_number':
      row.dialled = garbledForm(r, victim, c.dest);
      break;
    case 'bad_date':
      row.startText = r.pick(BAD_DATES);
      break;
    case 'impossible_duration':
      row.outcome = 0;
      row.answer = row.start + 2;
      if (r.chance(0.5)) {
        row.end = row.start + 40;
        row.billsec = -r.int(1, 30);
      } else {
        row.end = row.start + 10;
        row.billsec = 45;
      }
      break;
    case 'unknown_account':
      row.account = `u${String(c.accounts.length + 1000 + r.int(0, 999)).padStart(6, '0')}`;
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
