/**
 * The dispatcher against the local SMS centre over real TCP, one fault at a time: every victim
 * still gets exactly one text (or a recorded failure), the window and the rate are respected,
 * receipts land, STOP opts out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import {
  dispatcherOn,
  fastDispatch,
  madeUpTargets,
  sendingCampaign,
  settled,
  until,
} from '../../test/outreach-fixtures.ts';
import type { OpsDb } from '../ops/db.ts';
import { parseFaults } from '../smsc/faults.ts';
import { startSimulator, type Simulator } from '../smsc/simulator.ts';
import { campaignStatus } from './campaigns.ts';
import type { DispatchOptions } from './dispatcher.ts';

async function withSim(db: OpsDb, faults: string, fn: (sim: Simulator) => Promise<void>) {
  const sim = await startSimulator({ port: 0, faults: parseFaults(faults) });
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

/** One segment a text: for the faults whose point is the dispatcher's own retrying. */
const SHORT = {
  template:
    '{force}: a call on {call_date} was not {brand}. Ref {reference}. Reply STOP to opt out.',
};

async function send(
  db: OpsDb,
  sim: Simulator,
  n: number,
  o: Partial<DispatchOptions> = {},
  window = 20,
  over: Record<string, unknown> = {},
) {
  const targets = madeUpTargets(n);
  const id = await sendingCampaign(db, targets, over);
  const run = await dispatcherOn(db, sim.port, fastDispatch(o), window);
  try {
    await settled(db, id);
  } finally {
    // Stopped whatever happens: a dispatcher left running keeps the test's process alive.
    await run.stop();
  }
  const status = await campaignStatus(db, id);
  // What went wrong, when something did: the states and errors of the texts not delivered.
  const astray = await db.query(
    `SELECT state, error, parts, count(*)::int AS n FROM messages
      WHERE campaign_id = $1 AND state <> 'delivered' GROUP BY 1, 2, 3`,
    [id],
  );
  return { id, targets, status, run, astray: JSON.stringify(astray) };
}

const once = (sim: Simulator) => {
  const seen = new Map<string, number>();
  for (const m of sim.accepted) seen.set(m.destination, (seen.get(m.destination) ?? 0) + 1);
  return seen;
};

for (const backend of backends) {
  describe(`dispatcher faults (${backend.name})`, () => {
    const test = (
      name: string,
      faults: string,
      body: (db: OpsDb, sim: Simulator) => Promise<void>,
    ) =>
      it(name, { timeout: 120_000 }, async () => {
        const { db, drop } = await backend.open();
        try {
          await withSim(db, faults, (sim) => body(db, sim));
        } finally {
          await drop();
        }
      });

    test(
      'keeps no more than the window outstanding, and never beats the rate (submit_sm a second)',
      'delay=20,receipt-delay=20',
      async (db, sim) => {
        const { status } = await send(db, sim, 600, { rate: 200 }, 8);
        assert.equal(status.counts.delivered, 600);
        assert.ok(sim.maxOutstanding() <= 8, `outstanding ${sim.maxOutstanding()}`);
        assert.ok(sim.maxOutstanding() >= 4, 'the window is used');
        // The rate counts PDUs: each segment of a long text is one submit_sm.
        assert.ok(sim.segments.length > sim.accepted.length, 'the texts went as segments');
        const at = sim.segments.map((m) => Date.parse(m.at)).sort((a, b) => a - b);
        let worst = 0;
        for (let i = 0, j = 0; i < at.length; i++) {
          while ((at[i] as number) - (at[j] as number) >= 1000) j++;
          worst = Math.max(worst, i - j + 1);
        }
        assert.ok(worst <= 200, `${worst} messages in one second`);
        assert.ok(worst >= 120, `the rate is used (${worst}/s)`);
      },
    );

    test(
      'ESME_RTHROTTLED slows down and retries: everyone once',
      'throttle=7,receipt-delay=10',
      async (db, sim) => {
        const { status, run, astray } = await send(db, sim, 300, {}, 20, SHORT);
        assert.ok(sim.counts.throttled > 10);
        assert.ok(run.d.counts.retried >= sim.counts.throttled);
        assert.equal(status.counts.delivered, 300, astray);
        assert.ok([...once(sim).values()].every((n) => n === 1));
      },
    );

    test(
      'temporary errors retry with backoff: everyone once',
      'temp=0.2,receipt-delay=10',
      async (db, sim) => {
        const { status, astray } = await send(db, sim, 200, {}, 20, SHORT);
        assert.ok(sim.counts.temporary > 10);
        assert.equal(status.counts.delivered, 200, astray);
        assert.ok([...once(sim).values()].every((n) => n === 1));
      },
    );

    test(
      'permanent errors fail the message, with the reason',
      'fail=+447700900003;+447700900007,receipt-delay=10',
      async (db, sim) => {
        const { status, id } = await send(db, sim, 50);
        assert.equal(status.counts.failed, 2);
        assert.equal(status.counts.delivered, 48);
        const failed = await db.query<{ number: string; error: string; attempts: number }>(
          `SELECT number, error, attempts FROM messages WHERE campaign_id = $1 AND state = 'failed' ORDER BY number`,
          [id],
        );
        assert.deepEqual(
          failed.map((f) => f.number),
          ['+447700900003', '+447700900007'],
        );
        assert.ok(failed.every((f) => f.error === 'status 0xb' && f.attempts === 1));
      },
    );

    test(
      'a dropped connection leaves the message in doubt; its receipt resolves it without a second text',
      'drop=40,receipt-delay=10',
      async (db, sim) => {
        const { status, astray } = await send(db, sim, 300, { inDoubtWaitMs: 5_000 });
        assert.ok(sim.counts.dropped >= 5, `${sim.counts.dropped} drops`);
        assert.equal(status.counts.delivered, 300, astray);
        const seen = once(sim);
        assert.equal(seen.size, 300);
        assert.ok(
          [...seen.values()].every((n) => n === 1),
          'no victim texted twice',
        );
      },
    );

    test(
      'a receipt held while the connection was down still resolves its message, however short the wait',
      'drop=40,receipt-delay=10',
      async (db, sim) => {
        // The reconnection takes about 250 ms, longer than the wait: the wait must count only
        // from the new bind, when the SMS centre hands over the receipts it held.
        const { status, astray } = await send(db, sim, 300, {
          inDoubtWaitMs: 150,
          heartbeatMs: 50,
        });
        assert.ok(sim.counts.dropped >= 5, `${sim.counts.dropped} drops`);
        assert.equal(status.counts.delivered, 300, astray);
        const twice = [...once(sim).values()].filter((n) => n > 1).length;
        assert.equal(twice, 0, `${twice} victims texted twice`);
      },
    );

    test(
      'receipts set delivered or undeliverable',
      'undeliv=+447700900001,receipt-delay=10',
      async (db, sim) => {
        const { status } = await send(db, sim, 20);
        assert.equal(status.counts.undeliverable, 1);
        assert.equal(status.counts.delivered, 19);
      },
    );

    test(
      'a STOP for a text already claimed, not yet written, wins: never sent',
      'receipt-delay=10',
      async (db, sim) => {
        const targets = madeUpTargets(60);
        const id = await sendingCampaign(db, targets);
        // 20 segments a second: the dispatcher holds claimed texts for seconds before writing.
        const run = await dispatcherOn(db, sim.port, fastDispatch({ rate: 20 }), 10);
        await until(async () => sim.segments.length > 2, 30_000, 'first segments');
        // Claimed, and not one segment of it written yet.
        const claimed = await db.query<{ number: string }>(
          `SELECT number FROM messages WHERE campaign_id = $1 AND state = 'claimed' ORDER BY id DESC`,
          [id],
        );
        const seen = new Set(sim.segments.map((x) => x.destination));
        const held = claimed.find((m) => !seen.has(m.number));
        assert.ok(held, 'a claimed text waits for its turn');
        sim.inbound(held.number, 'MetPolice', 'STOP');
        await until(
          async () =>
            (
              await db.query(
                `SELECT 1 FROM messages WHERE campaign_id = $1 AND state IN ('queued', 'claimed')`,
                [id],
              )
            ).length === 0,
          60_000,
          'the campaign to be sent',
        );
        await run.stop();
        const [m] = await db.query<{ state: string; error: string }>(
          `SELECT state, error FROM messages WHERE campaign_id = $1 AND number = $2`,
          [id, held.number],
        );
        assert.equal(m?.state, 'opted_out');
        assert.ok(!sim.accepted.some((a) => a.destination === held.number), 'never sent');
      },
    );

    test(
      'STOP opts the number out of every campaign, audited without the number',
      'delay=5,receipt-delay=10',
      async (db, sim) => {
        const targets = madeUpTargets(400);
        const id = await sendingCampaign(db, targets);
        const run = await dispatcherOn(db, sim.port, fastDispatch({ rate: 100 }));
        await until(async () => sim.counts.accepted > 20, 30_000, 'first texts');
        const late = targets.at(-1)?.number as string;
        sim.inbound(late, 'MetPolice', 'Stop');
        await until(
          async () =>
            (await db.query(`SELECT 1 FROM opt_outs WHERE number = $1`, [late])).length === 1,
          10_000,
          'opt-out',
        );
        await settled(db, id);
        await run.stop();
        const [m] = await db.query<{ state: string }>(
          `SELECT state FROM messages WHERE campaign_id = $1 AND number = $2`,
          [id, late],
        );
        assert.equal(m?.state, 'opted_out');
        assert.ok(!sim.accepted.some((a) => a.destination === late));
        const [audit] = await db.query<{ action: string; target: string; detail: unknown }>(
          `SELECT action, target, detail FROM audit WHERE action = 'opt_out'`,
        );
        assert.ok(audit);
        assert.ok(
          !JSON.stringify(audit).includes(late.slice(1)),
          'the number is not in the audit log',
        );
        // A later campaign leaves the number out.
        const again = await sendingCampaign(db, [madeUpTargets(400).at(-1)!], {
          name: 'again',
        }).catch((e: Error) => e);
        assert.ok(typeof again === 'number');
        const [n] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1`,
          [again],
        );
        assert.equal(n?.n, 0);
      },
    );
  });
}
