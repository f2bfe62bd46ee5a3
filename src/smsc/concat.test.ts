/**
 * Long texts reach the simulator in parts — a user data header with an 8- or 16-bit reference,
 * the sar_ TLVs — or whole in message_payload. Each part is its own submit with its own message
 * id and receipt; `accepted` and the log keep one entry per whole message, its text decoded.
 * The parts here are written octet by octet, the GSM octets by the gateway's encoder.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import smpp from 'smpp';
import { tempDir } from '../../test/fixtures.ts';
import { smsBytes } from '../outreach/gateways/sms-bytes.ts';
import { esme, ID, submitBody, tlv, until, type Esme, type SubmitBody } from './esme-fixture.ts';
import { TAG } from './fields.ts';
import { parseFaults } from './faults.ts';
import { readAccepted } from './log.ts';
import { startSimulator, type Simulator } from './simulator.ts';

// By name, as SMPP 3.4 §5.1.3 lists them.
const E = (name: string): number => smpp.errors[name] as number;
const hex = (n: number) => `0x${n.toString(16)}`;
const ucs2 = (s: string) => Buffer.from(s, 'utf16le').swap16();
const udh8 = (ref: number, total: number, seq: number) => Buffer.of(5, 0x00, 3, ref, total, seq);
const udh16 = (ref: number, total: number, seq: number) =>
  Buffer.of(6, 0x08, 4, ref >> 8, ref & 0xff, total, seq);
const sar = (ref: number, total: number, seq: number) => [
  tlv(TAG.sarMsgRefNum, Buffer.of(ref >> 8, ref & 0xff)),
  tlv(TAG.sarTotalSegments, Buffer.of(total)),
  tlv(TAG.sarSegmentSeqnum, Buffer.of(seq)),
];
/** Octets cut into pieces of at most `size`. */
const cut = (b: Buffer, size: number) =>
  Array.from({ length: Math.ceil(b.length / size) }, (_, i) =>
    b.subarray(i * size, (i + 1) * size),
  );

describe('long texts', () => {
  let sim: Simulator;
  let e: Esme;
  let dir: string;
  before(async () => {
    dir = tempDir('unspoof-smsc-concat-');
    sim = await startSimulator({
      port: 0,
      log: path.join(dir, 'messages.jsonl'),
      faults: parseFaults('receipt-delay=20'),
    });
    e = await esme(sim.port);
  });
  after(async () => {
    await e.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const submit = async (o: SubmitBody) => {
    const a = await e.raw(ID.submit_sm, submitBody(o));
    assert.equal(hex(a.pdu.command_status), '0x0');
    return String(a.pdu.message_id);
  };
  const to = (destination: string) =>
    sim.accepted.filter((m) => m.destination === `+${destination}`);
  const segmentsTo = (destination: string) =>
    sim.segments.filter((s) => s.destination === `+${destination}`);
  const receiptsFor = (ids: string[]) =>
    e.delivered.filter((d) => ids.includes(String(d.pdu.receipted_message_id)));

  it('a GSM-7 text in three UDH parts (8-bit reference), sent out of order: one message, three receipts', async () => {
    const text = `Price 5€ [a] {b} \\ ~ ^ | ${'x'.repeat(300)} end`;
    const { bytes, dataCoding } = smsBytes(text);
    assert.equal(dataCoding, 0);
    const pieces = cut(bytes, 153);
    assert.equal(pieces.length, 3);
    const sms = pieces.map((p, i) => Buffer.concat([udh8(0x2a, 3, i + 1), p]));
    const ids: string[] = [];
    for (const i of [2, 0, 1]) {
      ids[i] = await submit({ destination: '447700900101', esmClass: 0x40, sm: sms[i] });
    }
    const [m] = to('447700900101');
    assert.ok(m);
    assert.equal(m.text, text);
    assert.equal(m.encoding, 'GSM-7');
    assert.equal(m.parts, 3);
    assert.equal(m.method, 'udh8');
    assert.deepEqual(m.ids, ids);
    assert.equal(new Set(ids).size, 3);
    const segs = segmentsTo('447700900101');
    assert.deepEqual(
      segs.map((s) => s.short_message),
      [2, 0, 1].map((i) => sms[i]!.toString('hex')),
    );
    assert.deepEqual(
      segs.map((s) => [s.seq, s.total, s.ref]),
      [
        [3, 3, 0x2a],
        [1, 3, 0x2a],
        [2, 3, 0x2a],
      ],
    );
    await until(() => receiptsFor(ids).length === 3, 5000, 'three receipts');
  });

  it('a UCS-2 text in UDH parts (16-bit reference), a surrogate pair cut between parts', async () => {
    const text = `${'Привет, '.repeat(8)}😀 done`;
    const bytes = ucs2(text);
    // Cut between the emoji's two halves (a sender should not, but the parts are joined first).
    const at = text.indexOf('😀') * 2 + 2;
    const pieces = [bytes.subarray(0, at), bytes.subarray(at)];
    for (const [i, p] of pieces.entries()) {
      await submit({
        destination: '447700900102',
        esmClass: 0x40,
        dataCoding: 8,
        sm: Buffer.concat([udh16(0x1234, 2, i + 1), p]),
      });
    }
    const [m] = to('447700900102');
    assert.equal(m?.text, text);
    assert.equal(m?.encoding, 'UCS-2');
    assert.equal(m?.method, 'udh16');
    assert.equal(m?.parts, 2);
  });

  it('a GSM-7 text in sar_ parts', async () => {
    const text = 'SAR '.repeat(60);
    const pieces = cut(smsBytes(text).bytes, 153);
    for (const [i, p] of pieces.entries()) {
      await submit({ destination: '447700900103', sm: p, tlvs: sar(7, pieces.length, i + 1) });
    }
    const [m] = to('447700900103');
    assert.equal(m?.text, text);
    assert.equal(m?.method, 'sar');
    assert.equal(m?.parts, 2);
    assert.deepEqual(
      segmentsTo('447700900103').map((s) => s.short_message),
      pieces.map((p) => p.toString('hex')),
    );
  });

  it('a UCS-2 text whole in message_payload: one part, one id, one receipt', async () => {
    const text = 'Ελληνικά και English — '.repeat(20);
    const id = await submit({
      destination: '447700900104',
      dataCoding: 8,
      sm: Buffer.alloc(0),
      tlvs: [tlv(TAG.messagePayload, ucs2(text))],
    });
    const [m] = to('447700900104');
    assert.equal(m?.text, text);
    assert.equal(m?.method, 'payload');
    assert.equal(m?.parts, 1);
    assert.deepEqual(m?.ids, [id]);
    assert.equal(segmentsTo('447700900104')[0]?.short_message, '');
    await until(() => receiptsFor([id]).length === 1, 5000, 'the receipt');
  });

  it('a receipt only for the parts that ask (registered_delivery), as Kannel asks on the first', async () => {
    const pieces = cut(smsBytes('K'.repeat(400)).bytes, 153);
    const ids: string[] = [];
    for (const [i, p] of pieces.entries()) {
      ids.push(
        await submit({
          destination: '447700900105',
          esmClass: 0x43,
          registered: i === 0 ? 0x11 : 0,
          sm: Buffer.concat([udh8(9, pieces.length, i + 1), p]),
        }),
      );
    }
    assert.equal(to('447700900105')[0]?.parts, 3);
    await until(
      () => segmentsTo('447700900105').every((s) => s.done !== null),
      5000,
      'all parts done',
    );
    assert.deepEqual(
      segmentsTo('447700900105').map((s) => s.receipt),
      ['sent', 'none', 'none'],
    );
    await until(() => receiptsFor(ids).length === 1, 5000, "the first part's receipt");
  });

  it('keeps a message out of accepted and the log until every part has come; references do not mix', async () => {
    const [a1, a2] = cut(smsBytes('A'.repeat(200)).bytes, 153);
    const [b1, b2] = cut(smsBytes('B'.repeat(200)).bytes, 153);
    const part = (d: string, seq: number, p: Buffer) =>
      submit({ destination: d, esmClass: 0x40, sm: Buffer.concat([udh8(1, 2, seq), p]) });
    await part('447700900106', 1, a1!);
    await part('447700900107', 2, b2!);
    assert.equal(to('447700900106').length + to('447700900107').length, 0);
    await part('447700900107', 1, b1!);
    await part('447700900106', 2, a2!);
    assert.equal(to('447700900106')[0]?.text, 'A'.repeat(200));
    assert.equal(to('447700900107')[0]?.text, 'B'.repeat(200));
    // A part sent again (a retry) does not make a second message.
    await part('447700900106', 1, a1!);
    assert.equal(to('447700900106').length, 1);
    await e.close();
    await sim.close();
    const lines = readAccepted(path.join(dir, 'messages.jsonl'));
    assert.equal(lines.length, sim.accepted.length);
    assert.deepEqual(
      lines.map((l) => [l.destination, l.parts, l.method]),
      sim.accepted.map((l) => [l.destination, l.parts, l.method]),
    );
    sim = await startSimulator({ port: 0, faults: parseFaults('receipt-delay=20') });
    e = await esme(sim.port);
  });

  it('refuses a broken header or sar_ set with the status for it', async () => {
    const cases: Array<[string, SubmitBody, number]> = [
      [
        'UDHI, header longer than the text',
        { esmClass: 0x40, sm: Buffer.of(9, 0, 3, 1) },
        E('ESME_RINVESMCLASS'),
      ],
      [
        'UDHI, element past the header',
        { esmClass: 0x40, sm: Buffer.of(3, 0, 3, 1, 0x41) },
        E('ESME_RINVESMCLASS'),
      ],
      [
        'part 0 of 2',
        { esmClass: 0x40, sm: Buffer.concat([udh8(1, 2, 0), Buffer.from('x')]) },
        E('ESME_RINVESMCLASS'),
      ],
      [
        'part 3 of 2',
        { esmClass: 0x40, sm: Buffer.concat([udh8(1, 2, 3), Buffer.from('x')]) },
        E('ESME_RINVESMCLASS'),
      ],
      [
        'sar without its total',
        { tlvs: sar(1, 2, 1).filter((_, i) => i !== 1) },
        E('ESME_RMISSINGTLV'),
      ],
      ['sar part 3 of 2', { tlvs: sar(1, 2, 3) }, E('ESME_RINVTLVVAL')],
      [
        'sar reference of one octet',
        { tlvs: [tlv(TAG.sarMsgRefNum, Buffer.of(1)), ...sar(1, 2, 1).slice(1)] },
        E('ESME_RINVTLVLEN'),
      ],
    ];
    for (const [what, body, status] of cases) {
      const a = await e.raw(ID.submit_sm, submitBody({ destination: '447700900108', ...body }));
      assert.equal(hex(a.pdu.command_status), hex(status), what);
    }
    assert.equal(sim.counts.invalid, cases.length);
  });
});
