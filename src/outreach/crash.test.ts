/**
 * Exactly once across crashes: dispatcher processes (`unspoof dispatch`) are killed with
 * SIGKILL at random moments, at least five times during a campaign, and restarted; the local
 * SMS centre's own log must then hold every victim exactly once. On PGlite one process owns the
 * store at a time; on PostgreSQL two run at once and either may be killed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ANALYSIS_FILE } from '../case/store.ts';
import type { OpsDb } from '../ops/db.ts';
import { openOps } from '../ops/open.ts';
import { parseFaults } from '../smsc/faults.ts';
import { startSimulator } from '../smsc/simulator.ts';
import { tempDir } from '../../test/fixtures.ts';
import { analysedCase } from '../../test/console-case.ts';
import { madeUpTargets, sendingCampaign } from '../../test/outreach-fixtures.ts';
import { testSchema, dropSchema } from '../../test/ops-backends.ts';
import { campaignStatus } from './campaigns.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/unspoof.js');
const VICTIMS = 2500;
const targets = madeUpTargets(VICTIMS);

const url = process.env.UNSPOOF_TEST_DATABASE_URL;
const runs = [
  { name: 'PGlite', env: {} as Record<string, string>, processes: 1 },
  ...(url
    ? [
        {
          name: 'PostgreSQL',
          env: { DATABASE_URL: url, UNSPOOF_OPS_SCHEMA: testSchema() },
          processes: 2,
        },
      ]
    : []),
];

/** What the store knows of the messages sent twice (no numbers): for a failure's message. */
async function history(open: () => Promise<OpsDb>, seen: Map<string, number>): Promise<string> {
  const twice = [...seen].filter(([, n]) => n > 1).map(([number]) => number);
  if (!twice.length) return '';
  const db = await open();
  try {
    const rows = await db.query(
      `SELECT m.id, m.state, m.attempts, m.error, m.claimed_at, m.in_doubt_since,
         (SELECT json_agg(json_build_object('id', r.message_id, 'at', r.received_at, 'applied', r.applied))
          FROM receipts r WHERE r.destination = m.number) AS receipts
       FROM messages m WHERE m.number = ANY ($1::text[])`,
      [twice],
    );
    return JSON.stringify(rows);
  } finally {
    await db.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

for (const run of runs) {
  describe(`a campaign survives dispatchers killed at random (${run.name})`, () => {
    it(
      'every victim is accepted exactly once, none is left out',
      { timeout: 240_000 },
      async () => {
        const caseDir = tempDir('unspoof-crash-');
        fs.copyFileSync(
          path.join(await analysedCase(), ANALYSIS_FILE),
          path.join(caseDir, ANALYSIS_FILE),
        );
        const log = path.join(caseDir, 'smsc.jsonl');
        const sim = await startSimulator({
          port: 0,
          log,
          faults: parseFaults('receipt-delay=100,throttle=97,temp=0.01'),
        });
        fs.writeFileSync(
          path.join(caseDir, 'outreach.json'),
          JSON.stringify({
            gateway: { kind: 'smpp', port: sim.port, window: 20, allowSynthetic: true },
            rate: 300,
            leaseSeconds: 1,
            inDoubtWaitSeconds: 4,
          }),
        );
        const env = { ...process.env, ...run.env };
        delete env.UNSPOOF_TEST_DATABASE_URL;
        const open = () =>
          openOps(caseDir, {
            DATABASE_URL: run.env.DATABASE_URL,
            UNSPOOF_OPS_SCHEMA: run.env.UNSPOOF_OPS_SCHEMA,
          });
        let db = await open();
        const id = await sendingCampaign(db, targets);
        await db.close();

        const start = (args: string[] = []): ChildProcess =>
          spawn(process.execPath, [BIN, 'dispatch', '--case', caseDir, ...args], {
            env,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
        const exited = (c: ChildProcess) =>
          c.exitCode !== null || c.signalCode !== null
            ? Promise.resolve()
            : new Promise<void>((r) => c.once('exit', () => r()));
        try {
          let kills = 0;
          const live: ChildProcess[] = Array.from({ length: run.processes }, () => start());
          // Kill at a random moment while texts are going out: after the dispatchers have sent
          // something since the last kill, then anywhere within the next 0.7 s.
          while (kills < 6 && sim.counts.accepted < VICTIMS * 0.9) {
            const before = sim.counts.accepted;
            const deadline = Date.now() + 30_000;
            while (sim.counts.accepted === before && Date.now() < deadline) await sleep(20);
            await sleep(rand(0, 700));
            const i = Math.floor(Math.random() * live.length);
            const victim = live[i] as ChildProcess;
            victim.kill('SIGKILL');
            await exited(victim);
            kills++;
            live[i] = start();
          }
          assert.ok(kills >= 5, `killed ${kills} times before the campaign was sent`);
          // Let the survivors finish: the last ones stop by themselves once nothing is left.
          for (const c of live) c.kill('SIGKILL');
          await Promise.all(live.map(exited));
          const last = start(['--until-idle']);
          let stderr = '';
          last.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
          await exited(last);
          assert.equal(last.exitCode, 0, stderr);

          await sleep(300);
          const lines = fs
            .readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { destination: string });
          const seen = new Map<string, number>();
          for (const l of lines) seen.set(l.destination, (seen.get(l.destination) ?? 0) + 1);
          const twice = [...seen].filter(([, n]) => n > 1).length;
          const missing = targets.filter((t) => !seen.has(t.number)).length;
          assert.equal(
            twice,
            0,
            `${twice} victims texted twice (after ${kills} kills): ${await history(open, seen)}`,
          );
          assert.equal(missing, 0, `${missing} victims never texted (after ${kills} kills)`);
          assert.equal(lines.length, VICTIMS);

          db = await open();
          const s = await campaignStatus(db, id);
          await db.close();
          // Completed once every text has its final receipt; a receipt still on its way when
          // the last dispatcher stopped leaves it awaiting receipts, never completed.
          assert.equal(
            s.campaign.state,
            s.counts.submitted ? 'awaiting_receipts' : 'completed',
            JSON.stringify(s.counts),
          );
          assert.equal(
            (s.counts.delivered ?? 0) + (s.counts.submitted ?? 0),
            VICTIMS,
            JSON.stringify(s.counts),
          );
        } finally {
          await sim.close();
          if (run.env.UNSPOOF_OPS_SCHEMA && url) await dropSchema(url, run.env.UNSPOOF_OPS_SCHEMA);
        }
      },
    );
  });
}
