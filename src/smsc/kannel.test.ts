/**
 * Interop with an SMPP implementation that is not ours: Kannel (bearerbox + smsbox, from
 * Debian) binds to the local SMS centre as a transceiver and sends what smsbox's HTTP sendsms
 * is given — a plain GSM-7 text, one with GSM extension characters, a UCS-2 one, and one long
 * enough that Kannel splits it into concatenated parts. The SMS centre must get each intact
 * (text, alphabet, parts), and Kannel must match the SMS centre's receipts to its messages:
 * each message's dlr-url is called with type 1 (delivered).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { kannelMissing, startKannel, type Kannel } from '../../test/peers/kannel.ts';
import { until } from './esme-fixture.ts';
import { parseFaults } from './faults.ts';
import { startSimulator, type Simulator } from './simulator.ts';

interface Case {
  tag: string;
  to: string;
  text: string;
  params: Record<string, string>;
  encoding: 'GSM-7' | 'UCS-2';
  parts: number;
  method: 'single' | 'udh8';
}

const CASES: Case[] = [
  {
    tag: 'plain',
    to: '447700900401',
    text: 'Metropolitan Police: this is a test text.',
    params: {},
    encoding: 'GSM-7',
    parts: 1,
    method: 'single',
  },
  {
    tag: 'extension',
    to: '447700900402',
    text: 'Ext: 5€ [a] {b} \\ ~ ^ | end',
    params: {},
    encoding: 'GSM-7',
    parts: 1,
    method: 'single',
  },
  {
    tag: 'ucs2',
    to: '447700900403',
    text: 'Привет, Ελληνικά, 中文 😀',
    params: { coding: '2' },
    encoding: 'UCS-2',
    parts: 1,
    method: 'single',
  },
  {
    tag: 'long',
    to: '447700900404',
    // 3 parts of at most 153 septets; the € costs two.
    text: `Long €: ${'0123456789 '.repeat(36)}the end`,
    params: {},
    encoding: 'GSM-7',
    parts: 3,
    method: 'udh8',
  },
];

describe('Kannel as the ESME', { skip: kannelMissing() }, () => {
  let sim: Simulator;
  let kannel: Kannel;
  let dlrServer: http.Server;
  const dlrs: URLSearchParams[] = [];
  let dlrUrl = '';

  before(async () => {
    dlrServer = http.createServer((req, res) => {
      dlrs.push(new URL(req.url ?? '/', 'http://x').searchParams);
      res.end('ok');
    });
    await new Promise<void>((r) => dlrServer.listen(0, '127.0.0.1', () => r()));
    dlrUrl = `http://127.0.0.1:${(dlrServer.address() as AddressInfo).port}/dlr`;
    sim = await startSimulator({
      port: 0,
      faults: parseFaults('receipt-delay=50'),
      password: 'secret',
    });
    kannel = await startKannel({ smscPort: sim.port, smscUser: 'kannel', smscPassword: 'secret' });
  });

  after(async () => {
    await kannel?.stop();
    await sim?.close();
    await new Promise<void>((r) => (dlrServer ? dlrServer.close(() => r()) : r()));
  });

  it(
    'delivers each text intact, and Kannel takes the receipts as delivered',
    { timeout: 15_000 },
    async () => {
      for (const c of CASES) {
        const r = await kannel.sendsms({
          from: 'MetPolice',
          to: c.to,
          text: c.text,
          charset: 'UTF-8',
          'dlr-mask': '31',
          'dlr-url': `${dlrUrl}?tag=${c.tag}&type=%d&answer=%A`,
          ...c.params,
        });
        assert.equal(r.status, 202, `${c.tag}: ${r.body}`);
      }
      const delivered = (tag: string) =>
        dlrs.some((d) => d.get('tag') === tag && d.get('type') === '1');
      await until(
        () => CASES.every((c) => delivered(c.tag)),
        10_000,
        `delivered DLRs (got ${JSON.stringify(dlrs.map((d) => Object.fromEntries(d)))})\n${kannel.logs()}`,
      ).catch((e: Error) => {
        throw new Error(`${e.message}\n${kannel.logs()}`);
      });
      for (const c of CASES) {
        const got = sim.accepted.filter((m) => m.destination === `+${c.to}`);
        assert.equal(got.length, 1, c.tag);
        const m = got[0]!;
        assert.equal(m.text, c.text, c.tag);
        assert.equal(m.encoding, c.encoding, c.tag);
        assert.equal(m.parts, c.parts, c.tag);
        assert.equal(m.method, c.method, c.tag);
        assert.equal(m.source, 'MetPolice', c.tag);
        assert.equal(m.system_id, 'kannel', c.tag);
        // Kannel also reports the SMS centre's acceptance (type 8), naming its message id.
        const ack = dlrs.find((d) => d.get('tag') === c.tag && d.get('type') === '8');
        assert.ok(ack, `${c.tag}: no SMSC acknowledgement`);
        const done = dlrs.find((d) => d.get('tag') === c.tag && d.get('type') === '1');
        assert.match(done?.get('answer') ?? '', new RegExp(`^id:${m.id} .*stat:DELIVRD`), c.tag);
      }
      // Every part was its own submit with its own id; Kannel asked a receipt of the first only.
      const long = sim.segments.filter((s) => s.destination === '+447700900404');
      assert.equal(long.length, 3);
      assert.equal(new Set(long.map((s) => s.id)).size, 3);
      assert.deepEqual(long.map((s) => s.seq).sort(), [1, 2, 3]);
      assert.ok(
        long.every((s) => s.short_message.startsWith('050003')),
        'an 8-bit UDH on each',
      );
    },
  );
});
