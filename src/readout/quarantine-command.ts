/** `unspoof quarantine`: every quarantined row as CSV (file, line, reason, detail, raw). */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { sqlString } from '../shared/sql.ts';
import { openCase, queryRows } from '../case/store.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  json: z.boolean().optional(),
});

export async function quarantineCommand(raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(Options, raw);
  const store = await openCase(opts.case);
  try {
    await auditExport(opts.case, 'quarantine', { out: opts.out }, fx.now());
    await store.conn.run(
      `COPY (SELECT f.name AS file, q.line, q.reason, q.detail, q.raw
               FROM quarantine q JOIN files f USING (file_id)
              ORDER BY f.file_id, q.line)
         TO ${sqlString(opts.out)} (HEADER, DELIMITER ',', QUOTE '"', FORCE_QUOTE (raw))`,
    );
    const byReason = await queryRows<{ reason: string; n: bigint }>(
      store.conn,
      'SELECT reason, count(*) AS n FROM quarantine GROUP BY reason ORDER BY n DESC, reason',
    );
    const total = byReason.reduce((t, r) => t + Number(r.n), 0);
    if (opts.json) {
      fx.out(
        JSON.stringify({
          out: opts.out,
          rows: total,
          reasons: Object.fromEntries(byReason.map((r) => [r.reason, Number(r.n)])),
        }),
      );
    } else {
      fx.out(`${total.toLocaleString('en-GB')} quarantined rows written to ${opts.out}`);
      for (const r of byReason)
        fx.out(`  ${r.reason.padEnd(30)} ${Number(r.n).toLocaleString('en-GB').padStart(10)}`);
    }
  } finally {
    store.close();
  }
}
