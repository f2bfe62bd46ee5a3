/**
 * Whole campaigns through an SMS centre we did not write (Net::SMPP, netsmpp-smsc.pl): long
 * texts as UDH and sar segments, Welsh-and-Cyrillic texts in UCS-2, every text reassembled
 * intact on the far side, and receipts lost on purpose — the campaign must end completed with
 * unconfirmed messages, with exactly the count the SMS centre's own log says.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { campaignStatus } from '../../src/outreach/campaigns.ts';
import { DISPATCH_DEFAULTS, eventStore, startDispatcher } from '../../src/outreach/dispatcher.ts';
import type { LongTextMethod } from '../../src/outreach/gateways/segments.ts';
import { openSmppGateway } from '../../src/outreach/gateways/smpp.ts';
import { refKeys } from '../../src/outreach/keys.ts';
import type { OpsDb } from '../../src/ops/db.ts';
import { memoryEffects } from '../../src/shared/effects.ts';
import { backends } from '../ops-backends.ts';
import { madeUpTargets, sendingCampaign, until } from '../outreach-fixtures.ts';
import {
  acceptedSubmits,
  netSmppMissing,
  reassemble,
  startNetSmppSmsc,
  type NetSmppSmsc,
} from './netsmpp.ts';

const UCS2 =
  '{force}: galwad ar {call_date}, nid {brand} oedd hi. Звонок был не от банка. Cod {reference}. ' +
  'Teipiwch {site} yn eich porwr. Atebwch STOP i optio allan. Ŵyn ŷd.';

async function campaignThrough(
  db: OpsDb,
  smsc: NetSmppSmsc,
  n: number,
  longText: LongTextMethod,
  template?: string,
) {
  const targets = madeUpTargets(n);
  const id = await sendingCampaign(db, targets, template ? { template } : {});
  const fx = { ...memoryEffects(new Date()), now: () => new Date() };
  const gw = await openSmppGateway(
    {
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'unspoof',
      password: '',
      window: 10,
      enquireLinkMs: 5_000,
      responseTimeoutMs: 5_000,
      longText,
      allowSynthetic: true,
      querySm: false,
    },
    eventStore(db, fx, () => 'x'),
  );
  const d = await startDispatcher(db, gw, await refKeys(db), fx, {
    ...DISPATCH_DEFAULTS,
    rate: 1_000,
    leaseMs: 1_500,
    heartbeatMs: 100,
    receiptTimeoutMs: 1_000,
  });
  try {
    await until(
      async () => (await campaignStatus(db, id)).campaign.state.startsWith('completed'),
      30_000,
      'the campaign to complete',
    );
  } finally {
    await d.stop();
    await gw.close();
  }
  return { id, targets, status: await campaignStatus(db, id) };
}

for (const backend of backends) {
  describe(
    `a campaign through Net::SMPP's SMS centre (${backend.name})`,
    {
      skip: netSmppMissing(),
    },
    () => {
      const started: Array<() => Promise<void>> = [];
      after(async () => {
        for (const stop of started) await stop();
      });
      const open = async (o: Parameters<typeof startNetSmppSmsc>[0]) => {
        const smsc = await startNetSmppSmsc(o);
        const { db, drop } = await backend.open();
        started.push(
          () => smsc.stop(),
          () => drop(),
        );
        return { smsc, db };
      };

      for (const method of ['udh', 'sar'] as const) {
        it(
          `long GSM-7 texts as ${method} segments; lost receipts end it completed with unconfirmed messages`,
          {
            timeout: 60_000,
          },
          async () => {
            const { smsc, db } = await open({ loseEvery: 5, receiptDelayMs: 20, querySm: false });
            const { status, targets } = await campaignThrough(db, smsc, 12, method);
            const log = await smsc.pdus();
            const submits = acceptedSubmits(log);
            const texts = reassemble(submits);
            assert.equal(texts.length, 12);
            for (const t of texts) {
              assert.equal(t.via, method);
              assert.equal(t.parts, t.total);
              assert.ok(t.total >= 2);
              assert.match(
                t.text,
                /^Metropolitan Police: on 12 March 2026 someone called this phone/,
              );
              assert.match(t.text, /Reply STOP to opt out\.$/);
            }
            assert.deepEqual(
              texts.map((t) => `+${t.destination}`).sort(),
              targets.map((t) => t.number).sort(),
            );
            // The SMS centre's own word for which texts lost a receipt (any of their segments).
            const lostTo = new Set(
              submits.filter((p) => p.receipt === 'lost').map((p) => p.destination_addr),
            );
            assert.ok(lostTo.size > 0);
            assert.equal(status.campaign.state, 'completed_unconfirmed');
            assert.equal(status.counts.unconfirmed, lostTo.size);
            assert.equal(status.counts.delivered, 12 - lostTo.size);
          },
        );
      }

      it(
        'UCS-2 texts arrive intact; with every receipt kept the campaign is completed',
        {
          timeout: 60_000,
        },
        async () => {
          const { smsc, db } = await open({ receiptDelayMs: 20 });
          const { status } = await campaignThrough(db, smsc, 6, 'udh', UCS2);
          const submits = acceptedSubmits(await smsc.pdus());
          assert.ok(submits.every((p) => p.data_coding === 8));
          const texts = reassemble(submits);
          assert.equal(texts.length, 6);
          for (const t of texts) {
            assert.match(t.text, /Звонок был не от банка\. Cod [0-9A-Z]{4}-[0-9A-Z]{4}-\S{4}\./);
            assert.ok(t.text.endsWith('Ŵyn ŷd.'));
          }
          assert.equal(status.campaign.state, 'completed');
          assert.equal(status.counts.delivered, 6);
        },
      );
    },
  );
}
