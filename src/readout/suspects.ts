/** `unspoof suspects`: every account with its score, priority and each score component. */
import { z } from 'zod';
import { COMPONENTS } from '../analyze/score.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { withAnalysedCase } from './analysed.ts';
import { exportRows, formatFor, inList, list } from './export.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  priority: z.boolean().optional(),
  country: z.string().optional(),
  format: z.string().optional(),
  json: z.boolean().optional(),
});

/** `account_id,score,priority`, then the components and the points each one gives. */
export const SUSPECT_COLUMNS = [
  'account_id',
  'score',
  'priority',
  'country',
  'jurisdiction',
  'jurisdiction_strength',
  'jurisdiction_confidence',
  'jurisdiction_basis',
  ...COMPONENTS,
  'unvalued_payments',
  'paid_btc',
  'payments',
  'answered_calls',
  'brand_names',
  'first_activity',
  'last_activity',
  'crew_id',
  ...COMPONENTS.map((c) => `points_${c}`),
];

export function suspectsSql(priorityOnly: boolean, countries: string[]): string {
  const where = [
    priorityOnly ? `priority <> ''` : 'true',
    countries.length ? inList('country', countries) : 'true',
  ];
  return `SELECT ${SUSPECT_COLUMNS.join(', ')} FROM suspects WHERE ${where.join(' AND ')}
          ORDER BY score DESC, account_id`;
}

export async function suspectsCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const format = formatFor(o.out, o.format);
  const sql = suspectsSql(o.priority ?? false, list(o.country, true));
  const n = await withAnalysedCase(o.case, async (conn) => {
    await auditExport(
      o.case,
      'suspects',
      { out: o.out, format, priority: o.priority ?? false, country: o.country ?? null },
      fx.now(),
    );
    return exportRows(conn, sql, format, o.out);
  });
  fx.out(
    o.json
      ? JSON.stringify({ out: o.out, format, rows: n })
      : `${n.toLocaleString('en-GB')} suspects written to ${o.out} (${format})`,
  );
}
