/**
 * The confirmed readings `analyze` applies (docs/numbers.md), read from the operations store
 * the way reported losses are (src/portal/losses.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConfirmedReading } from '../analyze/analyze.ts';
import type { OpsQuery } from '../ops/db.ts';
import { OPS_DIR, openOps, readOpsEnv } from '../ops/open.ts';
import type { Effects } from '../shared/effects.ts';
import { isUnspoofError } from '../shared/errors.ts';

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
  const env = readOpsEnv();
  if (!env.DATABASE_URL && !fs.existsSync(path.join(caseDir, OPS_DIR))) return undefined;
  try {
    const ops = await openOps(caseDir, env);
    try {
      return await confirmedReadings(ops);
    } finally {
      await ops.close();
    }
  } catch (e) {
    if (isUnspoofError(e) && (e.code === 'OPS_BUSY' || e.code === 'OPS_UNREACHABLE')) {
      fx.note(`confirmed readings not refreshed (${e.message}); the last analysis's are kept`);
      return undefined;
    }
    throw e;
  }
}
