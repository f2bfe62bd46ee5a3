/** `unspoof dispatch`: dispatchers that send every sending campaign of a case, until stopped. */
import { z } from 'zod';
import { openOps } from '../ops/open.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { runDispatchers, stopOnSignals } from './run.ts';
import { readOutreachSettings } from './settings.ts';

const Options = z.object({
  case: z.string().min(1),
  workers: z.coerce.number().int().min(1).max(64).default(1),
  untilIdle: z.boolean().optional(),
  json: z.boolean().optional(),
});

export async function dispatchCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const settings = readOutreachSettings(o.case);
  const db = await openOps(o.case);
  try {
    fx.note(
      `dispatch: ${o.workers} dispatcher${o.workers > 1 ? 's' : ''}, ${settings.gateway.kind} gateway, at most ${settings.rate} messages/s`,
    );
    const handles = await runDispatchers(
      o.case,
      db,
      settings,
      fx,
      { workers: o.workers, untilIdle: o.untilIdle ?? false },
      stopOnSignals(),
    );
    const total = handles.reduce(
      (a, h) => ({
        submitted: a.submitted + h.counts.submitted,
        accepted: a.accepted + h.counts.accepted,
        failed: a.failed + h.counts.failed,
        in_doubt: a.in_doubt + h.counts.inDoubt,
      }),
      { submitted: 0, accepted: 0, failed: 0, in_doubt: 0 },
    );
    fx.out(
      o.json
        ? JSON.stringify(total)
        : `dispatch stopped: ${total.accepted} accepted, ${total.failed} failed, ${total.in_doubt} in doubt`,
    );
  } finally {
    await db.close();
  }
}
