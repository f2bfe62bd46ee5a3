/**
 * `npm run bench:portal`: drives the victim portal with autocannon: "is this text from us?"
 * (POST /report/check, rotating through the genuine codes of 2,000 texted victims) and a
 * question page (GET /report/q/organisation, signed in), then a bare Fastify route served by
 * the same process. Prints req/s, p50, p99 and non-2xx of each and the ratio to the bare route.
 * Targets: ≥ 1,000 code checks/s, p99 < 100 ms.
 *
 *   npm run bench:portal [-- --victims 2000 --connections 20 --duration 10]
 *   (DATABASE_URL: PostgreSQL, in a schema of its own dropped at the end; else PGlite in memory)
 *
 * The servers run in a process of their own (this file, `serve`), as bench:console's do, so
 * that autocannon does not share their event loop; closing its stdin closes them and the store.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildPortal } from '../src/portal/portal.ts';
import { defaultEffects } from '../src/shared/effects.ts';
import { textedVictims } from '../test/portal-fixtures.ts';
import { log, benchOpsStore } from './common.ts';

interface Served {
  portal: string;
  bare: string;
  store: string;
  victims: Array<{ code: string; digits: string }>;
}

/** The server side: the portal over `n` texted victims and a bare route, until stdin closes. */
async function serve(n: number): Promise<void> {
  const store = await benchOpsStore(null);
  const victims = await textedVictims(store.db, n);
  // The per-client limit would stop a load test from one address: lifted here, and only here.
  // The guessing guard stays as it is (genuine codes never count against it).
  const { app } = await buildPortal({
    ops: store.db,
    analysis: null,
    fx: defaultEffects({ quiet: true }),
    secure: false,
    requestsPerMinute: 1_000_000_000,
    // As behind a TLS proxy: each victim comes from their own address (X-Forwarded-For).
    trustProxy: '127.0.0.1',
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const bare = Fastify({ logger: false });
  bare.get('/', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send('<!doctype html><html lang="en"><title>ok</title><p>ok</p></html>'),
  );
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const port = (a: typeof app.server) => (a.address() as { port: number }).port;
  const served: Served = {
    portal: `http://127.0.0.1:${port(app.server)}`,
    bare: `http://127.0.0.1:${port(bare.server)}`,
    store: store.kind,
    victims: victims.map((v) => ({ code: v.code, digits: v.digits })),
  };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  await new Promise((r) => process.stdin.once('close', r).resume());
  await app.close();
  await bare.close();
  // Requests that autocannon abandoned at the end of a run still finish in their handlers after
  // the listeners close: they get a moment before the store goes.
  await new Promise((r) => setTimeout(r, 1000));
  await store.drop();
}

/** `name=value` of the cookie `name` that a response sets. */
function cookieOf(res: Response, name: string): string {
  const c = res.headers.getSetCookie().find((s) => s.startsWith(`${name}=`));
  if (!c) throw new Error(`${res.url}: no ${name} cookie`);
  return c.split(';')[0] as string;
}

const FORM = 'application/x-www-form-urlencoded';

async function drive(): Promise<void> {
  const { values } = parseArgs({
    options: {
      victims: { type: 'string', default: '2000' },
      connections: { type: 'string', default: '20' },
      duration: { type: 'string', default: '10' },
    },
  });
  const connections = Number(values.connections);
  const duration = Number(values.duration);
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, 'serve', values.victims as string],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((r) => server.once('exit', r));
  try {
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: server.stdout }).once('line', resolve);
      void exited.then((code) => reject(new Error(`the portal exited (${code})`)));
    });
    const s = JSON.parse(first) as Served;
    const [signedIn] = s.victims;
    if (!signedIn) throw new Error('no texted victims');

    // A visitor's CSRF cookie and form token (a token stays valid for its cookie).
    const form = await fetch(`${s.portal}/report/check`);
    const csrfCookie = cookieOf(form, 'unspoof_csrf');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!csrf) throw new Error('no CSRF token on /report/check');
    const checkBody = (code: string) => new URLSearchParams({ code, _csrf: csrf }).toString();
    const checkHeaders = { cookie: csrfCookie, 'content-type': FORM };

    // One victim signed in to their report.
    const start = await fetch(`${s.portal}/report/start`, {
      method: 'POST',
      redirect: 'manual',
      headers: checkHeaders,
      body: new URLSearchParams({
        code: signedIn.code,
        digits: signedIn.digits,
        _csrf: csrf,
      }).toString(),
    });
    if (start.status !== 303) throw new Error(`sign-in: ${start.status}`);
    const reportHeaders = { cookie: `${csrfCookie}; ${cookieOf(start, 'unspoof_report')}` };
    const questionPath = '/report/q/organisation';

    // What the measured requests get.
    const sample = await fetch(`${s.portal}/report/check`, {
      method: 'POST',
      headers: checkHeaders,
      body: checkBody(s.victims.at(-1)?.code ?? ''),
    });
    if (sample.status !== 200 || !(await sample.text()).includes('This text is from us'))
      throw new Error(`code check: ${sample.status}, not "This text is from us"`);
    const question = await fetch(`${s.portal}${questionPath}`, { headers: reportHeaders });
    if (
      question.status !== 200 ||
      !(await question.text()).includes('Who did the caller say they were?')
    )
      throw new Error(`question page: ${question.status}, not the organisation question`);

    let next = 0;
    const checkRequest: autocannon.Request = {
      method: 'POST',
      path: '/report/check',
      headers: checkHeaders,
      setupRequest: (req) => {
        const i = next++;
        return {
          ...req,
          // Many victims, each from their own address, as a proxy in front would report them.
          headers: {
            ...req.headers,
            'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          },
          body: checkBody(s.victims[i % s.victims.length]?.code ?? ''),
        };
      },
    };
    // A short warm-up (not counted), then the measured run.
    const run = async (url: string, requests: autocannon.Request[]) => {
      await autocannon({ url, connections, duration: 2, requests });
      return autocannon({ url, connections, duration, requests });
    };
    const bare = await run(s.bare, [{ method: 'GET', path: '/' }]);
    const check = await run(s.portal, [checkRequest]);
    const page = await run(s.portal, [
      { method: 'GET', path: questionPath, headers: reportHeaders },
    ]);

    const line = (name: string, r: autocannon.Result) => {
      const failed = r.errors + r.timeouts;
      log(
        `  ${name.padEnd(44)} ${r.requests.average.toFixed(0).padStart(7)} ${String(r.latency.p50).padStart(6)} ${String(r.latency.p99).padStart(6)} ${String(r.non2xx).padStart(7)} ${(r.requests.average / bare.requests.average).toFixed(2).padStart(6)}${failed ? `  (${failed} errors)` : ''}`,
      );
    };
    log('');
    log(
      `portal bench — ${s.store} store, ${s.victims.length.toLocaleString('en-GB')} texted victims, ${connections} connections, ${duration} s each (after 2 s warm-up)`,
    );
    log(`  ${'scenario'.padEnd(44)} ${'req/s'.padStart(7)} p50 ms p99 ms non-2xx  ratio`);
    line('bare Fastify route (GET /)', bare);
    line('code check (POST /report/check)', check);
    line(`question page (GET ${questionPath})`, page);
    const met = (ok: boolean) => (ok ? 'met' : 'not met');
    log(
      `code checks/s: ${check.requests.average.toFixed(0)} (target ≥ 1,000: ${met(check.requests.average >= 1000)})`,
    );
    log(`p99 < 100 ms, code check: ${met(check.latency.p99 < 100)} (${check.latency.p99} ms)`);
    log(`p99 < 100 ms, question page: ${met(page.latency.p99 < 100)} (${page.latency.p99} ms)`);
  } finally {
    server.stdin.end();
    await exited;
  }
}

if (process.argv[2] === 'serve') await serve(Number(process.argv[3]));
else await drive();
