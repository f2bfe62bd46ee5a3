/**
 * Reported losses: what victims told the portal they lost (GBP), per victim number. `analyze`
 * copies them into the case's analysis store, where they become a component of the suspect
 * score (every account that called the victim); the console sums them per suspect and crew.
 */
import type { ReportedLoss } from './analyze.ts';
import type { OpsQuery } from '../ops/db.ts';
import { readForAnalysis } from '../ops/for-analysis.ts';
import type { Effects } from '../shared/effects.ts';

export async function reportedLosses(db: OpsQuery): Promise<ReportedLoss[]> {
  const rows = await db.query<{ number: string; minor: string }>(
    `SELECT m.number, sum(r.lost_gbp_minor)::text AS minor
       FROM reports r JOIN messages m ON m.id = r.message_id
      WHERE r.state = 'submitted' AND r.lost_gbp_minor > 0
      GROUP BY m.number ORDER BY m.number`,
  );
  return rows.map((r) => ({ number: r.number, lost_gbp: Number(r.minor) / 100 }));
}

/**
 * The reported losses of a case for `analyze`, or undefined when the case has no operations
 * store yet or it cannot be opened now (the console holds the embedded one): the analysis then
 * keeps the losses it had, and says so.
 */
export async function lossesForAnalysis(
  caseDir: string,
  fx: Effects,
): Promise<ReportedLoss[] | undefined> {
  return readForAnalysis(caseDir, fx, 'reported losses', reportedLosses);
}
