/** `unspoof victims`: the victims of a case, filtered by country and tier, to a file. */
import { z } from 'zod';
import { withAnalysedCase } from './analysed.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { exportRows, formatFor, inList, list } from './export.ts';
import { auditExport } from '../audit/cli.ts';

export const TIERS = ['harmed', 'likely', 'contacted', 'attempted'] as const;

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  country: z.string().optional(),
  tier: z.string().optional(),
  needsReview: z.boolean().optional(),
  format: z.string().optional(),
  json: z.boolean().optional(),
});

export const VICTIM_COLUMNS = [
  'number',
  'country',
  'tier',
  'first_call_at',
  'last_call_at',
  'calls',
  'connected_seconds',
  'accounts',
  'brands',
  'longest_call_seconds',
  'first_long_call_at',
  'first_long_call_brand',
  'captures',
  'confidence',
  'rule',
  'needs_review',
  'review_reason',
  'alt_number',
];

export function victimsSql(countries: string[], tiers: string[], needsReview = false): string {
  const where = [
    countries.length ? inList('country', countries) : 'true',
    tiers.length ? inList('tier', tiers) : 'true',
    needsReview ? 'needs_review' : 'true',
  ];
  return `SELECT ${VICTIM_COLUMNS.join(', ')} FROM victims WHERE ${where.join(' AND ')}
          ORDER BY CASE tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END, number`;
}

export async function victimsCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const tiers = list(o.tier);
  const bad = tiers.filter((t) => !(TIERS as readonly string[]).includes(t));
  if (bad.length) {
    throw new UnspoofError('USAGE', `--tier: unknown tier ${bad.join(', ')} (${TIERS.join(', ')})`);
  }
  const format = formatFor(o.out, o.format);
  const n = await withAnalysedCase(o.case, async (conn) => {
    await auditExport(
      o.case,
      'victims',
      {
        out: o.out,
        format,
        country: o.country ?? null,
        tier: o.tier ?? null,
        needs_review: o.needsReview ?? false,
      },
      fx.now(),
    );
    return exportRows(conn, victimsSql(list(o.country, true), tiers, o.needsReview), format, o.out);
  });
  fx.out(
    o.json
      ? JSON.stringify({ out: o.out, format, rows: n })
      : `${n.toLocaleString('en-GB')} victims written to ${o.out} (${format})`,
  );
}
