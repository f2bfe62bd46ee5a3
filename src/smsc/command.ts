/** `unspoof smsc`: the local SMS centre, until stopped. */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { stopOnSignals } from '../outreach/run.ts';
import { parseFaults } from './faults.ts';
import { startSimulator } from './simulator.ts';

const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(2775),
  log: z.string().optional(),
  faults: z.string().optional(),
});

export async function smscCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const faults = parseFaults(o.faults);
  const sim = await startSimulator({ port: o.port, log: o.log, faults }).catch(
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        throw new UnspoofError('PORT_IN_USE', `port ${o.port} is in use by another program`);
      throw e;
    },
  );
  fx.note(
    `smsc: the local SMS centre listens on 127.0.0.1:${sim.port}${o.log ? `, logging accepted messages to ${o.log}` : ''}${o.faults ? `, faults ${o.faults}` : ''}`,
  );
  const stop = stopOnSignals();
  await new Promise<void>((r) => stop.addEventListener('abort', () => r(), { once: true }));
  await sim.close();
  fx.note(
    `smsc: stopped (${sim.counts.accepted} messages accepted in ${sim.counts.segments} parts, ${sim.counts.invalid} invalid, ${sim.counts.throttled} throttled, ${sim.counts.temporary} temporary, ${sim.counts.permanent} permanent failures, ${sim.counts.dropped} connections dropped, ${sim.counts.receipts} receipts sent, ${sim.counts.lost} lost)`,
  );
}
