/** `unspoof audit`: reads (and verifies) the case's audit log. */
import { z } from 'zod';
import { openOps } from '../ops/open.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { listAudit, verifyAudit } from './audit.ts';

const Options = z.object({
  case: z.string().min(1),
  since: z.string().optional(),
  json: z.boolean().optional(),
  verify: z.boolean().optional(),
});

export async function auditCommand(raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(Options, raw);
  const since = opts.since === undefined ? undefined : new Date(opts.since);
  if (since && Number.isNaN(since.getTime())) {
    throw new UnspoofError(
      'USAGE',
      `--since ${opts.since} is not a date or time (e.g. 2026-03-01 or 2026-03-01T09:00Z)`,
    );
  }
  const db = await openOps(opts.case);
  try {
    if (opts.verify) {
      const n = await verifyAudit(db);
      fx.out(
        opts.json
          ? JSON.stringify({ verified: n })
          : `The audit log verifies: ${n} rows, chain intact.`,
      );
      return;
    }
    const rows = await listAudit(db, since ? { since } : {});
    if (opts.json) {
      fx.out(JSON.stringify(rows));
      return;
    }
    fx.out(
      table(
        ['id', 'at', 'actor', 'action', 'target', 'reason'],
        rows.map((r) => [r.id, r.at, r.actor, r.action, r.target ?? '', r.reason ?? '']),
      ),
    );
  } finally {
    await db.close();
  }
}
