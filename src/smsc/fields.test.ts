/**
 * The simulator holds both sides of the wire to the field sizes of SMPP 3.4: what an ESME sends
 * (each field over its limit refused with the status the specification gives it) and what the
 * simulator writes itself (bind_resp, submit_sm_resp, deliver_sm), read from the octets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import smpp, { type PDU } from 'smpp';
import { UnspoofError } from '../shared/errors.ts';
import {
  bindBody,
  esme,
  ID,
  queryBody,
  submitBody,
  tlv,
  until,
  type Esme,
  type SubmitBody,
} from './esme-fixture.ts';
import { isRefusal, readSubmit, TAG } from './fields.ts';
import { parseFaults } from './faults.ts';
import { SIMULATOR_SYSTEM_ID, startSimulator, type Simulator } from './simulator.ts';
import { PduOf } from './wire.ts';

// By name, as SMPP 3.4 §5.1.3 lists them.
const E = (name: string): number => smpp.errors[name] as number;
const hex = (n: number) => `0x${n.toString(16)}`;

/** The C-octet string at `off` in a PDU's octets, and its length on the wire (NUL included). */
const cstringAt = (raw: Buffer, off: number) => {
  const end = raw.indexOf(0, off);
  return { value: raw.toString('latin1', off, end), octets: end - off + 1 };
};

describe('SMPP 3.4 field limits', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      port: 0,
      faults: parseFaults('receipt-delay=20'),
      password: 'secret',
    });
  });
  after(() => sim.close());

  describe('bind', () => {
    const bind = async (body: Parameters<typeof bindBody>[0], command = ID.bind_transceiver) => {
      const e = await esme(sim.port, null);
      try {
        return await e.raw(command, bindBody({ password: 'secret', ...body }));
      } finally {
        await e.close();
      }
    };

    it('answers as unspoof-smsc, within 15 characters, with sc_interface_version', async () => {
      const a = await bind({ systemId: 'x'.repeat(15) });
      assert.equal(a.pdu.command_status, 0);
      const id = cstringAt(a.raw, 16);
      assert.equal(id.value, SIMULATOR_SYSTEM_ID);
      assert.ok(id.octets <= 16, `${id.octets} octets`);
      assert.equal(a.pdu.sc_interface_version, 0x34);
    });

    it('refuses each field over its size with its own status', async () => {
      const cases: Array<[Parameters<typeof bindBody>[0], number]> = [
        [{ systemId: 'x'.repeat(16) }, E('ESME_RINVSYSID')],
        [{ password: 'p'.repeat(9) }, E('ESME_RINVPASWD')],
        [{ systemType: 't'.repeat(13) }, E('ESME_RINVSYSTYP')],
        [{ addressRange: '4'.repeat(41) }, E('ESME_RBINDFAIL')],
        [{ password: 'wrong' }, E('ESME_RINVPASWD')],
      ];
      for (const [body, status] of cases) {
        const a = await bind(body);
        assert.equal(hex(a.pdu.command_status), hex(status), JSON.stringify(body));
        // A refused bind_resp has no body (§4.1.2).
        assert.equal(a.raw.length, 16);
      }
      const ok = await bind({ systemType: 't'.repeat(12), addressRange: '4'.repeat(40) });
      assert.equal(ok.pdu.command_status, 0);
    });

    it('refuses a second bind on a bound session', async () => {
      const e = await esme(sim.port, {
        command: 'bind_transceiver',
        systemId: 'e',
        password: 'secret',
      });
      try {
        const again = await e.raw(ID.bind_transmitter, bindBody({ password: 'secret' }));
        assert.equal(hex(again.pdu.command_status), hex(E('ESME_RALYBND')));
      } finally {
        await e.close();
      }
    });

    it('will not answer as a system_id over 15 characters', async () => {
      await assert.rejects(
        startSimulator({ port: 0, faults: parseFaults(''), answerAs: 'unspoof-smsc-simulator' }),
        (e: unknown) => e instanceof UnspoofError && e.code === 'USAGE',
      );
    });
  });

  describe('submit_sm', () => {
    let e: Esme;
    before(async () => {
      e = await esme(sim.port, { command: 'bind_transceiver', systemId: 'e', password: 'secret' });
    });
    after(() => e.close());
    const submit = async (o: SubmitBody) => (await e.raw(ID.submit_sm, submitBody(o))).pdu;

    it('takes every field at its limit', async () => {
      const r = await submit({
        serviceType: 's'.repeat(5),
        source: '1'.repeat(20),
        destination: '4'.repeat(20),
        sm: Buffer.alloc(254, 0x41),
      });
      assert.equal(r.command_status, 0);
    });

    it('refuses each field over its limit with the status SMPP 3.4 gives it', async () => {
      const cases: Array<[string, SubmitBody, number]> = [
        ['service_type of 6', { serviceType: 's'.repeat(6) }, E('ESME_RINVSERTYP')],
        ['source_addr of 21', { source: '1'.repeat(21) }, E('ESME_RINVSRCADR')],
        ['destination_addr of 21', { destination: '4'.repeat(21) }, E('ESME_RINVDSTADR')],
        ['no destination_addr', { destination: '' }, E('ESME_RINVDSTADR')],
        ['schedule of 5', { schedule: '26010' }, E('ESME_RINVSCHED')],
        ['short_message of 255', { sm: Buffer.alloc(255, 0x41) }, E('ESME_RINVMSGLEN')],
        ['sm_length past the PDU', { sm: Buffer.from('abc'), smLength: 10 }, E('ESME_RINVMSGLEN')],
        [
          'sm_length short of the text',
          { sm: Buffer.from('abcdefghij'), smLength: 5 },
          E('ESME_RINVMSGLEN'),
        ],
        [
          'short_message and message_payload',
          { sm: Buffer.from('abc'), tlvs: [tlv(TAG.messagePayload, Buffer.from('abcdef'))] },
          E('ESME_RINVMSGLEN'),
        ],
      ];
      for (const [what, body, status] of cases) {
        const r = await submit(body);
        assert.equal(hex(r.command_status), hex(status), what);
      }
      assert.equal(sim.counts.invalid, cases.length);
    });

    it('checks the octets, not what the smpp package makes of them', () => {
      // The package reads a C-octet string to its NUL however long, and takes sm_length octets
      // of whatever is there: neither reading shows that the PDU broke the limits.
      const head = Buffer.alloc(16);
      const body = submitBody({ source: '1'.repeat(30), sm: Buffer.from('abc'), smLength: 10 });
      head.writeUInt32BE(16 + body.length, 0);
      head.writeUInt32BE(ID.submit_sm, 4);
      const raw = Buffer.concat([head, body]);
      const parsed = new PduOf(raw);
      assert.equal(String(parsed.source_addr).length, 30);
      assert.equal((parsed.short_message as { message: string }).message, 'abc');
      const mine = readSubmit(raw);
      assert.ok(isRefusal(mine) && mine.status === E('ESME_RINVSRCADR'));
    });

    it('answers submit_sm before a bind, and from a receiver, with ESME_RINVBNDSTS', async () => {
      const loose = await esme(sim.port, null);
      const rx = await esme(sim.port, {
        command: 'bind_receiver',
        systemId: 'rx',
        password: 'secret',
      });
      try {
        for (const x of [loose, rx]) {
          const r = await x.raw(ID.submit_sm, submitBody());
          assert.equal(hex(r.pdu.command_status), hex(E('ESME_RINVBNDSTS')));
        }
      } finally {
        await loose.close();
        await rx.close();
      }
    });

    it('answers what it does not do with generic_nack ESME_RINVCMDID', async () => {
      const a = await e.call('cancel_sm', { message_id: '1', destination_addr: '447700900001' });
      assert.equal(a.pdu.command, 'generic_nack');
      assert.equal(hex(a.pdu.command_status), hex(E('ESME_RINVCMDID')));
    });

    it('answers a command_length it cannot frame with generic_nack ESME_RINVCMDLEN, and hangs up', async () => {
      const x = await esme(sim.port, null);
      const nacks: PDU[] = [];
      x.s.on('generic_nack', (p: PDU) => nacks.push(p));
      const closed = new Promise<void>((r) => x.s.socket.once('close', () => r()));
      x.s.socket.write(Buffer.from('0000000800000015', 'hex'));
      await closed;
      assert.equal(hex(nacks[0]?.command_status ?? 0), hex(E('ESME_RINVCMDLEN')));
    });

    it('outlives a peer that hangs up in the middle of a PDU', async () => {
      for (const cut of ['000000', '0000002a00000004000000000000000100']) {
        const x = await esme(sim.port, null);
        await new Promise<void>((r) => x.s.socket.end(Buffer.from(cut, 'hex'), () => r()));
        await x.close();
      }
      const r = await e.raw(ID.submit_sm, submitBody());
      assert.equal(r.pdu.command_status, 0);
    });
  });

  describe('what it writes', () => {
    it('message ids of at most 64 characters; receipts whose every field is within SMPP 3.4', async () => {
      const e = await esme(sim.port, {
        command: 'bind_transceiver',
        systemId: 'w',
        password: 'secret',
      });
      try {
        const text = 'A text with € and [brackets], quite long enough to fill the receipt text';
        const r = await e.call('submit_sm', {
          source_addr: '1'.repeat(20),
          destination_addr: '4'.repeat(20),
          registered_delivery: 1,
          data_coding: 0,
          short_message: text,
        });
        assert.equal(r.pdu.command_status, 0);
        const id = cstringAt(r.raw, 16);
        assert.ok(id.octets <= 65 && id.value.length > 0);
        await until(() => e.delivered.length === 1, 5000, 'the receipt');
        const d = e.delivered[0]!;
        // deliver_sm has submit_sm's layout: the same reading holds it to the same limits.
        const f = readSubmit(d.raw);
        assert.ok(!isRefusal(f), JSON.stringify(f));
        assert.equal(f.source, '4'.repeat(20));
        assert.equal(f.destination, '1'.repeat(20));
        assert.equal(f.esmClass, 0x04);
        assert.equal(f.dataCoding, 0);
        assert.ok(f.shortMessage.length <= 254);
        assert.match(
          f.shortMessage.toString('latin1'),
          new RegExp(`^id:${id.value} .* stat:DELIVRD err:000 text:A text with \\? and \\?b$`),
        );
        const receipted = f.tlvs.get(0x001e);
        assert.ok(receipted && receipted.length <= 65);
        assert.equal(receipted.toString('latin1'), `${id.value}\u0000`);
        assert.deepEqual(f.tlvs.get(0x0427), Buffer.of(2));
        const q = await e.raw(ID.query_sm, queryBody(id.value, '1'.repeat(20)));
        assert.ok(cstringAt(q.raw, 16).octets <= 65);
      } finally {
        await e.close();
      }
    });

    it('refuses to send an inbound text or address SMPP 3.4 cannot carry', () => {
      assert.throws(() => sim.inbound('+4477009000011234567890', 'MetPolice', 'Stop'), /20/);
      assert.throws(() => sim.inbound('+447700900001', 'MetPolice', 'x'.repeat(255)), /254/);
    });
  });
});
