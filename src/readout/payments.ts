/**
 * `unspoof payments`: every payment with its value in GBP and how it was found (docs/money.md):
 * stated by the export, paid in pounds, or amount × the rate of the day (the rate, its day and
 * its file beside it); `--unvalued` lists only those that could not be valued, with why.
 */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { withAnalysedCase } from './analysed.ts';
import { exportRows, formatFor } from './export.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  unvalued: z.boolean().optional(),
  format: z.string().optional(),
  json: z.boolean().optional(),
});

export function paymentsSql(unvalued: boolean): string {
  return `SELECT v.payment_id, v.account_id, v.paid_at, v.amount, v.currency, v.value_gbp, v.basis,
      v.rate, v.rate_day, f.name AS rate_file, v.not_valued
    FROM payment_values v LEFT JOIN files f ON f.file_id = v.rate_file
    ${unvalued ? 'WHERE v.basis IS NULL' : ''}
    ORDER BY v.paid_at, v.payment_id`;
}

export async function paymentsCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const format = formatFor(o.out, o.format);
  const n = await withAnalysedCase(o.case, async (conn) => {
    await auditExport(
      o.case,
      'payments',
      { out: o.out, format, unvalued: o.unvalued ?? false },
      fx.now(),
    );
    return exportRows(conn, paymentsSql(o.unvalued ?? false), format, o.out);
  });
  fx.out(
    o.json
      ? JSON.stringify({ out: o.out, format, rows: n })
      : `${n.toLocaleString('en-GB')} ${o.unvalued ? 'payments not valued' : 'payments'} written to ${o.out} (${format})`,
  );
}
