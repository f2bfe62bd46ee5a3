/**
 * The confirmed readings `analyze` applies (docs/numbers.md), read from the operations store
 * the way reported losses are (losses.ts).
 */
import type { ConfirmedReading } from './analyze.ts';
import type { OpsQuery } from '../ops/db.ts';
import { readForAnalysis } from '../ops/for-analysis.ts';
import type { Effects } from '../shared/effects.ts';

export async function confirmedReadings(db: OpsQuery): Promise<ConfirmedReading[]> {
  const rows = await db.query<{
    number: string;
    alt_number: string;
    chosen: string;
    chosen_country: string | null;
  }>(
    `SELECT number, alt_number, chosen, chosen_country FROM number_reviews
      ORDER BY number, alt_number`,
  );
  // '' stands for "no rival" only so that it can be in the key.
  return rows.map((r) => ({ ...r, alt_number: r.alt_number || null }));
}

/**
 * The confirmations of a case for `analyze`, or undefined when the case has no operations store
 * yet or it cannot be opened now (the console holds the embedded one): the analysis then keeps
 * the confirmations it had, and says so.
 */
export async function confirmationsForAnalysis(
  caseDir: string,
  fx: Effects,
): Promise<ConfirmedReading[] | undefined> {
  return readForAnalysis(caseDir, fx, 'confirmed readings', confirmedReadings);
}
