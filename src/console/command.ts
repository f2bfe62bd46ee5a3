/** `unspoof serve`: the analyst console of one case. */
import { z } from 'zod';
import { readSettings } from '../case/settings.ts';
import { openOps } from '../ops/open.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { openAnalysis } from '../readout/analysis.ts';
import { clientBundle } from './assets.ts';
import { buildPortal } from '../portal/portal.ts';
import { buildConsole } from './server.ts';

const Options = z.object({
  case: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  /** The victim portal alone (`/report`), without the analyst console. */
  portalOnly: z.boolean().default(false),
  /** Reverse proxies (addresses or CIDRs, comma-separated) trusted to name the client. */
  trustProxy: z
    .string()
    .regex(/^[0-9a-fA-F.:/,]+$/, 'addresses or CIDRs, comma-separated')
    .optional(),
});

export interface Running {
  url: string;
  close(): Promise<void>;
}

export async function startConsole(raw: unknown, fx: Effects): Promise<Running> {
  const opts = parseOptions(Options, raw);
  const analysis = await openAnalysis(opts.case);
  const ops = await openOps(opts.case);
  try {
    const synthetic =
      // Any mark of a synthetic case (src/case/provenance.ts) counts.
      (await analysis.rows(`SELECT 1 FROM case_meta WHERE key IN ('synthetic', 'synthetic_marks')`))
        .length > 0;
    const app = opts.portalOnly
      ? (
          await buildPortal({
            ops,
            analysis,
            fx,
            caseDir: opts.case,
            secure: true,
            trustProxy: opts.trustProxy,
          })
        ).app
      : await buildConsole({
          ops,
          analysis,
          fx,
          synthetic,
          caseDir: opts.case,
          trustProxy: opts.trustProxy,
          timeZone: readSettings(opts.case).time_zone,
        });
    if (!opts.portalOnly) await clientBundle();
    await app.listen({ port: opts.port, host: opts.host }).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE'
        ? new UnspoofError(
            'PORT_IN_USE',
            `port ${opts.port} on ${opts.host} is in use: give another with --port`,
          )
        : e;
    });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    return {
      url: `http://${host}:${port}${opts.portalOnly ? '/report' : '/'}`,
      async close() {
        await app.close();
        await ops.close();
        analysis.close();
      },
    };
  } catch (e) {
    await ops.close();
    analysis.close();
    throw e;
  }
}

export async function serveCommand(raw: unknown, fx: Effects): Promise<void> {
  const running = await startConsole(raw, fx);
  const what = (raw as { portalOnly?: boolean }).portalOnly ? 'victim portal' : 'console';
  fx.out(`The ${what} is at ${running.url} (Ctrl-C to stop).`);
  if (!/^http:\/\/(127\.|\[::1\]|localhost)/.test(running.url)) {
    fx.note('Listening beyond this machine: put it behind HTTPS (its cookies are Secure-only).');
  }
  await untilStopped(running);
}

/** Serves until Ctrl-C (SIGINT) or SIGTERM, then closes the console cleanly. */
export function untilStopped(running: Running): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => void running.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
