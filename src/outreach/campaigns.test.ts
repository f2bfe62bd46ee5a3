import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/fixtures.ts';
import { backends } from '../../test/ops-backends.ts';
import {
  content,
  madeUpTargets,
  outreachUsers,
  sendingCampaign,
} from '../../test/outreach-fixtures.ts';
import { READINGS, reviewCase } from '../../test/review-case.ts';
import { openAnalysis } from '../readout/analysis.ts';
import type { OpsDb } from '../ops/db.ts';
import { memoryEffects } from '../shared/effects.ts';
import { parseFaults } from '../smsc/faults.ts';
import { startSimulator } from '../smsc/simulator.ts';
import {
  approveCampaign,
  campaignStatus,
  createCampaign,
  editCampaign,
  flaggedIn,
  moveCampaign,
  NEEDS_REVIEW_ERROR,
  NONE_FLAGGED,
} from './campaigns.ts';
import { refKeys } from './keys.ts';
import { previewMessages } from './preview.ts';
import type { Target } from './targets.ts';
import { CODE_STAND_IN } from './template.ts';
import { runDispatchers } from './run.ts';
import { OutreachSettings } from './settings.ts';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

async function draft(db: OpsDb, n = 10, over: Record<string, unknown> = {}, filter = {}) {
  const { outreach } = await outreachUsers(db);
  return createCampaign(
    db,
    outreach,
    { content: content(over), filter },
    { targets: madeUpTargets(n), synthetic: true },
    await refKeys(db),
    new Date(),
  );
}

for (const backend of backends) {
  describe(`campaigns (${backend.name})`, () => {
    const test = (name: string, body: (db: OpsDb) => Promise<void>) =>
      it(name, { timeout: 60_000 }, async () => {
        const { db, drop } = await backend.open();
        try {
          await body(db);
        } finally {
          await drop();
        }
      });

    test('four eyes: drafted by one, approved by a supervisor who is not the author', async (db) => {
      const { outreach, supervisor, other } = await outreachUsers(db);
      const now = new Date();
      const { id } = await draft(db);
      assert.equal(await code(approveCampaign(db, outreach, id, now, NONE_FLAGGED)), 'FORBIDDEN');
      const keys = await refKeys(db);
      const own = await createCampaign(
        db,
        supervisor,
        { content: content(), filter: {}, includeTexted: true },
        { targets: madeUpTargets(3), synthetic: true },
        keys,
        now,
      );
      assert.equal(
        await code(approveCampaign(db, supervisor, own.id, now, NONE_FLAGGED)),
        'FOUR_EYES',
      );
      assert.equal((await approveCampaign(db, other, own.id, now, NONE_FLAGGED)).state, 'approved');
      assert.equal(
        (await approveCampaign(db, supervisor, id, now, NONE_FLAGGED)).approver,
        'o-super',
      );
    });

    test('states: unapproved, edited after approval, closed window and wrong moves are refused', async (db) => {
      const { outreach, supervisor } = await outreachUsers(db);
      const now = new Date();
      const { id } = await draft(db);
      assert.equal(
        await code(moveCampaign(db, outreach, id, 'send', now, undefined, NONE_FLAGGED)),
        'CAMPAIGN_NOT_APPROVED',
      );
      await approveCampaign(db, supervisor, id, now, NONE_FLAGGED);
      const edited = await editCampaign(db, outreach, id, { name: 'renamed' }, now);
      assert.equal(edited.state, 'draft', 'an edit voids the approval');
      assert.equal(edited.approver, null);
      assert.equal(
        await code(moveCampaign(db, outreach, id, 'send', now, undefined, NONE_FLAGGED)),
        'CAMPAIGN_NOT_APPROVED',
      );
      await approveCampaign(db, supervisor, id, now, NONE_FLAGGED);
      assert.equal(
        await code(moveCampaign(db, outreach, id, 'resume', now, undefined, NONE_FLAGGED)),
        'CAMPAIGN_STATE',
      );
      assert.equal(
        await code(
          moveCampaign(
            db,
            outreach,
            id,
            'send',
            new Date(Date.now() + 2 * 86_400_000),
            undefined,
            NONE_FLAGGED,
          ),
        ),
        'OUTSIDE_WINDOW',
      );
      assert.equal(
        (await moveCampaign(db, outreach, id, 'send', now, undefined, NONE_FLAGGED)).state,
        'sending',
      );
      assert.equal(
        await code(editCampaign(db, outreach, id, { name: 'x' }, now)),
        'CAMPAIGN_STATE',
      );
      assert.equal((await moveCampaign(db, outreach, id, 'pause', now)).state, 'paused');
      assert.equal(
        (await moveCampaign(db, supervisor, id, 'resume', now, undefined, NONE_FLAGGED)).state,
        'sending',
      );
      assert.equal(
        (await moveCampaign(db, outreach, id, 'cancel', now, 'wrong list')).state,
        'cancelled',
      );
      assert.equal(
        await code(moveCampaign(db, outreach, id, 'resume', now, undefined, NONE_FLAGGED)),
        'CAMPAIGN_STATE',
      );
      const actions = (
        await db.query<{ action: string }>(
          `SELECT action FROM audit WHERE target = $1 ORDER BY id`,
          [`campaign:${id}`],
        )
      ).map((r) => r.action);
      assert.deepEqual(actions, [
        'campaign_create',
        'campaign_approve',
        'campaign_edit',
        'campaign_approve',
        'campaign_send',
        'campaign_pause',
        'campaign_resume',
        'campaign_cancel',
      ]);
    });

    test('an unsafe template or an invalid campaign is refused before it exists', async (db) => {
      assert.equal(
        await code(
          draft(db, 5, { template: 'Click https://refund-now.com to claim, ref {reference}' }),
        ),
        'TEMPLATE_UNSAFE',
      );
      assert.equal(await code(draft(db, 5, { template: 'Hello from {force}' })), 'TEMPLATE_UNSAFE');
      assert.equal(
        await code(draft(db, 5, { officialSite: 'https://met.police.uk' })),
        'CAMPAIGN_INVALID',
      );
      assert.equal(await code(draft(db, 5, { windowEnd: new Date(0) })), 'CAMPAIGN_INVALID');
      assert.equal(
        await code(draft(db, 5, { senderId: 'A sender id that is far too long' })),
        'CAMPAIGN_INVALID',
      );
      const { supervisor } = await outreachUsers(db);
      const { id } = await draft(db, 5);
      assert.equal(
        await code(
          editCampaign(
            db,
            supervisor,
            id,
            { template: 'Send us your PIN, ref {reference}' },
            new Date(),
          ),
        ),
        'TEMPLATE_UNSAFE',
      );
      assert.equal((await db.query(`SELECT 1 FROM campaigns`)).length, 1);
    });

    test('leaves out opted-out numbers and victims another campaign texts, unless told', async (db) => {
      const first = await draft(db, 10);
      assert.equal(first.messages, 10);
      await db.query(`INSERT INTO opt_outs (number, keyword, at) VALUES ($1, 'STOP', now())`, [
        madeUpTargets(20)[15]?.number,
      ]);
      const second = await draft(db, 20);
      assert.deepEqual(second, {
        id: second.id,
        messages: 9,
        excluded: { opted_out: 1, texted_by_another_campaign: 10, needs_review: 0 },
      });
      const { outreach } = await outreachUsers(db);
      const third = await createCampaign(
        db,
        outreach,
        { content: content(), filter: {}, includeTexted: true },
        { targets: madeUpTargets(20), synthetic: true },
        await refKeys(db),
        new Date(),
      );
      assert.equal(third.messages, 19, 'never an opted-out number');
    });

    test('texts to numbers flagged since the draft are left out at approval and at resume, counted and audited', async (db) => {
      const { outreach, supervisor } = await outreachUsers(db);
      const now = new Date();
      const t = madeUpTargets(6).map((x) => x.number);
      const { id } = await draft(db, 6);
      // What the analysis flags when asked (a number outside the campaign changes nothing).
      let flagged = [t[0] as string, '+61412345678'];
      const check = async () => flagged;
      const approved = await approveCampaign(db, supervisor, id, now, check);
      assert.equal(approved.state, 'approved');
      assert.equal(approved.review_left_out, 1);
      const states = async () =>
        (
          await db.query<{ number: string; state: string; error: string | null }>(
            `SELECT number, state, error FROM messages WHERE campaign_id = $1 ORDER BY number`,
            [id],
          )
        ).map((m) => [m.number, m.state, m.error]);
      assert.deepEqual((await states())[0], [t[0], 'needs_review', NEEDS_REVIEW_ERROR]);
      // The approval covers the outbox as it is then: sending is not refused for it.
      assert.equal(
        (await moveCampaign(db, outreach, id, 'send', now, undefined, check)).state,
        'sending',
      );
      await moveCampaign(db, outreach, id, 'pause', now);
      flagged = [t[0] as string, t[1] as string, t[2] as string];
      const resumed = await moveCampaign(db, supervisor, id, 'resume', now, undefined, check);
      assert.equal(resumed.review_left_out, 3);
      assert.deepEqual(
        (await states()).map(([n, st]) => [n, st]),
        t.map((n, i) => [n, i < 3 ? 'needs_review' : 'queued']),
      );
      assert.deepEqual((await campaignStatus(db, id)).counts, { needs_review: 3, queued: 3 });
      const audit = await db.query<{ action: string; detail: Record<string, unknown> }>(
        `SELECT action, detail FROM audit WHERE target = $1 ORDER BY id`,
        [`campaign:${id}`],
      );
      assert.deepEqual(
        audit.slice(1).map((a) => [a.action, a.detail.needs_review_left_out ?? null]),
        [
          ['campaign_approve', 1],
          ['campaign_send', 0],
          ['campaign_pause', null],
          ['campaign_resume', 2],
        ],
      );
      // Left out, never sent: a later campaign may text them (once a reading is confirmed).
      const later = await draft(db, 6);
      assert.equal(later.messages, 3);
      assert.equal(later.excluded.texted_by_another_campaign, 3);
      // A campaign that includes such victims explicitly keeps them; nothing is checked.
      const { id: all } = await createCampaign(
        db,
        outreach,
        { content: content(), filter: { includeReview: true } },
        { targets: madeUpTargets(2, 100), synthetic: true },
        await refKeys(db),
        now,
      );
      const kept = await approveCampaign(db, supervisor, all, now, async () => {
        throw new Error('not asked');
      });
      assert.equal(kept.review_left_out, 0);
      assert.deepEqual((await campaignStatus(db, all)).counts, { queued: 2 });
      // Sending and resuming need the analysis to check against (a caller that forgot is a bug).
      await moveCampaign(db, outreach, id, 'pause', now);
      assert.equal(
        await code(
          (moveCampaign as (...a: unknown[]) => Promise<unknown>)(db, outreach, id, 'resume', now),
        ),
        'INTERNAL',
      );
    });

    test('a campaign drafted before its victims became flagged does not text them (real ingest, analysis and dispatch)', async (db) => {
      const { outreach, supervisor } = await outreachUsers(db);
      const now = new Date();
      const { conflictA, conflictB, weak, certain } = READINGS;
      // The review case, analysed: A and B have two readings each, so they need review now.
      const caseDir = await reviewCase();
      // A campaign drafted while they did not (from an earlier analysis, or by an earlier
      // version): A, B and the certain number, its likely victims.
      const target = (number: string, zones: string, brand: string): Target => ({
        number,
        country: zones.startsWith('Australia') ? 'AU' : 'GB',
        brand,
        callDate: '2021-03-01',
        zones,
      });
      const drafted = await createCampaign(
        db,
        outreach,
        { content: content(), filter: {} },
        {
          targets: [
            target(conflictA.number, 'Australia/Sydney', 'ING'),
            target(conflictB.number, 'Australia/Sydney', 'ING'),
            target(certain, 'Europe/London', 'Barclays'),
          ],
          synthetic: false,
        },
        await refKeys(db),
        now,
      );
      assert.equal(drafted.messages, 3);
      const analysis = await openAnalysis(caseDir);
      try {
        const flagged = flaggedIn(analysis);
        assert.deepEqual(
          [...(await flagged())].sort(),
          [conflictA.number, conflictB.number, weak].sort(),
        );
        const c = await approveCampaign(db, supervisor, drafted.id, now, flagged);
        assert.equal(c.review_left_out, 2);
        await moveCampaign(db, outreach, drafted.id, 'send', now, undefined, flagged);
      } finally {
        analysis.close();
      }
      const dir = tempDir('unspoof-review-gw-');
      const stop = new AbortController();
      await runDispatchers(
        dir,
        db,
        OutreachSettings.parse({ gateway: { kind: 'file', path: 'texts.jsonl' }, leaseSeconds: 1 }),
        { ...memoryEffects(now), now: () => new Date() },
        { workers: 1, untilIdle: true, campaignId: drafted.id },
        stop.signal,
      );
      const sent = fs
        .readFileSync(path.join(dir, 'texts.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { to: string }).to);
      assert.deepEqual(sent, [certain], 'only the number that needs no review');
      const s = await campaignStatus(db, drafted.id);
      assert.equal(s.counts.needs_review, 2);
      // A file sends no receipts: every text written awaits one.
      assert.equal(s.campaign.state, 'awaiting_receipts');
    });

    test('previews show masked codes, the encoding and segments', async (db) => {
      const { outreach } = await outreachUsers(db);
      const { id } = await draft(db, 3);
      const p = await previewMessages(db, outreach, id, 5);
      assert.equal(p.length, 3);
      assert.ok(
        p.every(
          (r) => r.text.includes(CODE_STAND_IN) && r.encoding === 'GSM-7' && r.segments === 2,
        ),
      );
    });

    test('a synthetic campaign goes only to a gateway set as a test peer, whatever it calls itself; a file takes it', async (db) => {
      const id = await sendingCampaign(db, madeUpTargets(5));
      // It answers binds as the simulator would: the name decides nothing.
      const live = await startSimulator({
        port: 0,
        faults: parseFaults(''),
        answerAs: 'unspoof-smsc',
      });
      const dir = tempDir('unspoof-gw-');
      const fx = memoryEffects(new Date());
      const stop = new AbortController();
      try {
        const smpp = OutreachSettings.parse({ gateway: { kind: 'smpp', port: live.port } });
        assert.equal(
          await code(
            runDispatchers(dir, db, smpp, fx, { workers: 1, untilIdle: true }, stop.signal),
          ),
          'GATEWAY_REFUSED',
        );
        assert.equal(live.counts.accepted, 0);
        const file = OutreachSettings.parse({
          gateway: { kind: 'file', path: 'dry-run.jsonl' },
          leaseSeconds: 1,
        });
        await runDispatchers(
          dir,
          db,
          file,
          { ...fx, now: () => new Date() },
          { workers: 1, untilIdle: true },
          stop.signal,
        );
        const lines = fs.readFileSync(path.join(dir, 'dry-run.jsonl'), 'utf8').trim().split('\n');
        assert.equal(lines.length, 5);
        // No receipt comes from a file: taken, awaiting receipts, never counted as delivered.
        const s = await campaignStatus(db, id);
        assert.equal(s.counts.submitted, 5);
        assert.equal(s.campaign.state, 'awaiting_receipts');
      } finally {
        await live.close();
      }
    });

    test('a limit takes the next victims that can be texted: two pilots, disjoint, N each', async (db) => {
      const all = madeUpTargets(30);
      const numbers = async (id: number) =>
        (
          await db.query<{ number: string }>(
            'SELECT number FROM messages WHERE campaign_id = $1 ORDER BY number',
            [id],
          )
        ).map((m) => m.number);
      // An opted-out number among the first ten: the first pilot still has ten.
      await db.query(`INSERT INTO opt_outs (number, keyword, at) VALUES ($1, 'STOP', now())`, [
        all[3]?.number,
      ]);
      const pilot = { limit: 10 };
      const first = await draft(db, 30, {}, pilot);
      const second = await draft(db, 30, {}, pilot);
      assert.deepEqual([first.messages, second.messages], [10, 10]);
      const [a, b] = [await numbers(first.id), await numbers(second.id)];
      assert.deepEqual(
        a,
        all
          .slice(0, 11)
          .filter((_, i) => i !== 3)
          .map((t) => t.number),
        'the first ten textable, in the selection’s order',
      );
      assert.deepEqual(
        b,
        all.slice(11, 21).map((t) => t.number),
        'the next ten',
      );
      assert.deepEqual(second.excluded, {
        opted_out: 1,
        texted_by_another_campaign: 10,
        needs_review: 0,
      });
      const third = await draft(db, 30, {}, pilot);
      assert.equal(third.messages, 9, 'what is left');
      assert.equal((await draft(db, 30, {}, pilot)).messages, 0);
    });
  });
}
