/** `unspoof crews`: crew membership, and optionally every link with its evidence. */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { withAnalysedCase } from './analysed.ts';
import { exportRows, formatFor } from './export.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  links: z.string().optional(),
  format: z.string().optional(),
  json: z.boolean().optional(),
});

export const CREWS_SQL = `SELECT crew_id, account_id, crew_size FROM crews ORDER BY crew_id, account_id`;
export const LINKS_SQL = `SELECT l.account_a, l.account_b, l.type, l.value, l.first_seen, l.last_seen,
    ca.crew_id AS crew_a, cb.crew_id AS crew_b
  FROM links l LEFT JOIN crews ca ON ca.account_id = l.account_a LEFT JOIN crews cb ON cb.account_id = l.account_b
  ORDER BY l.account_a, l.account_b, l.type, l.value`;

export async function crewsCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const { members, links } = await withAnalysedCase(o.case, async (conn) => {
    await auditExport(o.case, 'crews', { out: o.out, links: o.links ?? null }, fx.now());
    return {
      members: await exportRows(conn, CREWS_SQL, formatFor(o.out, o.format), o.out),
      links: o.links
        ? await exportRows(conn, LINKS_SQL, formatFor(o.links, o.format), o.links)
        : null,
    };
  });
  if (o.json) {
    fx.out(JSON.stringify({ out: o.out, members, links_out: o.links ?? null, links }));
    return;
  }
  fx.out(`${members.toLocaleString('en-GB')} crew members written to ${o.out}`);
  if (o.links) fx.out(`${(links ?? 0).toLocaleString('en-GB')} links written to ${o.links}`);
}
