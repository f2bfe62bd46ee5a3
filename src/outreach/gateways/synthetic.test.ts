/**
 * Whether an SMPP gateway may carry a synthetic case's texts: only by its settings
 * (`allowSynthetic`) and a loopback peer — never by the name the peer answers with — and
 * decided again on every bind: while the connection is down it may not, and a text written then
 * is refused by the gateway itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { until } from '../../../test/outreach-fixtures.ts';
import { parseFaults } from '../../smsc/faults.ts';
import { startSimulator } from '../../smsc/simulator.ts';
import { isLoopback, openSmppGateway } from './smpp.ts';

const settings = (port: number, allowSynthetic: boolean) => ({
  host: '127.0.0.1',
  port,
  systemId: 'unspoof',
  password: '',
  window: 5,
  enquireLinkMs: 5_000,
  responseTimeoutMs: 2_000,
  longText: 'udh' as const,
  allowSynthetic,
  querySm: true,
});

const text = {
  id: 1,
  number: '+447700900001',
  sender: 'MetPolice',
  text: 'Met Police: ref ABCD-EFGH-JKLM. Reply STOP to opt out.',
};

describe('synthetic texts and the SMPP gateway', () => {
  it('loopback is 127.0.0.0/8, ::1 and their IPv4-mapped form, nothing else', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', 'localhost'])
      assert.ok(isLoopback(h), h);
    for (const h of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'smsc.example', '128.0.0.1'])
      assert.ok(!isLoopback(h), h);
  });

  it('a peer not set as a test peer refuses them, whatever it calls itself', async () => {
    const sim = await startSimulator({ port: 0, faults: parseFaults('') });
    const gw = await openSmppGateway(settings(sim.port, false), async () => {});
    try {
      assert.equal(gw.maySendSynthetic(), false);
      const r = await gw.submit({ ...text, synthetic: true });
      assert.equal(r.kind, 'unsent');
      assert.equal(sim.counts.accepted, 0);
      assert.equal((await gw.submit({ ...text, synthetic: false })).kind, 'accepted');
    } finally {
      await gw.close();
      await sim.close();
    }
  });

  it('a test peer on loopback takes them; the answer is decided again on every bind', async () => {
    const sim = await startSimulator({ port: 0, faults: parseFaults('drop=1') });
    const gw = await openSmppGateway(settings(sim.port, true), async () => {});
    try {
      assert.equal(gw.maySendSynthetic(), true);
      // The simulator takes the text and drops the connection: down, it may not carry one.
      const r = await gw.submit({ ...text, synthetic: true });
      assert.equal(r.kind, 'unknown');
      assert.equal(gw.maySendSynthetic(), false);
      await until(async () => gw.maySendSynthetic(), 10_000, 'the next bind');
    } finally {
      await gw.close();
      await sim.close();
    }
  });
});
