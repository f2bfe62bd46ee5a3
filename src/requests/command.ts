/**
 * `unspoof requests`: the provider worklist (docs/requests.md) for one country's users, or all:
 * per provider, each identifier to ask about, the accounts it belongs to, when it was seen and
 * why. The country is where the evidence places the accounts' users (docs/jurisdiction.md).
 */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { withAnalysedCase } from '../readout/analysed.ts';
import { exportRows, formatFor, inList, list } from '../readout/export.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  country: z.string().optional(),
  format: z.string().optional(),
  json: z.boolean().optional(),
});

export const REQUEST_COLUMNS = [
  'country',
  'provider_type',
  'provider',
  'identifier_type',
  'identifier',
  'accounts',
  'first_seen',
  'last_seen',
  'reason',
] as const;

export function requestsSql(countries: readonly string[]): string {
  return `SELECT ${REQUEST_COLUMNS.join(', ')} FROM provider_requests
    WHERE ${countries.length ? inList('country', [...countries]) : 'true'}
    ORDER BY country, provider_type, provider, identifier_type, identifier`;
}

export async function requestsCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const format = formatFor(o.out, o.format);
  const countries = list(o.country, true);
  const n = await withAnalysedCase(o.case, async (conn) => {
    await auditExport(
      o.case,
      'requests',
      { out: o.out, format, country: o.country ?? null },
      fx.now(),
    );
    return exportRows(conn, requestsSql(countries), format, o.out);
  });
  fx.out(
    o.json
      ? JSON.stringify({ out: o.out, format, rows: n })
      : `${n.toLocaleString('en-GB')} requests to providers written to ${o.out} (${format})`,
  );
}
