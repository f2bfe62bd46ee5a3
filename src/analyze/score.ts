/**
 * The suspect score, explainable component by component (docs/analysis.md): each component x
 * with weight w contributes `w × log10(1 + x)` points, rounded to 0.01; the score is their sum.
 * The logarithm keeps one huge figure (10,000 calls) from drowning the others (3 captures).
 * Priority flags come from the case's jurisdiction rules.
 */
import type { PriorityRule, Settings } from '../case/settings.ts';
import { sqlIdent, sqlString } from '../shared/sql.ts';

/** Score components, in the order they are shown. */
export const COMPONENTS = [
  'paid_gbp',
  'calls',
  'likely_victims',
  'harmed_victims',
  'captures',
  'brands',
  'peak_calls_per_minute',
  'linked_accounts',
  'reported_loss_gbp',
] as const;

export type Component = (typeof COMPONENTS)[number];

export function points(weight: number, value: number): number {
  return Math.round(weight * Math.log10(1 + Math.max(0, value)) * 100) / 100;
}

function ruleSql(rule: PriorityRule): string {
  const parts = ['true'];
  // The country the evidence places the user in (docs/jurisdiction.md), not the declared one.
  if (rule.country) parts.push(`jurisdiction = ${sqlString(rule.country)}`);
  if (rule.min_paid_gbp !== undefined) parts.push(`paid_gbp >= ${Number(rule.min_paid_gbp)}`);
  if (rule.min_likely_victims !== undefined) {
    parts.push(`likely_victims + harmed_victims >= ${Number(rule.min_likely_victims)}`);
  }
  return `CASE WHEN ${parts.join(' AND ')} THEN ${sqlString(rule.jurisdiction)} END`;
}

/** SQL that turns `_suspect_components` into `suspects` with score, priority and points. */
export function scoreSql(settings: Settings): string {
  const w = settings.score_weights;
  const pts = COMPONENTS.map(
    (c) =>
      `round(${Number(w[c])} * log10(1 + greatest(0, CAST(${sqlIdent(c)} AS DOUBLE))), 2) AS ${sqlIdent(`points_${c}`)}`,
  );
  const total = COMPONENTS.map((c) => sqlIdent(`points_${c}`)).join(' + ');
  const rules = settings.priority_rules.map(ruleSql);
  const priority = rules.length > 0 ? `concat_ws(';', ${rules.join(', ')})` : `''`;
  return `CREATE OR REPLACE TABLE suspects AS
    WITH p AS (SELECT *, ${pts.join(', ')} FROM _suspect_components)
    SELECT account_id, round(${total}, 2) AS score, ${priority} AS priority, * EXCLUDE (account_id)
    FROM p;
    DROP TABLE _suspect_components;`;
}
