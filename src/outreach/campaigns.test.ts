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
import type { OpsDb } from '../ops/db.ts';
import { memoryEffects } from '../shared/effects.ts';
import { parseFaults } from '../smsc/faults.ts';
import { startSimulator } from '../smsc/simulator.ts';
import {
  approveCampaign,
  campaignStatus,
  createCampaign,
  editCampaign,
  moveCampaign,
} from './campaigns.ts';
import { refKeys } from './keys.ts';
import { previewMessages } from './preview.ts';
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
      assert.equal(await code(approveCampaign(db, outreach, id, now)), 'FORBIDDEN');
      const keys = await refKeys(db);
      const own = await createCampaign(
        db,
        supervisor,
        { content: content(), filter: {}, includeTexted: true },
        { targets: madeUpTargets(3), synthetic: true },
        keys,
        now,
      );
      assert.equal(await code(approveCampaign(db, supervisor, own.id, now)), 'FOUR_EYES');
      assert.equal((await approveCampaign(db, other, own.id, now)).state, 'approved');
      assert.equal((await approveCampaign(db, supervisor, id, now)).approver, 'o-super');
    });

    test('states: unapproved, edited after approval, closed window and wrong moves are refused', async (db) => {
      const { outreach, supervisor } = await outreachUsers(db);
      const now = new Date();
      const { id } = await draft(db);
      assert.equal(
        await code(moveCampaign(db, outreach, id, 'send', now)),
        'CAMPAIGN_NOT_APPROVED',
      );
      await approveCampaign(db, supervisor, id, now);
      const edited = await editCampaign(db, outreach, id, { name: 'renamed' }, now);
      assert.equal(edited.state, 'draft', 'an edit voids the approval');
      assert.equal(edited.approver, null);
      assert.equal(
        await code(moveCampaign(db, outreach, id, 'send', now)),
        'CAMPAIGN_NOT_APPROVED',
      );
      await approveCampaign(db, supervisor, id, now);
      assert.equal(await code(moveCampaign(db, outreach, id, 'resume', now)), 'CAMPAIGN_STATE');
      assert.equal(
        await code(moveCampaign(db, outreach, id, 'send', new Date(Date.now() + 2 * 86_400_000))),
        'OUTSIDE_WINDOW',
      );
      assert.equal((await moveCampaign(db, outreach, id, 'send', now)).state, 'sending');
      assert.equal(
        await code(editCampaign(db, outreach, id, { name: 'x' }, now)),
        'CAMPAIGN_STATE',
      );
      assert.equal((await moveCampaign(db, outreach, id, 'pause', now)).state, 'paused');
      assert.equal((await moveCampaign(db, supervisor, id, 'resume', now)).state, 'sending');
      assert.equal(
        (await moveCampaign(db, outreach, id, 'cancel', now, 'wrong list')).state,
        'cancelled',
      );
      assert.equal(await code(moveCampaign(db, outreach, id, 'resume', now)), 'CAMPAIGN_STATE');
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

    test('a synthetic campaign is refused by any gateway but the local simulator; a file takes it', async (db) => {
      const id = await sendingCampaign(db, madeUpTargets(5));
      const live = await startSimulator({
        port: 0,
        faults: parseFaults(''),
        answerAs: 'SMSC-LIVE',
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
        assert.equal((await campaignStatus(db, id)).counts.submitted, 5);
      } finally {
        await live.close();
      }
    });
  });
}
