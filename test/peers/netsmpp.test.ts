/**
 * Our SMPP client (openSmppGateway) against an SMS centre we did not write: Net::SMPP's server
 * side (test/peers/netsmpp-smsc.pl). Bind and keepalive; the bytes and data_coding of GSM-7 and
 * UCS-2 texts as that centre decodes them; long texts by each method (UDH 8/16-bit, sar TLVs,
 * message_payload) joined back from what it received; receipts mapped to their message ids; lost
 * receipts stay lost; query_sm; a handler failure makes the centre redeliver; inbound replies; a
 * new bind after the client reconnects (closed and opened again, or dropped by the centre), with
 * the receipts held meanwhile delivered then. Skipped only when Net::SMPP is not installed.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import smpp from 'smpp';
import type {
  EventHandler,
  Gateway,
  Inbound,
  OutgoingMessage,
  Receipt,
} from '../../src/outreach/gateways/gateway.ts';
import { openSmppGateway, type SmppSettings } from '../../src/outreach/gateways/smpp.ts';
import {
  acceptedSubmits,
  airOctets,
  isBind,
  netSmppMissing,
  reassemble,
  sentReceipts,
  startNetSmppSmsc,
  TLV,
  userData,
  type LoggedDeliverSmResp,
  type LoggedPdu,
  type NetSmppOptions,
  type NetSmppSmsc,
} from './netsmpp.ts';

const opts = { skip: netSmppMissing(), timeout: 15_000 };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function smscWith(o: NetSmppOptions = {}): Promise<NetSmppSmsc> {
  const smsc = await startNetSmppSmsc(o);
  cleanups.push(() => smsc.stop());
  return smsc;
}

/** An event handler that stores everything, or fails the next N batches when told to. */
function recorder() {
  const events: Array<Receipt | Inbound> = [];
  let failing = 0;
  const onEvents: EventHandler = async (batch) => {
    if (failing > 0) {
      failing--;
      throw new Error('the store is down');
    }
    events.push(...batch);
  };
  return {
    events,
    onEvents,
    failNext: (n: number) => (failing = n),
    receipts: () => events.filter((e): e is Receipt => e.type === 'receipt'),
    inbound: () => events.filter((e): e is Inbound => e.type === 'inbound'),
  };
}

async function gatewayTo(
  smsc: NetSmppSmsc,
  onEvents: EventHandler,
  more: Partial<SmppSettings> = {},
): Promise<Gateway> {
  const settings: SmppSettings = {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'unspoof',
    password: '',
    window: 10,
    enquireLinkMs: 1000,
    responseTimeoutMs: 5000,
    longText: 'udh',
    allowSynthetic: false,
    querySm: true,
    ...more,
  };
  const gw = await openSmppGateway(settings, onEvents);
  let closed: Promise<void> | null = null;
  const close = gw.close.bind(gw);
  gw.close = () => (closed ??= close());
  cleanups.push(() => gw.close());
  return gw;
}

async function until<T>(
  f: () => T | undefined | null | false,
  what: string,
  timeoutMs = 4000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let nextId = 1;
const message = (number: string, text: string, sender = 'UKPolice'): OutgoingMessage => ({
  id: nextId++,
  number,
  sender,
  text,
  synthetic: false,
});

/** Submits; the message ids it was taken under (one per segment). */
async function accepted(gw: Gateway, m: OutgoingMessage): Promise<string[]> {
  const r = await gw.submit(m);
  assert.equal(r.kind, 'accepted', JSON.stringify(r));
  const a = r as { messageId: string; parts?: string[] };
  return a.parts ?? [a.messageId];
}
const acceptedOne = async (gw: Gateway, m: OutgoingMessage) => {
  const ids = await accepted(gw, m);
  assert.equal(ids.length, 1);
  return ids[0]!;
};

const binds = (log: LoggedPdu[]) => log.filter(isBind);
const hex = (...parts: Array<string | number[]>) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'ascii') : Buffer.from(p))),
  ).toString('hex');
const ucs2 = (text: string) => Buffer.from(text, 'utf16le').swap16().toString('hex');

describe('SMPP client against Net::SMPP (an SMS centre we did not write)', () => {
  it('binds as a transceiver, keeps the link alive, unbinds on close', opts, async () => {
    const smsc = await smscWith({ systemId: 'netsmpp-test' });
    const rec = recorder();
    const gw = await gatewayTo(smsc, rec.onEvents);
    assert.equal(gw.kind, 'smpp');
    assert.equal(gw.maySendSynthetic(), false);
    await until(() => gw.receivingSince() !== null, 'receiving, after the first enquire_link');

    const [bind, ...more] = binds(await smsc.pdus());
    assert.equal(more.length, 0);
    assert.ok(bind);
    assert.equal(bind.type, 'bind_transceiver');
    assert.equal(bind.system_id, 'unspoof');
    assert.equal(bind.password, '');
    assert.equal(bind.interface_version, 0x34);
    assert.equal(bind.status, 0);
    assert.equal(bind.conn, 1);

    // One enquire_link right after the bind, then one a second (enquireLinkMs).
    await smsc.waitFor((l) => l.filter((p) => p.type === 'enquire_link').length >= 2, {
      what: 'two enquire_link from the client',
      timeoutMs: 3000,
    });
    await gw.close();
    await smsc.waitFor(
      (l) => l.some((p) => p.type === 'unbind') && l.at(-1)?.type === 'disconnect',
      { what: 'unbind, then the connection closed' },
    );
  });

  it(
    'sends GSM 03.38 (data_coding 0) and UCS-2 (8) bytes, takes their receipts',
    opts,
    async () => {
      const smsc = await smscWith({ receiptDelayMs: 20 });
      const rec = recorder();
      const gw = await gatewayTo(smsc, rec.onEvents);

      const gsmText = 'Police: ref {A-7} @ £5 €';
      const ucsText = 'Ça va? Привет ✓';
      const gsmId = await acceptedOne(gw, message('+447700900001', gsmText));
      const ucsId = await acceptedOne(gw, message('+447700900002', ucsText, '60006'));
      assert.notEqual(gsmId, ucsId);

      const [gsm, ucs, ...rest] = acceptedSubmits(await smsc.pdus());
      assert.equal(rest.length, 0);
      assert.ok(gsm && ucs);
      // GSM 03.38 unpacked, a septet an octet: @ 0x00, £ 0x01; { } € escaped (0x1B 0x28/0x29/0x65).
      const gsmBytes = hex(
        'Police: ref ',
        [0x1b, 0x28],
        'A-7',
        [0x1b, 0x29],
        ' ',
        [0x00],
        ' ',
        [0x01],
        '5 ',
        [0x1b, 0x65],
      );
      assert.equal(gsm.data_coding, 0x00);
      assert.equal(gsm.short_message, gsmBytes);
      assert.equal(gsm.sm_length, gsmBytes.length / 2);
      // UCS-2 big-endian, no byte order mark.
      const ucsBytes = '00c7 0061 0020 0076 0061 003f 0020 041f 0440 0438 0432 0435 0442 0020 2713';
      assert.equal(ucs.data_coding, 0x08);
      assert.equal(ucs.short_message, ucsBytes.replaceAll(' ', ''));
      assert.equal(ucs.sm_length, 30);
      assert.deepEqual(
        reassemble([gsm, ucs]).map((r) => r.text),
        [gsmText, ucsText],
      );
      for (const s of [gsm, ucs]) {
        assert.deepEqual(s.tlvs, {});
        assert.equal(s.esm_class, 0);
        assert.equal(s.registered_delivery, 1);
        assert.equal(s.dest_addr_ton, 1);
        assert.equal(s.dest_addr_npi, 1);
      }
      assert.deepEqual(
        [gsm.source_addr, gsm.source_addr_ton, gsm.source_addr_npi, gsm.destination_addr],
        ['UKPolice', 5, 0, '447700900001'],
      );
      assert.deepEqual(
        [ucs.source_addr, ucs.source_addr_ton, ucs.source_addr_npi, ucs.destination_addr],
        ['60006', 1, 1, '447700900002'],
      );
      assert.deepEqual([gsm.message_id, ucs.message_id], [gsmId, ucsId]);

      await until(() => rec.receipts().length === 2, 'two receipts');
      const byId = new Map(rec.receipts().map((r) => [r.messageId, r]));
      for (const [id, number] of [
        [gsmId, '+447700900001'],
        [ucsId, '+447700900002'],
      ] as const) {
        const r = byId.get(id);
        assert.ok(r, `a receipt for ${id}`);
        assert.equal(r.state, 'delivered');
        assert.equal(r.stat, 'DELIVRD');
        assert.equal(r.destination, number);
        assert.ok(r.doneAt instanceof Date);
      }
      // Each receipt acknowledged once, after the handler stored it.
      const log = await smsc.waitFor(
        (l) =>
          l.filter((p) => p.type === 'deliver_sm_resp' && p.kind === 'receipt').length === 2 && l,
      );
      assert.ok(
        log
          .filter((p): p is LoggedDeliverSmResp => p.type === 'deliver_sm_resp')
          .every((p) => p.status === 0),
      );
      assert.deepEqual(
        sentReceipts(log).map((d) => [d.message_id, d.attempt, d.tlvs[TLV.receipted_message_id]]),
        [
          [gsmId, 1, Buffer.from(`${gsmId}\0`).toString('hex')],
          [ucsId, 1, Buffer.from(`${ucsId}\0`).toString('hex')],
        ],
      );
    },
  );

  const gsmLong = 'This is the police about the call from "your bank" (ref {77}): €0 lost? '
    .repeat(4)
    .trim();
  const ucsLong = 'Это полиция: вам звонили от имени банка. Ничего не платите. '.repeat(3).trim();
  for (const longText of ['udh', 'udh16', 'sar', 'payload'] as const) {
    it(`sends a long text by ${longText}; the centre joins it back`, opts, async () => {
      const smsc = await smscWith();
      const rec = recorder();
      const gw = await gatewayTo(smsc, rec.onEvents, { longText });
      const gsmIds = await accepted(gw, message('+447700900003', gsmLong));
      const ucsIds = await accepted(gw, message('+447700900004', ucsLong));
      const submits = acceptedSubmits(await smsc.pdus());
      assert.equal(submits.length, gsmIds.length + ucsIds.length);
      const texts = reassemble(submits);
      assert.deepEqual(
        texts.map((r) => [r.text, r.via, r.parts === r.total, r.messageIds]),
        [
          [gsmLong, longText === 'payload' ? 'whole' : longText.replace('16', ''), true, gsmIds],
          [ucsLong, longText === 'payload' ? 'whole' : longText.replace('16', ''), true, ucsIds],
        ],
      );
      for (const s of submits) {
        const u = userData(s);
        if (longText === 'payload') {
          assert.deepEqual([s.sm_length, Object.keys(s.tlvs)], [0, [TLV.message_payload]]);
          continue;
        }
        assert.ok(airOctets(s) <= 140, `a segment of ${airOctets(s)} octets`);
        assert.equal(s.esm_class, longText === 'sar' ? 0 : 0x40);
        assert.equal(u.udh?.length, { udh: 6, udh16: 7, sar: undefined }[longText]);
        if (longText === 'sar')
          assert.deepEqual(Object.keys(s.tlvs).sort(), [
            TLV.sar_msg_ref_num,
            TLV.sar_total_segments,
            TLV.sar_segment_seqnum,
          ]);
      }
      assert.equal(submits[0]!.data_coding, 0x00);
      assert.equal(submits.at(-1)!.data_coding, 0x08);
      if (longText === 'payload')
        assert.equal(submits[1]!.tlvs[TLV.message_payload], ucs2(ucsLong));
      else assert.ok(gsmIds.length >= 2 && ucsIds.length >= 2);
      // A receipt for every segment.
      const all = [...gsmIds, ...ucsIds];
      await until(() => rec.receipts().length === all.length, 'a receipt for each segment');
      assert.deepEqual(new Set(rec.receipts().map((r) => r.messageId)), new Set(all));
    });
  }

  it('with --lose-every 3, exactly the receipts not lost arrive', opts, async () => {
    const smsc = await smscWith({ loseEvery: 3, receiptDelayMs: 30 });
    const rec = recorder();
    const gw = await gatewayTo(smsc, rec.onEvents);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(await acceptedOne(gw, message(`+4477009001${i}0`, `Message ${i + 1}`)));
    const lost = [ids[2], ids[5]];
    const kept = ids.filter((id) => !lost.includes(id));

    await until(() => rec.receipts().length >= kept.length, 'five receipts');
    // Well past the receipt delay: no more come.
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(
      rec
        .receipts()
        .map((r) => r.messageId)
        .sort(),
      [...kept].sort(),
    );
    const log = await smsc.pdus();
    assert.deepEqual(
      acceptedSubmits(log).map((s) => [s.submit_no, s.receipt]),
      [1, 2, 3, 4, 5, 6, 7].map((n) => [n, n % 3 ? 'scheduled' : 'lost']),
    );
    assert.equal(sentReceipts(log).length, kept.length);
  });

  it('asks query_sm: delivered, lost receipt or not; unknown ids unknown', opts, async () => {
    const smsc = await smscWith({ loseEvery: 2 });
    const rec = recorder();
    const gw = await gatewayTo(smsc, rec.onEvents);
    assert.ok(gw.query, 'the SMPP gateway can query');
    const got = await acceptedOne(gw, message('+447700900011', 'One.'));
    const lost = await acceptedOne(gw, message('+447700900012', 'Two.'));
    for (const id of [got, lost]) {
      const q = await gw.query(id, 'UKPolice');
      assert.equal(q.kind, 'final', JSON.stringify(q));
      assert.deepEqual(q.kind === 'final' && [q.state, q.stat], ['delivered', 'DELIVRD']);
      assert.ok(q.kind === 'final' && q.doneAt instanceof Date, 'final_date read as a date');
    }
    const unknown = await gw.query('ffffffffffffffff', 'UKPolice');
    assert.equal(unknown.kind, 'unknown');
    const queries = (await smsc.pdus()).filter((p) => p.type === 'query_sm');
    assert.deepEqual(
      queries.map((p) => p.type === 'query_sm' && [p.message_id, p.source_addr, p.status]),
      [
        [got, 'UKPolice', 0],
        [lost, 'UKPolice', 0],
        ['ffffffffffffffff', 'UKPolice', smpp.errors.ESME_RINVMSGID],
      ],
    );
    assert.equal(acceptedSubmits(await smsc.pdus())[1]!.receipt, 'lost');
  });

  it('stops asking query_sm of a centre that refuses it', opts, async () => {
    const smsc = await smscWith({ querySm: false });
    const rec = recorder();
    const gw = await gatewayTo(smsc, rec.onEvents);
    const id = await acceptedOne(gw, message('+447700900013', 'Three.'));
    for (let i = 0; i < 2; i++) {
      const q = await gw.query!(id, 'UKPolice');
      assert.equal(q.kind, 'unknown', JSON.stringify(q));
    }
    const queries = (await smsc.pdus()).filter((p) => p.type === 'query_sm');
    assert.deepEqual(
      queries.map((p) => p.type === 'query_sm' && [p.message_id, p.status]),
      [[id, smpp.errors.ESME_RINVCMDID]],
    );
  });

  it('passes on inbound texts (STOP, and a UCS-2 reply)', opts, async () => {
    const smsc = await smscWith();
    const rec = recorder();
    await gatewayTo(smsc, rec.onEvents);
    await smsc.sendMo('+447700900123', '60006', 'STOP');
    await smsc.sendMo('447700900124', '60006', 'Стоп');
    await until(() => rec.inbound().length === 2, 'two inbound texts');
    assert.deepEqual(rec.inbound(), [
      { type: 'inbound', from: '+447700900123', text: 'STOP' },
      { type: 'inbound', from: '+447700900124', text: 'Стоп' },
    ]);
    const log = await smsc.waitFor(
      (l) => l.filter((p) => p.type === 'deliver_sm_resp' && p.kind === 'mo').length === 2 && l,
    );
    const mo = log.filter((p) => p.type === 'deliver_sm' && p.kind === 'mo');
    assert.deepEqual(
      mo.map((p) => p.type === 'deliver_sm' && [p.esm_class, p.data_coding, p.short_message]),
      [
        [0, 0, Buffer.from('STOP').toString('hex')],
        [0, 8, ucs2('Стоп')],
      ],
    );
  });

  it('refuses a receipt it could not store, and the centre sends it again', opts, async () => {
    const smsc = await smscWith({ redeliverMs: 150 });
    const rec = recorder();
    const gw = await gatewayTo(smsc, rec.onEvents);
    await until(() => gw.receivingSince() !== null, 'receiving');
    rec.failNext(1);
    const id = await acceptedOne(gw, message('+447700900005', 'Please call us back.'));
    await until(() => rec.receipts().length === 1, 'the receipt, second time round');
    assert.equal(rec.receipts()[0]!.messageId, id);
    const log = await smsc.waitFor(
      (l) => l.filter((p) => p.type === 'deliver_sm_resp').length === 2 && l,
      { what: 'both answers to the receipt' },
    );
    assert.deepEqual(
      sentReceipts(log).map((d) => [d.message_id, d.attempt]),
      [
        [id, 1],
        [id, 2],
      ],
    );
    assert.deepEqual(
      log
        .filter((p): p is LoggedDeliverSmResp => p.type === 'deliver_sm_resp')
        .map((p) => [p.message_id, p.status]),
      [
        [id, smpp.errors.ESME_RSYSERR],
        [id, 0],
      ],
    );
  });

  it('binds again when closed and opened again; held receipts come then', opts, async () => {
    const smsc = await smscWith({ receiptDelayMs: 150 });
    const first = recorder();
    const gw1 = await gatewayTo(smsc, first.onEvents);
    const early = await acceptedOne(gw1, message('+447700900006', 'Before the break.'));
    await gw1.close();
    // The receipt falls due with no session bound: the centre holds it.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sentReceipts(await smsc.pdus()).length, 0);

    const second = recorder();
    const gw2 = await gatewayTo(smsc, second.onEvents);
    const late = await acceptedOne(gw2, message('+447700900007', 'After the break.'));
    assert.notEqual(late, early);
    await until(() => second.receipts().length === 2, 'both receipts, over the new bind');
    assert.deepEqual(new Set(second.receipts().map((r) => r.messageId)), new Set([early, late]));
    assert.equal(first.receipts().length, 0);

    const log = await smsc.pdus();
    assert.deepEqual(
      binds(log).map((b) => [b.conn, b.type, b.status]),
      [
        [1, 'bind_transceiver', 0],
        [2, 'bind_transceiver', 0],
      ],
    );
    assert.ok(sentReceipts(log).every((d) => d.conn === 2));
  });

  it('reconnects by itself when the centre drops the connection', opts, async () => {
    const smsc = await smscWith({ receiptDelayMs: 100 });
    const rec = recorder();
    const gw = await gatewayTo(smsc, rec.onEvents);
    const before = await until(() => gw.receivingSince(), 'receiving');
    const early = await acceptedOne(gw, message('+447700900008', 'Just before the drop.'));
    await smsc.dropConnections();
    await smsc.waitFor((l) => binds(l).length === 2, { what: 'a second bind' });
    const after = await until(() => gw.receivingSince(), 'receiving again');
    assert.ok(after > before);
    const late = await acceptedOne(gw, message('+447700900009', 'Just after it.'));
    await until(() => rec.receipts().length === 2, 'both receipts');
    assert.deepEqual(new Set(rec.receipts().map((r) => r.messageId)), new Set([early, late]));
    const log = await smsc.pdus();
    assert.deepEqual(
      binds(log).map((b) => [b.conn, b.system_id, b.status]),
      [
        [1, 'unspoof', 0],
        [2, 'unspoof', 0],
      ],
    );
    // The early receipt fell due while the client was away and went over the new connection.
    assert.deepEqual(
      sentReceipts(log).map((d) => [d.message_id, d.conn, d.attempt]),
      [
        [early, 2, 1],
        [late, 2, 1],
      ],
    );
  });
});
