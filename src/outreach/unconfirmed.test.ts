/**
 * Receipts that never come, against the local SMS centre losing some on purpose: the campaign
 * awaits them, then ends completed with unconfirmed messages (counted, audited) — or completed,
 * when query_sm can tell; a text sent as segments is delivered only when every segment is; a
 * late receipt still counts; a resend takes two people.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import {
  dispatcherOn,
  fastDispatch,
  madeUpTargets,
  outreachUsers,
  sendingCampaign,
  until,
} from '../../test/outreach-fixtures.ts';
import type { OpsDb } from '../ops/db.ts';
import { memoryEffects } from '../shared/effects.ts';
import { parseFaults } from '../smsc/faults.ts';
import { startSimulator, type Simulator } from '../smsc/simulator.ts';
import { campaignStatus } from './campaigns.ts';
import { eventStore } from './dispatcher.ts';
import { approveResend, requestResend } from './resend.ts';
import { settleCampaigns } from './unconfirmed.ts';

/** One segment: what these tests count is messages, not segments. */
const SHORT =
  '{force}: a call on {call_date} was not {brand}. Ref {reference}. Reply STOP to opt out.';

async function run(db: OpsDb, sim: Simulator, n: number, over: Record<string, unknown> = {}) {
  const id = await sendingCampaign(db, madeUpTargets(n), over);
  const d = await dispatcherOn(db, sim.port, fastDispatch({ receiptTimeoutMs: 1_500 }));
  let last = '';
  await until(
    async () => {
      const s = await campaignStatus(db, id);
      last = `${s.campaign.state} ${JSON.stringify(s.counts)}`;
      return s.campaign.state.startsWith('completed');
    },
    30_000,
    'the campaign to complete',
  ).catch((e: Error) => {
    throw new Error(`${e.message} (last seen: ${last})`);
  });
  await d.stop();
  return { id, status: await campaignStatus(db, id) };
}

const audits = (db: OpsDb, id: number) =>
  db.query<{ action: string; detail: Record<string, unknown> | null }>(
    `SELECT action, detail FROM audit WHERE target = $1 ORDER BY id`,
    [`campaign:${id}`],
  );

for (const backend of backends) {
  describe(`unconfirmed messages (${backend.name})`, () => {
    const test = (
      name: string,
      faults: string,
      body: (db: OpsDb, sim: Simulator) => Promise<void>,
    ) =>
      it(name, { timeout: 60_000 }, async () => {
        const { db, drop } = await backend.open();
        const sim = await startSimulator({ port: 0, faults: parseFaults(faults) });
        try {
          await body(db, sim);
        } finally {
          await sim.close();
          await drop();
        }
      });

    test(
      'lost receipts end the campaign completed with unconfirmed messages, counted and audited',
      'lose-every=7,no-query,receipt-delay=10',
      async (db, sim) => {
        const { id, status } = await run(db, sim, 50, { template: SHORT });
        assert.equal(sim.counts.lost, 7);
        assert.equal(status.campaign.state, 'completed_unconfirmed');
        assert.equal(status.counts.unconfirmed, 7);
        assert.equal(status.counts.delivered, 43);
        const trail = await audits(db, id);
        const actions = trail.map((a) => a.action);
        assert.ok(actions.includes('campaign_awaiting_receipts'), actions.join());
        const done = trail.find((a) => a.action === 'campaign_completed_unconfirmed');
        assert.deepEqual(done?.detail?.counts, { delivered: 43, unconfirmed: 7 });
        assert.ok(!actions.includes('campaign_completed'));
      },
    );

    test(
      'query_sm settles a message whose receipt was lost: completed, every one delivered',
      'lose-every=7,receipt-delay=10',
      async (db, sim) => {
        const { id, status } = await run(db, sim, 50, { template: SHORT });
        assert.equal(sim.counts.lost, 7);
        assert.ok(sim.counts.queries >= 7);
        assert.equal(status.campaign.state, 'completed');
        assert.equal(status.counts.delivered, 50);
        const [r] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND done_at IS NOT NULL`,
          [id],
        );
        assert.equal(r?.n, 50);
      },
    );

    test(
      'a text sent as segments is delivered only when every segment is',
      'lose-every=5,no-query,receipt-delay=10',
      async (db, sim) => {
        const { status } = await run(db, sim, 30);
        assert.ok(sim.accepted.every((m) => m.parts === 2 && m.method === 'udh8'));
        const lostTo = new Set(
          sim.segments.filter((s) => s.receipt === 'lost').map((s) => s.destination),
        );
        assert.equal(sim.counts.lost, 12);
        assert.equal(status.counts.unconfirmed, lostTo.size);
        assert.equal(status.counts.delivered, 30 - lostTo.size);
      },
    );

    test(
      'a late receipt still counts; a resend takes a request and another supervisor’s approval',
      'lose-every=10,no-query,receipt-delay=10',
      async (db, sim) => {
        const { id } = await run(db, sim, 20, { template: SHORT });
        const [late] = await db.query<{ smsc_message_id: string; number: string }>(
          `SELECT smsc_message_id, number FROM messages WHERE campaign_id = $1 AND state = 'unconfirmed' ORDER BY id`,
          [id],
        );
        assert.ok(late);
        // Its receipt comes after all, days later: delivered, and one fewer unconfirmed.
        const fx = memoryEffects(new Date());
        await eventStore(
          db,
          fx,
          () => 'x',
        )([
          {
            type: 'receipt',
            messageId: late.smsc_message_id,
            destination: late.number,
            state: 'delivered',
            stat: 'DELIVRD',
            doneAt: null,
          },
        ]);
        await settleCampaigns(db, 'test', new Date());
        let s = await campaignStatus(db, id);
        assert.equal(s.counts.unconfirmed, 1);
        assert.equal(s.campaign.state, 'completed_unconfirmed');

        const { outreach, supervisor, other } = await outreachUsers(db);
        const now = new Date();
        await assert.rejects(approveResend(db, supervisor, id, now), { code: 'CAMPAIGN_STATE' });
        await requestResend(db, supervisor, id, now, 'the gateway lost receipts');
        await assert.rejects(approveResend(db, supervisor, id, now), { code: 'FOUR_EYES' });
        await assert.rejects(approveResend(db, outreach, id, now), { code: 'FORBIDDEN' });
        const r = await approveResend(db, other, id, now);
        assert.equal(r.queued, 1);
        assert.equal(r.campaign.state, 'sending');
        const d = await dispatcherOn(db, sim.port, fastDispatch({ receiptTimeoutMs: 1_500 }));
        await until(async () =>
          (await campaignStatus(db, id)).campaign.state.startsWith('completed'),
        );
        await d.stop();
        const [resent] = await db.query<{ number: string; state: string }>(
          `SELECT number, state FROM messages WHERE campaign_id = $1 AND resent_at IS NOT NULL`,
          [id],
        );
        const texts = (n: string) => sim.accepted.filter((m) => m.destination === n).length;
        assert.equal(texts(resent?.number as string), 2, 'the unconfirmed one went again');
        assert.equal(texts(late.number), 1, 'the one confirmed late did not');
        s = await campaignStatus(db, id);
        assert.equal(s.campaign.state, 'completed');
        assert.equal(s.counts.delivered, 20);
        const actions = (await audits(db, id)).map((a) => a.action);
        assert.ok(actions.includes('campaign_resend_request'));
        assert.ok(actions.includes('campaign_resend_approve'));
      },
    );
  });
}
