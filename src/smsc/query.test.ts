/**
 * query_sm tells an ESME a message's state — en route, delivered, undeliverable — including
 * when its receipt was lost (the lose faults), and refuses an id it does not know; with
 * no-query the simulator is an SMS centre without query_sm.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import smpp from 'smpp';
import { esme, ID, queryBody, submitBody, until, type Esme } from './esme-fixture.ts';
import { parseFaults } from './faults.ts';
import { startSimulator, type Simulator } from './simulator.ts';

// By name, as SMPP 3.4 §5.1.3 lists them.
const E = (name: string): number => smpp.errors[name] as number;
const hex = (n: number) => `0x${n.toString(16)}`;

async function withSim(faults: string, fn: (sim: Simulator, e: Esme) => Promise<void>) {
  const sim = await startSimulator({ port: 0, faults: parseFaults(faults) });
  const e = await esme(sim.port);
  try {
    await fn(sim, e);
  } finally {
    await e.close();
    await sim.close();
  }
}

const submit = async (e: Esme, destination: string) => {
  const a = await e.raw(ID.submit_sm, submitBody({ destination }));
  assert.equal(a.pdu.command_status, 0);
  return String(a.pdu.message_id);
};
const query = (e: Esme, id: string, source = 'MetPolice') =>
  e.raw(ID.query_sm, queryBody(id, source)).then((a) => a.pdu);

describe('query_sm', () => {
  it('says en route before the receipt, then delivered or undeliverable with the final date', async () => {
    await withSim('receipt-delay=300,undeliv=+447700900202', async (sim, e) => {
      const ok = await submit(e, '447700900201');
      const bad = await submit(e, '447700900202');
      const early = await query(e, ok);
      assert.equal(early.command_status, 0);
      assert.equal(early.message_id, ok);
      assert.equal(early.message_state, 1);
      assert.equal(early.final_date, '');
      assert.equal(early.error_code, 0);
      await until(() => sim.segments.every((s) => s.done), 5000, 'both done');
      const done = await query(e, ok);
      assert.equal(done.message_state, 2);
      assert.ok(done.final_date instanceof Date);
      assert.ok(Math.abs((done.final_date as Date).getTime() - Date.now()) < 60_000);
      assert.equal((await query(e, bad)).message_state, 5);
    });
  });

  it('refuses an id it does not know, another sender’s message, and a malformed id', async () => {
    await withSim('receipt-delay=10', async (_sim, e) => {
      const id = await submit(e, '447700900203');
      assert.equal(hex((await query(e, 'ffffffffff')).command_status), hex(E('ESME_RQUERYFAIL')));
      assert.equal(hex((await query(e, id, 'Someone')).command_status), hex(E('ESME_RQUERYFAIL')));
      assert.equal(hex((await query(e, 'x'.repeat(65))).command_status), hex(E('ESME_RINVMSGID')));
    });
  });

  it('with no-query, is not supported: generic_nack ESME_RINVCMDID', async () => {
    await withSim('receipt-delay=10,no-query', async (_sim, e) => {
      const id = await submit(e, '447700900204');
      const a = await e.raw(ID.query_sm, queryBody(id, 'MetPolice'));
      assert.equal(a.pdu.command, 'generic_nack');
      assert.equal(hex(a.pdu.command_status), hex(E('ESME_RINVCMDID')));
      assert.equal(a.pdu.sequence_number, a.raw.readUInt32BE(12));
    });
  });
});

describe('lost receipts', () => {
  const run = async (faults: string, n: number) => {
    let lost: string[] = [];
    await withSim(faults, async (sim, e) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++)
        ids.push(await submit(e, `4477009003${String(i).padStart(2, '0')}`));
      await until(() => sim.segments.every((s) => s.done), 5000, 'all done');
      await until(() => e.delivered.length === sim.counts.receipts, 5000, 'receipts in');
      await new Promise((r) => setTimeout(r, 50));
      lost = sim.segments.filter((s) => s.receipt === 'lost').map((s) => s.id);
      const got = new Set(e.delivered.map((d) => String(d.pdu.receipted_message_id)));
      assert.equal(sim.counts.lost, lost.length);
      assert.equal(sim.counts.receipts + sim.counts.lost, n);
      assert.equal(got.size, n - lost.length);
      assert.ok(
        lost.every((id) => !got.has(id)),
        'a lost receipt is never sent',
      );
      // query_sm still knows what became of them.
      for (const id of lost) assert.equal((await query(e, id)).message_state, 2);
    });
    return lost;
  };

  it('lose-every=N loses every Nth receipt', async () => {
    const lost = await run('receipt-delay=10,lose-every=4', 20);
    assert.equal(lost.length, 5);
  });

  it('lose=P loses a share P, the same ones for the same seed', async () => {
    const a = await run('receipt-delay=10,lose=0.3,seed=7', 40);
    const b = await run('receipt-delay=10,lose=0.3,seed=7', 40);
    const c = await run('receipt-delay=10,lose=0.3,seed=8', 40);
    assert.ok(a.length >= 4 && a.length <= 24, `${a.length} lost of 40`);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});

describe('faults spec', () => {
  it('reads lose, lose-every and no-query', () => {
    const f = parseFaults('lose=0.25,lose-every=10,no-query,seed=3');
    assert.equal(f.lose, 0.25);
    assert.equal(f.loseEvery, 10);
    assert.equal(f.noQuery, true);
    assert.equal(parseFaults('').noQuery, false);
    assert.equal(parseFaults('no-query=0').noQuery, false);
    assert.throws(() => parseFaults('lose=2'), /lose/);
    assert.throws(() => parseFaults('lose-every'), /loseEvery/);
  });
});
