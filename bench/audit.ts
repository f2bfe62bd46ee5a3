/**
 * `npm run bench:audit`: the cost of writing one audit entry (`recordAudit`: the chain, and
 * the Merkle tree's head brought up to date in the same transaction), on a log that already
 * holds `--prefill` entries (default 5,000), for `--entries` writes (default 2,000), one after
 * another as the console and the command line write them. The floor, measured in the same run
 * between two halves of the writes: a bare INSERT of the same row in its own transaction, into
 * a table of the same shape without chain or tree. Ratio = entry time / floor time.
 * PostgreSQL when DATABASE_URL is set (a schema of its own, dropped), else PGlite in memory.
 */
import { parseArgs } from 'node:util';
import { recordAudit } from '../src/audit/audit.ts';
import type { OpsDb } from '../src/ops/db.ts';
import { benchOpsStore, log } from './common.ts';

const { values } = parseArgs({
  options: {
    prefill: { type: 'string', default: '5000' },
    entries: { type: 'string', default: '2000' },
  },
});
const prefill = Number(values.prefill);
const entries = Number(values.entries);

const entry = (i: number) => ({
  actor: `analyst${i % 7}`,
  action: 'victim_view',
  target: `victim:${'x'.repeat(43)}`,
  reason: i % 5 === 0 ? 'called back the victim' : null,
  detail: { page: i % 100, filters: { country: 'GB', tier: 'likely' } },
});

async function timeEach(n: number, write: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await write(i);
    times.push(performance.now() - t);
  }
  return times;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;

async function floorWrite(db: OpsDb, i: number): Promise<void> {
  const e = entry(i);
  await db.transaction((tx) =>
    tx.query(
      `INSERT INTO bench_floor (at, actor, action, target, reason, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
      [new Date().toISOString(), e.actor, e.action, e.target, e.reason, JSON.stringify(e.detail)],
    ),
  );
}

const { db, kind, drop } = await benchOpsStore(null);
try {
  await db.query(`CREATE TABLE bench_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL,
    actor text NOT NULL, action text NOT NULL, target text, reason text, detail jsonb NOT NULL)`);
  log(
    `audit bench — ${kind}: ${prefill.toLocaleString('en-GB')} entries first, then ${entries.toLocaleString('en-GB')} timed`,
  );
  await timeEach(prefill, (i) => recordAudit(db, entry(i), new Date()));
  const half = Math.floor(entries / 2);
  const first = await timeEach(half, (i) => recordAudit(db, entry(i), new Date()));
  const floor = await timeEach(entries, (i) => floorWrite(db, i));
  const second = await timeEach(entries - half, (i) => recordAudit(db, entry(i), new Date()));
  const audit = [...first, ...second];
  const line = (name: string, xs: number[]) =>
    log(
      `  ${name.padEnd(34)} ${mean(xs).toFixed(3)} ms mean  p50 ${pct(xs, 0.5).toFixed(3)} ms  p99 ${pct(xs, 0.99).toFixed(3)} ms  ${Math.round(1000 / mean(xs)).toLocaleString('en-GB')} /s`,
    );
  line('audit entry (recordAudit)', audit);
  line('floor: bare INSERT, own transaction', floor);
  log(`  ratio (entry / floor) ${(mean(audit) / mean(floor)).toFixed(2)}`);
} finally {
  await drop();
}
