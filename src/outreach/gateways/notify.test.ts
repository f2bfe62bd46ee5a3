/**
 * The Notify gateway against a local stand-in of GOV.UK Notify's API: signed requests, status
 * callbacks as receipts, 429 slowing down and retrying, a 500 (the text may have gone) resolved by
 * its callback without a second text, and a wrong key refused.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { describe, it } from 'node:test';
import { backends } from '../../../test/ops-backends.ts';
import { notifyStandIn } from '../../../test/notify-standin.ts';
import { madeUpTargets, sendingCampaign, settled } from '../../../test/outreach-fixtures.ts';
import { memoryEffects } from '../../shared/effects.ts';
import { campaignStatus } from '../campaigns.ts';
import { runDispatchers } from '../run.ts';
import { OutreachSettings } from '../settings.ts';
import type { Inbound, Receipt } from './gateway.ts';
import { openNotifyGateway } from './notify.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

for (const backend of backends) {
  describe(`GOV.UK Notify gateway (${backend.name})`, () => {
    it(
      'sends through the API, takes status callbacks as receipts, retries 429, resolves a 500 without a second text',
      { timeout: 60_000 },
      async () => {
        const { db, drop } = await backend.open();
        const templateId = crypto.randomUUID();
        const token = crypto.randomBytes(16).toString('hex');
        const port = await freePort();
        const standIn = await notifyStandIn({
          templateId,
          callbackUrl: `http://127.0.0.1:${port}/notify/callback`,
          callbackToken: token,
        });
        try {
          const targets = [
            ...madeUpTargets(30),
            { ...madeUpTargets(1, 99)[0]!, number: '+447700900099' },
          ];
          const id = await sendingCampaign(db, targets, {}, false);
          standIn.failNext(429, 3);
          standIn.failNext(500, 2);
          const settings = OutreachSettings.parse({
            gateway: {
              kind: 'notify',
              baseUrl: standIn.url,
              templateId,
              callbackPort: port,
              window: 5,
            },
            rate: 200,
            leaseSeconds: 1,
            inDoubtWaitSeconds: 30,
          });
          const env = {
            UNSPOOF_NOTIFY_API_KEY: standIn.apiKey,
            UNSPOOF_NOTIFY_CALLBACK_TOKEN: token,
          };
          Object.assign(process.env, env);
          const stop = new AbortController();
          const fx = { ...memoryEffects(new Date()), now: () => new Date() };
          const running = runDispatchers(
            '.',
            db,
            settings,
            fx,
            { workers: 1, untilIdle: false },
            stop.signal,
          );
          await settled(db, id, 30_000);
          stop.abort();
          await running;
          const s = await campaignStatus(db, id);
          assert.equal(s.counts.delivered, 30);
          assert.equal(s.counts.undeliverable, 1);
          const per = new Map<string, number>();
          for (const m of standIn.sent) per.set(m.phone_number, (per.get(m.phone_number) ?? 0) + 1);
          assert.equal(per.size, 31);
          assert.ok(
            [...per.values()].every((n) => n === 1),
            'the two 500s were not sent again',
          );
          assert.match(
            standIn.sent[0]?.body ?? '',
            /enter reference [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]{4}\./,
          );
          const bad = await fetch(`${standIn.url}/v2/notifications`, {
            headers: { authorization: 'Bearer nonsense' },
          });
          assert.equal(bad.status, 403);
          const forged = await fetch(`http://127.0.0.1:${port}/notify/callback`, {
            method: 'POST',
          }).catch(() => null);
          assert.ok(forged === null || forged.status === 401);
        } finally {
          delete process.env.UNSPOOF_NOTIFY_API_KEY;
          delete process.env.UNSPOOF_NOTIFY_CALLBACK_TOKEN;
          await standIn.close();
          await drop();
        }
      },
    );
  });
}

describe('GOV.UK Notify received text messages', () => {
  it('a STOP sent to the service number reaches the opt-out like an SMPP one; a forged one does not', async () => {
    const token = crypto.randomBytes(16).toString('hex');
    const port = await freePort();
    const events: Array<Receipt | Inbound> = [];
    const gw = await openNotifyGateway(
      {
        baseUrl: 'http://127.0.0.1:9',
        apiKey: `test-${crypto.randomUUID()}-${crypto.randomUUID()}`,
        templateId: crypto.randomUUID(),
        window: 1,
        timeoutMs: 1000,
        callback: { host: '127.0.0.1', port, token },
      },
      async (e) => void events.push(...e),
    );
    try {
      const post = (auth: string, body: unknown) =>
        fetch(`http://127.0.0.1:${port}/notify/inbound`, {
          method: 'POST',
          headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const text = {
        id: crypto.randomUUID(),
        source_number: '447700900123',
        destination_number: '07700900000',
        message: 'Stop',
        date_received: '2026-12-07T10:00:00.000Z',
      };
      assert.equal((await post('wrong-token-wrong-token-wrong-to', text)).status, 401);
      assert.equal((await post(token, { message: 'STOP' })).status, 400);
      assert.equal((await post(token, text)).status, 204);
      assert.deepEqual(events, [{ type: 'inbound', from: '+447700900123', text: 'Stop' }]);
    } finally {
      await gw.close();
    }
  });
});
