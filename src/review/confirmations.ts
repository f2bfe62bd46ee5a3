/**
 * Confirming the reading of a victim's number that needs review (docs/numbers.md): the analyst
 * chooses the number the analysis lists or its rival (or, for a weak reading, confirms it as it
 * is). Stored in the operations store, one row per pair of readings (a later choice replaces an
 * earlier one), written with its audit row in one transaction, and applied by the next
 * `analyze` (for-analysis.ts).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { recordAuditIn } from '../audit/audit.ts';
import { demand, scope } from '../authz/policy.ts';
import type { Analysis } from '../readout/analysis.ts';
import { victimRow, victimsTable } from '../readout/victims-table.ts';
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { User } from '../users/roles.ts';

// E.164: `+`, a country code and at most 15 digits in all, the first not 0.
const E164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'a number in E.164 form');

/** What a confirmation says: the victim as listed, the reading chosen, and an optional note. */
export const ConfirmInput = z.object({
  number: E164,
  chosen: E164,
  note: z.string().trim().max(500).default(''),
});
export type ConfirmInput = z.input<typeof ConfirmInput>;

/** A victim's number as the analysis lists it, with what makes it need review. */
export interface ListedReading {
  number: string;
  country: string | null;
  needs_review: boolean;
  review_reason: 'weak' | 'conflict' | null;
  alt_number: string | null;
}

export interface Confirmation {
  number: string;
  /** The rival reading, or null when the reading was weak and had none. */
  alt_number: string | null;
  chosen: string;
  chosen_country: string | null;
  confirmed_by: string;
  confirmed_at: Date;
  note: string;
}

/**
 * The victim row of `number` (within the caller's scope), or null. An analysis made before
 * numbers could need review has no such columns: its victims need none.
 */
export async function listedReading(
  a: Analysis,
  number: string,
  scopeCountry: string | null,
): Promise<ListedReading | null> {
  const v = await victimRow(a, number, scopeCountry);
  return v ? listedFrom(v) : null;
}

/** A victims row's reading; a row without the review columns needs no review. */
export function listedFrom(v: Record<string, unknown>): ListedReading {
  const reason = v.review_reason;
  return {
    number: String(v.number),
    country: typeof v.country === 'string' ? v.country : null,
    needs_review: v.needs_review === true,
    review_reason: reason === 'weak' || reason === 'conflict' ? reason : null,
    alt_number: typeof v.alt_number === 'string' && v.alt_number ? v.alt_number : null,
  };
}

/** The readings an analyst may choose for a listed victim: its number, or its rival. */
export function readingsOf(v: ListedReading): [string, ...string[]] {
  return v.alt_number ? [v.number, v.alt_number] : [v.number];
}

/**
 * Records the analyst's choice for a flagged victim. Refused (REVIEW_INVALID) when the input is
 * malformed, the victim is not listed, its number needs no review, or `chosen` is neither of
 * the readings the analysis lists. `victimId` names a number in the audit log by a keyed hash,
 * as every victim-data audit entry does (the console's sealer).
 */
export async function confirmReading(
  db: OpsDb,
  a: Analysis,
  user: User,
  raw: unknown,
  now: Date,
  victimId: (n: string) => string,
): Promise<Confirmation> {
  demand(user, 'victims:confirm');
  const shape = ConfirmInput.safeParse(raw);
  if (!shape.success) throw invalid(`the confirmation is not valid: ${issues(shape.error)}`);
  const listed = await listedReading(a, shape.data.number, scope(user));
  if (!listed) throw invalid('there is no such victim in the analysis');
  if (!listed.needs_review) throw invalid('this victim’s number does not need review');
  // The choice is checked against the readings as the victims table lists them, nothing else.
  const input = ConfirmInput.extend({ chosen: z.enum(readingsOf(listed)) }).safeParse(raw);
  if (!input.success) throw invalid('the reading chosen is not one of this victim’s readings');
  const { number, chosen, note } = input.data;
  const alt = listed.alt_number ?? '';
  const country = parsePhoneNumberFromString(chosen)?.country ?? null;
  return db.transaction(async (tx) => {
    const [before] = await tx.query<{ chosen: string }>(
      'SELECT chosen FROM number_reviews WHERE number = $1 AND alt_number = $2 FOR UPDATE',
      [number, alt],
    );
    await tx.query(
      `INSERT INTO number_reviews (number, alt_number, chosen, chosen_country, confirmed_by, confirmed_at, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (number, alt_number) DO UPDATE SET chosen = EXCLUDED.chosen,
         chosen_country = EXCLUDED.chosen_country, confirmed_by = EXCLUDED.confirmed_by,
         confirmed_at = EXCLUDED.confirmed_at, note = EXCLUDED.note`,
      [number, alt, chosen, country, user.id, now, note],
    );
    const reading = (n: string) => (n === number ? 'listed' : 'rival');
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'number_confirm',
        target: `victim:${victimId(number)}`,
        reason: note || null,
        detail: {
          review_reason: listed.review_reason,
          reading: reading(chosen),
          chosen: `victim:${victimId(chosen)}`,
          chosen_country: country,
          ...(listed.alt_number ? { rival: `victim:${victimId(listed.alt_number)}` } : {}),
          ...(before ? { replaces: reading(before.chosen) } : {}),
        },
      },
      now,
    );
    return {
      number,
      alt_number: listed.alt_number,
      chosen,
      chosen_country: country,
      confirmed_by: user.name,
      confirmed_at: now,
      note,
    };
  });
}

/** The confirmations whose readings include `number` (every one when null), newest first. */
export async function listConfirmations(
  db: OpsQuery,
  number: string | null = null,
): Promise<Confirmation[]> {
  const rows = await db.query<Omit<Confirmation, 'alt_number'> & { alt_number: string }>(
    `SELECT r.number, r.alt_number, r.chosen, r.chosen_country, u.name AS confirmed_by,
            r.confirmed_at, r.note
       FROM number_reviews r JOIN users u ON u.id = r.confirmed_by
      WHERE $1::text IS NULL OR $1 IN (r.number, r.alt_number, r.chosen)
      ORDER BY r.confirmed_at DESC, r.number, r.alt_number`,
    [number],
  );
  return rows.map((r) => ({
    ...r,
    alt_number: r.alt_number || null,
    confirmed_at: new Date(r.confirmed_at),
  }));
}

/**
 * Whether the analysis being read has applied `c`: the pair it names is no longer listed as a
 * victim that needs review. (An `analyze` that could not read the operations store keeps the
 * confirmations it had, so the time of the analysis alone would not say.)
 */
export function isApplied(c: Confirmation, listed: ListedReading | null): boolean {
  return !(
    listed &&
    listed.number === c.number &&
    listed.needs_review &&
    (listed.alt_number ?? null) === c.alt_number
  );
}

/** How many confirmations the analysis being read has not applied yet (see isApplied). */
export async function pendingCount(db: OpsQuery, a: Analysis): Promise<number> {
  const all = await listConfirmations(db);
  if (all.length === 0) return 0;
  // Numbers are `+` and digits: a comma-separated list of them is safe to split.
  const flagged = await a.rows(
    `SELECT * FROM ${await victimsTable(a)}
      WHERE needs_review AND list_contains(string_split($numbers, ','), number)`,
    { numbers: all.map((c) => c.number).join(',') },
  );
  const listed = new Map(flagged.map((r) => [String(r.number), listedFrom(r)]));
  return all.filter((c) => !isApplied(c, listed.get(c.number) ?? null)).length;
}

const invalid = (message: string) => new UnspoofError('REVIEW_INVALID', message);

const issues = (e: z.ZodError) =>
  e.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
