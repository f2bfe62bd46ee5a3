/**
 * The two switch CDR layouts DESIGN §5 names, as column sources over a headerless CSV whose
 * columns are staged as c1, c2, …. Both hold the seized server's local time.
 */
const c = (n: number) => `c${n}`;

/** Asterisk cdr_csv `Master.csv`: 18 columns, possibly more after. */
export const ASTERISK = {
  minColumns: 18,
  source: {
    account_id: c(1),
    // src is the caller number; when empty, the number inside clid's angle brackets.
    presented_number: `coalesce(${c(2)}, regexp_extract(${c(5)}, '<([^>]*)>', 1))`,
    dialed_number: c(3),
    route: c(4),
    started_at: c(10),
    answered_at: c(11),
    ended_at: c(12),
    duration: c(13),
    billsec: c(14),
    disposition: c(15),
    call_id: c(17),
  },
};

/** FreeSWITCH mod_cdr_csv default template: 15 columns. */
export const FREESWITCH = {
  columns: 15,
  source: {
    presented_number: c(2),
    dialed_number: c(3),
    route: c(4),
    started_at: c(5),
    answered_at: c(6),
    ended_at: c(7),
    duration: c(8),
    billsec: c(9),
    disposition: `CASE
      WHEN nullif(${c(6)}, '') IS NOT NULL THEN 'ANSWERED'
      WHEN ${c(10)} IN ('NO_ANSWER', 'ORIGINATOR_CANCEL', 'NO_USER_RESPONSE') THEN 'NO ANSWER'
      WHEN ${c(10)} = 'USER_BUSY' THEN 'BUSY'
      ELSE 'FAILED' END`,
    call_id: c(11),
    account_id: c(13),
  },
};

const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const DISPOSITIONS = new Set(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which switch layout a headerless record looks like, if any. */
export function sniffSwitchRecord(fields: string[]): 'asterisk' | 'freeswitch' | null {
  if (
    fields.length >= ASTERISK.minColumns &&
    STAMP.test(fields[9] ?? '') &&
    DISPOSITIONS.has(fields[14] ?? '')
  ) {
    return 'asterisk';
  }
  if (
    fields.length === FREESWITCH.columns &&
    STAMP.test(fields[4] ?? '') &&
    UUID.test(fields[10] ?? '')
  ) {
    return 'freeswitch';
  }
  return null;
}
