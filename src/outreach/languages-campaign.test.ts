/**
 * A campaign texts each victim in the language of their country: Dutch victims in Dutch, French
 * in French, the British in English (or Welsh, when the campaign says so) — through the real
 * dispatcher and SMS centre, with the call date in that language. A campaign with its own English
 * text and no Dutch one cannot text Dutch victims.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import {
  content,
  dispatcherOn,
  fastDispatch,
  madeUpTargets,
  outreachUsers,
  sendingCampaign,
  settled,
} from '../../test/outreach-fixtures.ts';
import { parseFaults } from '../smsc/faults.ts';
import { startSimulator } from '../smsc/simulator.ts';
import { createCampaign } from './campaigns.ts';
import { refKeys } from './keys.ts';
import { previewMessages } from './preview.ts';
import type { Target } from './targets.ts';

/** Two victims each in GB, NL, FR and BE. */
const victims = (): Target[] =>
  madeUpTargets(8).map((t, i) => ({ ...t, country: ['GB', 'NL', 'FR', 'BE'][i % 4] as string }));

for (const backend of backends) {
  describe(`campaigns in the victim's language (${backend.name})`, () => {
    it(
      'Dutch victims get the Dutch text, French the French, through the SMS centre',
      {
        timeout: 60_000,
      },
      async () => {
        const { db, drop } = await backend.open();
        const sim = await startSimulator({ port: 0, faults: parseFaults('receipt-delay=10') });
        try {
          const t = victims();
          const id = await sendingCampaign(db, t, { languages: { BE: 'fr' } });
          const langs = await db.query<{ number: string; lang: string }>(
            `SELECT number, lang FROM messages WHERE campaign_id = $1 ORDER BY number`,
            [id],
          );
          assert.deepEqual(
            langs.map((r) => r.lang),
            ['en', 'nl', 'fr', 'fr', 'en', 'nl', 'fr', 'fr'],
          );
          const run = await dispatcherOn(db, sim.port, fastDispatch());
          await settled(db, id);
          await run.stop();
          const got = new Map(sim.accepted.map((m) => [m.destination, m.text]));
          const text = (i: number) => got.get(t[i]?.number as string) ?? '';
          assert.match(text(0), /^Metropolitan Police: on 12 March 2026 someone called this phone/);
          assert.match(text(1), /^Metropolitan Police: op 12 maart 2026 belde iemand dit nummer/);
          assert.match(text(2), /^Metropolitan Police : le 12 mars 2026, quelqu'un a appelé/);
          assert.match(text(3), /Répondez STOP pour vous désinscrire\.$/);
          for (const m of sim.accepted) assert.equal(m.encoding, 'GSM-7', m.text);
        } finally {
          await sim.close();
          await drop();
        }
      },
    );

    it('Welsh only by the campaign’s choice; a custom English text needs the others', async () => {
      const { db, drop } = await backend.open();
      try {
        const { outreach } = await outreachUsers(db);
        const keys = await refKeys(db);
        const now = new Date();
        const t = victims();
        const draft = (over: Record<string, unknown>) =>
          createCampaign(
            db,
            outreach,
            { content: content(over), filter: {}, includeTexted: true },
            { targets: t, synthetic: true },
            keys,
            now,
          );
        const cy = await draft({ name: 'cy', languages: { GB: 'cy' } });
        const p = await previewMessages(db, outreach, cy.id, 8);
        const gb = p.find((r) => r.lang === 'cy');
        assert.match(gb?.text ?? '', /ffoniodd rhywun y rhif hwn/);
        assert.match(gb?.text ?? '', /12 Mawrth 2026/);

        const own =
          '{force}: a call on {call_date} was not {brand}. Ref {reference} at {site}. Reply STOP to opt out.';
        await assert.rejects(draft({ name: 'own', template: own }), {
          code: 'CAMPAIGN_INVALID',
          message: /Dutch/,
        });
        const unsafe = 'Stuur uw pincode vandaag nog naar ons, referentie {reference}.';
        await assert.rejects(
          draft({ name: 'unsafe', translations: { nl: unsafe } }),
          (e: Error & { code?: string }) => e.code === 'TEMPLATE_UNSAFE' && /Dutch/.test(e.message),
        );
      } finally {
        await drop();
      }
    });
  });
}
