/**
 * Receipts wait for their account (system_id) to be bound to receive, one queue per account:
 * a receipt held for an account that is away does not hold up another's, and a transmitter
 * bind is never sent one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { esme, ID, submitBody, until } from './esme-fixture.ts';
import { parseFaults } from './faults.ts';
import { startSimulator } from './simulator.ts';

describe('receipts', () => {
  it('wait for their own account, and hold up no other', async () => {
    const sim = await startSimulator({ port: 0, faults: parseFaults('receipt-delay=30') });
    try {
      const away = await esme(sim.port, { command: 'bind_transceiver', systemId: 'away' });
      await away.raw(ID.submit_sm, submitBody({ destination: '447700900501' }));
      await away.close();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(sim.counts.receipts, 1);
      const here = await esme(sim.port, { command: 'bind_transceiver', systemId: 'here' });
      await here.raw(ID.submit_sm, submitBody({ destination: '447700900502' }));
      await until(() => here.delivered.length === 1, 3000, "here's receipt");
      assert.equal(here.delivered[0]?.pdu.source_addr, '447700900502');
      // The transmitter of the away account gets nothing; its receiver gets the held receipt.
      const tx = await esme(sim.port, { command: 'bind_transmitter', systemId: 'away' });
      const rx = await esme(sim.port, { command: 'bind_receiver', systemId: 'away' });
      await until(() => rx.delivered.length === 1, 3000, 'the held receipt');
      assert.equal(rx.delivered[0]?.pdu.source_addr, '447700900501');
      assert.equal(tx.delivered.length, 0);
      for (const x of [here, tx, rx]) await x.close();
    } finally {
      await sim.close();
    }
  });
});
