/**
 * The server side of `bench:console`, in its own process: the console of the bench case, a bare
 * Fastify route to compare with, and a signed-in analyst. Prints {"console","bare","cookie"}
 * as one JSON line, then serves until killed.
 */
import crypto from 'node:crypto';
import Fastify from 'fastify';
import { openAnalysis } from '../src/readout/analysis.ts';
import { clientBundle } from '../src/console/assets.ts';
import { buildConsole } from '../src/console/server.ts';
import { openOps } from '../src/ops/open.ts';
import { defaultEffects } from '../src/shared/effects.ts';
import { createSession } from '../src/users/sessions.ts';
import { addUser } from '../src/users/users.ts';

const caseDir = process.argv[2] as string;
const fx = defaultEffects({ quiet: true });
const ops = await openOps(caseDir);
const analysis = await openAnalysis(caseDir);
// The per-client limit (600 requests a minute) would stop a load test from one address: lifted
// here, and only here. Login limits stay as they are.
const app = await buildConsole({
  ops,
  analysis,
  fx,
  synthetic: true,
  requestsPerMinute: 10_000_000,
});
await clientBundle();
await app.listen({ port: 0, host: '127.0.0.1' });
const bare = Fastify({ logger: false });
bare.get('/', async () => 'ok');
await bare.listen({ port: 0, host: '127.0.0.1' });
const { user } = await addUser(
  ops,
  { name: `bench-${crypto.randomBytes(4).toString('hex')}`, role: 'analyst' },
  'bench',
  new Date(),
);
const { token } = await createSession(ops, user, new Date());
const port = (a: typeof app.server) => (a.address() as { port: number }).port;
process.stdout.write(
  `${JSON.stringify({ console: `http://127.0.0.1:${port(app.server)}`, bare: `http://127.0.0.1:${port(bare.server)}`, cookie: `unspoof_session=${token}` })}\n`,
);
process.on('SIGINT', () => process.exit(0));
