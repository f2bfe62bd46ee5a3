/**
 * `unspoof unresolved`: the dialled values no reading resolves (docs/numbers.md), one row per
 * raw value with its calls and the evidence the calls had, so that no victim silently
 * disappears: an analyst can resolve them by hand, or learn which route names a country.
 */
import { z } from 'zod';
import { auditExport } from '../audit/cli.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { withAnalysedCase } from './analysed.ts';
import { exportRows, formatFor } from './export.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  format: z.string().optional(),
  json: z.boolean().optional(),
});

export const UNRESOLVED_COLUMNS = [
  'raw',
  'calls',
  'accounts',
  'answered_calls',
  'longest_call_seconds',
  'first_call_at',
  'last_call_at',
  'routes',
  'account_countries',
  'presented_countries',
];

export async function unresolvedCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const format = formatFor(o.out, o.format);
  const n = await withAnalysedCase(o.case, async (conn) => {
    await auditExport(o.case, 'unresolved', { out: o.out, format }, fx.now());
    return exportRows(
      conn,
      `SELECT ${UNRESOLVED_COLUMNS.join(', ')} FROM unresolved ORDER BY calls DESC, raw`,
      format,
      o.out,
    );
  });
  fx.out(
    o.json
      ? JSON.stringify({ out: o.out, format, rows: n })
      : `${n.toLocaleString('en-GB')} unresolved numbers written to ${o.out} (${format})`,
  );
}
