/**
 * `npm run bench:outreach`: a 70,000-message campaign sent by one dispatcher to the local SMS
 * centre (its own process), against a bare SMPP client loop with the same window against the
 * same kind of simulator, in the same run. Prints messages/s, p99 submit latency, duplicates
 * and missing (from the simulator's log), and the ratio. Target: ≥ 1,000 messages/s, ratio ≥ 0.5.
 *
 * The texts are the default template's, two segments each (`--long-text udh`, the default; or
 * udh16, sar, payload): the bare loop writes the same PDUs.
 *
 *   npm run bench:outreach [-- --messages 70000 --window 50 --long-text udh]   (DATABASE_URL: PostgreSQL, else PGlite)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import smpp from 'smpp';
import { z } from 'zod';
import {
  approveCampaign,
  createCampaign,
  moveCampaign,
  NONE_FLAGGED,
} from '../src/outreach/campaigns.ts';
import { eventStore, startDispatcher, DISPATCH_DEFAULTS } from '../src/outreach/dispatcher.ts';
import { LONG_TEXT_METHODS, submitSmFields } from '../src/outreach/gateways/segments.ts';
import { openSmppGateway } from '../src/outreach/gateways/smpp.ts';
import { refKeys } from '../src/outreach/keys.ts';
import type { OpsDb, Prepared } from '../src/ops/db.ts';
import { defaultEffects } from '../src/shared/effects.ts';
import { addUser } from '../src/users/users.ts';
import { content, madeUpTargets } from '../test/outreach-fixtures.ts';
import { log, root, benchOpsStore } from './common.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '70000' },
    window: { type: 'string', default: '50' },
    'long-text': { type: 'string', default: 'udh' },
  },
});
const LONG_TEXT = z.enum(LONG_TEXT_METHODS).parse(values['long-text']);
const N = Number(values.messages);
const WINDOW = Number(values.window);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-bench-outreach-'));

/** The local SMS centre in its own process; resolves with its port. */
async function smsc(logFile: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'bin/unspoof.js'),
      'smsc',
      '--port',
      '0',
      '--log',
      logFile,
      '--faults',
      'receipt-delay=200',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
      const m = err.match(/listens on 127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`smsc exited: ${err}`)));
  });
  return { port, child };
}

async function stop(c: ChildProcess) {
  c.kill('SIGTERM');
  await new Promise((r) => c.once('exit', r));
}

function audit(logFile: string, expected: Set<string>) {
  const seen = new Map<string, number>();
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line) continue;
    const d = (JSON.parse(line) as { destination: string }).destination;
    seen.set(d, (seen.get(d) ?? 0) + 1);
  }
  return {
    duplicates: [...seen.values()].reduce((a, n) => a + Math.max(0, n - 1), 0),
    missing: [...expected].filter((n) => !seen.has(n)).length,
  };
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0;
};

/**
 * The floor: a bare smpp client keeping WINDOW submit_sm outstanding, nothing else — the same
 * PDUs the dispatcher writes for the same text (segments.ts), so both do the same SMPP work.
 */
async function bare(port: number, numbers: string[]): Promise<{ perSecond: number; p99: number }> {
  const s = smpp.connect({ host: '127.0.0.1', port });
  await new Promise<void>((r) => s.on('connect', () => r()));
  await new Promise<void>((r) =>
    s.bind_transceiver({ system_id: 'unspoof', password: '' }, () => r()),
  );
  s.on('deliver_sm', (pdu) => s.send(pdu.response()));
  const text =
    'Metropolitan Police: on 12 March 2026 someone called this phone pretending to be Barclays. It was not them. We never ask for money or bank details. To check this text is real, type met.police.uk/ispoof into your browser and enter reference K7QM-4XD2-9VW*. Reply STOP to opt out.';
  const pdus = numbers.flatMap((number, i) =>
    submitSmFields({ id: i + 1, number, sender: 'MetPolice', text }, LONG_TEXT),
  );
  const lat: number[] = [];
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    let done = 0;
    const one = () => {
      if (next >= pdus.length) return;
      const fields = pdus[next++] as Record<string, unknown>;
      const at = performance.now();
      s.submit_sm(fields, () => {
        lat.push(performance.now() - at);
        if (++done === pdus.length) resolve();
        else one();
      });
    };
    for (let i = 0; i < WINDOW; i++) one();
  });
  const secs = (performance.now() - t0) / 1000;
  await new Promise<void>((r) => s.unbind({}, () => s.close(() => r())));
  return { perSecond: numbers.length / secs, p99: p99(lat) };
}

async function dispatcher(
  port: number,
  db: OpsDb,
): Promise<{ perSecond: number; p99: number; setupMs: number }> {
  const fx = defaultEffects({ quiet: true });
  const now = new Date();
  const t = performance.now();
  const a = (await addUser(db, { name: 'bench-outreach', role: 'outreach' }, 'bench', now)).user;
  const s = (await addUser(db, { name: 'bench-super', role: 'supervisor' }, 'bench', now)).user;
  const keys = await refKeys(db);
  const { id } = await createCampaign(
    db,
    a,
    { content: content(), filter: {} },
    { targets: madeUpTargets(N), synthetic: true },
    keys,
    now,
  );
  // Made-up victims: no analysis to check numbers in.
  await approveCampaign(db, s, id, now, NONE_FLAGGED);
  await moveCampaign(db, a, id, 'send', now, undefined, NONE_FLAGGED);
  const setupMs = performance.now() - t;
  const gw = await openSmppGateway(
    {
      host: '127.0.0.1',
      port,
      systemId: 'unspoof',
      password: '',
      window: WINDOW,
      enquireLinkMs: 15_000,
      responseTimeoutMs: 30_000,
      longText: LONG_TEXT,
      allowSynthetic: true,
      querySm: true,
    },
    eventStore(db, fx, () => 'x'),
  );
  const t0 = performance.now();
  const d = await startDispatcher(db, gw, keys, fx, {
    ...DISPATCH_DEFAULTS,
    rate: 100_000,
    heartbeatMs: 1000,
    leaseMs: 15_000,
  });
  const lat: number[] = [];
  while (d.counts.accepted < N) {
    await new Promise((r) => setTimeout(r, 20));
    lat.push(...d.takeLatencies());
  }
  const secs = (performance.now() - t0) / 1000;
  lat.push(...d.takeLatencies());
  await d.stop();
  await gw.close();
  return { perSecond: N / secs, p99: p99(lat), setupMs };
}

const numbers = madeUpTargets(N).map((t) => t.number);
const expected = new Set(numbers);
log(
  `bench:outreach — ${N.toLocaleString('en-GB')} messages (long texts as ${LONG_TEXT}), window ${WINDOW}, simulator in its own process`,
);

const floorLog = path.join(work, 'bare.jsonl');
// BENCH_ONLY_DISPATCHER=1 skips the floor (for profiling the dispatcher alone).
const skipFloor = Boolean(process.env.BENCH_ONLY_DISPATCHER);
const sim1 = skipFloor ? null : await smsc(floorLog);
const floor = sim1 ? await bare(sim1.port, numbers) : { perSecond: NaN, p99: NaN };
await new Promise((r) => setTimeout(r, 500));
if (sim1) await stop(sim1.child);
const floorAudit = sim1 ? audit(floorLog, expected) : { duplicates: NaN, missing: NaN };

const runLog = path.join(work, 'dispatch.jsonl');
const sim2 = await smsc(runLog);
const store = await benchOpsStore(process.env.BENCH_MEMORY ? null : path.join(work, 'ops'));
if (process.env.BENCH_PROFILE) profile(store.db);
const run = await dispatcher(sim2.port, store.db);
await new Promise((r) => setTimeout(r, 500));
await stop(sim2.child);
await store.drop();
const runAudit = audit(runLog, expected);

const ratio = run.perSecond / floor.perSecond;
log(
  `bare SMPP client loop:    ${floor.perSecond.toFixed(0).padStart(6)} msg/s  p99 submit ${floor.p99.toFixed(1)} ms  (duplicates ${floorAudit.duplicates}, missing ${floorAudit.missing})`,
);
log(
  `unspoof dispatcher:       ${run.perSecond.toFixed(0).padStart(6)} msg/s  p99 submit ${run.p99.toFixed(1)} ms  on ${store.kind} (campaign of ${N} made in ${(run.setupMs / 1000).toFixed(1)} s)`,
);
log(
  `duplicates ${runAudit.duplicates}, missing ${runAudit.missing} (from the simulator's log; both must be 0)`,
);
log(
  `ratio to the bare loop:   ${ratio.toFixed(2)}  (target ≥ 0.5); messages/s target ≥ 1,000: ${run.perSecond >= 1000 ? 'met' : 'NOT met'}`,
);
fs.rmSync(work, { recursive: true, force: true });
if (runAudit.duplicates || runAudit.missing) process.exitCode = 1;

/** BENCH_PROFILE=1: time spent per statement (first 60 characters), printed at the end. */
function profile(db: OpsDb) {
  const spent = new Map<string, { ms: number; n: number }>();
  const wrap = <T extends { query: OpsDb['query'] }>(q: T): T => {
    const orig = q.query.bind(q);
    q.query = (async (sql: string | Prepared, params?: unknown[]) => {
      const t = performance.now();
      try {
        return await orig(sql, params);
      } finally {
        const k = (typeof sql === 'string' ? sql : sql.text)
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 60);
        const e = spent.get(k) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t;
        e.n++;
        spent.set(k, e);
      }
    }) as T['query'];
    return q;
  };
  wrap(db);
  const tx = db.transaction.bind(db);
  db.transaction = (fn) => tx((t) => fn(wrap(t)));
  process.on('exit', () => {
    for (const [k, v] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
      process.stdout.write(`${v.ms.toFixed(0).padStart(8)} ms ${String(v.n).padStart(6)}×  ${k}\n`);
    }
  });
}
