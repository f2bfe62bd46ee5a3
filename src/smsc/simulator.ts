/**
 * The local SMS centre: an SMPP 3.4 server (the `smpp` package's sessions, wire.ts) for demos,
 * tests and benches. It accepts binds, holds every request to the field sizes of SMPP 3.4
 * (fields.ts), acknowledges each submit_sm with its own message id, puts long texts back
 * together (concat.ts), logs every whole message as one JSONL line, answers query_sm, and sends
 * each part that asked for one (registered_delivery) its own delivery receipt after a delay.
 * Receipts and inbound texts (STOP) wait for a bound session of the same system_id that can
 * receive, and are sent again until acknowledged, as a real SMS centre does. Faults are
 * injected on request (faults.ts). It only ever listens on loopback.
 */
import fs from 'node:fs';
import smpp, { type PDU, type Session } from 'smpp';
import { formatReceiptText } from '../outreach/gateways/receipt-text.ts';
import { smsBytes } from '../outreach/gateways/sms-bytes.ts';
import { UnspoofError } from '../shared/errors.ts';
import { decodeText, encodingOf, type Encoding } from './alphabet.ts';
import { partOf, Reassembly, type Method } from './concat.ts';
import { isRefusal, LIMITS, readBind, readQuery, readSubmit } from './fields.ts';
import type { Faults } from './faults.ts';
import { createRawServer, PduOf } from './wire.ts';

/** The system_id a bind is answered with: at most 15 characters (SMPP 3.4 §5.2.1). */
export const SIMULATOR_SYSTEM_ID = 'unspoof-smsc';

const E = smpp.errors as Record<string, number>;
const status = (name: string) => E[name] as number;

/** One whole message (all its parts), as the log and `accepted` keep it. */
export interface AcceptedMessage {
  at: string;
  /** The first part's message id. */
  id: string;
  /** Every part's message id, in part order. */
  ids: string[];
  system_id: string;
  source: string;
  destination: string;
  text: string;
  encoding: Encoding;
  /** How many submit_sm carried it. */
  parts: number;
  method: Method;
}

/** One submit_sm taken (a part of a message, or all of it). */
export interface SegmentRecord {
  id: string;
  at: string;
  system_id: string;
  source: string;
  destination: string;
  method: Method;
  ref: number;
  total: number;
  seq: number;
  esm_class: number;
  data_coding: number;
  /** short_message as it came, user data header included, in hex ('' with message_payload). */
  short_message: string;
  stat: 'DELIVRD' | 'UNDELIV';
  /** When the part reached its final state (the receipt's time), null while en route. */
  done: string | null;
  /** Its receipt: not asked for, not yet due, sent, or lost (the lose faults). */
  receipt: 'none' | 'pending' | 'sent' | 'lost';
}

export interface SimulatorOptions {
  port: number;
  host?: string;
  /** JSONL log of accepted messages (appended). */
  log?: string;
  faults: Faults;
  /** Accepted credentials; any password is accepted when absent. */
  password?: string;
  /** The system_id a bind is answered with (tests pose as a live SMS centre with another). */
  answerAs?: string;
}

interface Queued {
  systemId: string;
  pdu: Record<string, unknown>;
}

interface Binding {
  systemId: string;
  /** A transmitter or transceiver may submit and query; a receiver or transceiver receives. */
  send: boolean;
  receive: boolean;
}

export interface Simulator {
  port: number;
  /** Whole messages, one entry each however many parts carried it. */
  accepted: AcceptedMessage[];
  /** Every submit_sm taken, in order. */
  segments: SegmentRecord[];
  /** A text from a phone to the sender (e.g. STOP), delivered as deliver_sm. */
  inbound(from: string, to: string, text: string): void;
  /**
   * accepted: whole messages; segments: parts taken; invalid: submits refused for breaking
   * SMPP 3.4; throttled…dropped: submits by fault; receipts: sent; lost: never sent; queries.
   */
  counts: Record<
    | 'accepted'
    | 'segments'
    | 'invalid'
    | 'throttled'
    | 'temporary'
    | 'permanent'
    | 'dropped'
    | 'receipts'
    | 'lost'
    | 'queries',
    number
  >;
  /** The most submits one session had unanswered at once. */
  maxOutstanding(): number;
  close(): Promise<void>;
}

/** xorshift32: a repeatable sequence per seed. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

// Receipt text carries the first 20 characters of the part; only those that are the same
// octet in ASCII and GSM 03.38 are kept, so the receipt is one plain GSM octet each.
const receiptSafe = (s: string) => s.replace(/[^A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]/g, '?');

export async function startSimulator(o: SimulatorOptions): Promise<Simulator> {
  const f = o.faults;
  const answerAs = o.answerAs ?? SIMULATOR_SYSTEM_ID;
  if (answerAs.length > LIMITS.systemId || !/^[\x20-\x7e]*$/.test(answerAs))
    throw new UnspoofError('USAGE', `answerAs: "${answerAs}" is not a system_id (15 characters)`);
  const log = o.log ? fs.createWriteStream(o.log, { flags: 'a' }) : null;
  const accepted: AcceptedMessage[] = [];
  const segments: SegmentRecord[] = [];
  const byId = new Map<string, SegmentRecord>();
  const parts = new Reassembly<SegmentRecord>();
  const counts: Simulator['counts'] = {
    accepted: 0,
    segments: 0,
    invalid: 0,
    throttled: 0,
    temporary: 0,
    permanent: 0,
    dropped: 0,
    receipts: 0,
    lost: 0,
    queries: 0,
  };
  // One queue per system_id, as an SMS centre keeps one per account: receipts waiting for an
  // account that is not bound never hold up another's.
  const outbox = new Map<string, Queued[]>();
  const queue = (q: Queued) => {
    const list = outbox.get(q.systemId);
    if (list) list.push(q);
    else outbox.set(q.systemId, [q]);
  };
  const bound = new Map<Session, Binding>();
  const inflight = new Map<Session, Map<number, Queued>>();
  let submits = 0;
  let receiptsDue = 0;
  let maxOutstanding = 0;
  const outstanding = new Map<Session, number>();
  let nextId = 1;
  const random = xorshift(f.seed);
  // Its own sequence, so that turning `lose` on leaves the other faults where they were.
  const loseRandom = xorshift(f.seed ^ 0x5bd1e995);
  const timers = new Set<NodeJS.Timeout>();

  const pump = () => {
    for (const [systemId, list] of outbox) {
      while (list.length) {
        const q = list[0] as Queued;
        // A session whose peer has gone is still bound until its 'close': it cannot be written.
        const s = [...bound].find(
          ([x, b]) => b.systemId === systemId && b.receive && x.socket.writable,
        )?.[0];
        if (!s) break;
        const map = inflight.get(s) ?? new Map<number, Queued>();
        inflight.set(s, map);
        const pdu = new PduOf('deliver_sm', q.pdu);
        const sent = s.send(pdu, (resp) => {
          map.delete(resp.sequence_number);
          if (resp.command_status !== 0) later(() => (queue(q), pump()), 500);
        });
        // Not written: it stays first in its queue for the next bind (the 'close' pumps again).
        if (!sent) break;
        list.shift();
        map.set(pdu.sequence_number, q);
      }
      if (!list.length) outbox.delete(systemId);
    }
  };
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => (timers.delete(t), fn()), ms);
    timers.add(t);
  };

  /** The part reaches its final state; its receipt goes out unless lost or not asked for. */
  const settle = (rec: SegmentRecord, first20: string) => {
    rec.done = new Date().toISOString();
    if (rec.receipt === 'none') return;
    receiptsDue++;
    if ((f.loseEvery && receiptsDue % f.loseEvery === 0) || (f.lose && loseRandom() < f.lose)) {
      rec.receipt = 'lost';
      counts.lost++;
      return;
    }
    rec.receipt = 'sent';
    counts.receipts++;
    const text = formatReceiptText({
      id: rec.id,
      submitted: new Date(rec.at),
      done: new Date(rec.done),
      stat: rec.stat,
      text: receiptSafe(first20),
    });
    queue({
      systemId: rec.system_id,
      pdu: {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: rec.destination.slice(1),
        destination_addr: rec.source,
        esm_class: 0x04,
        data_coding: 0,
        short_message: Buffer.from(text, 'latin1'),
        receipted_message_id: rec.id,
        message_state: rec.stat === 'DELIVRD' ? 2 : 5,
      },
    });
    pump();
  };

  const onSubmit = (s: Session, systemId: string, pdu: PDU, raw: Buffer) => {
    const open = (outstanding.get(s) ?? 0) + 1;
    outstanding.set(s, open);
    maxOutstanding = Math.max(maxOutstanding, open);
    const answer = (st: number, extra: Record<string, unknown>) => {
      outstanding.set(s, (outstanding.get(s) ?? 1) - 1);
      s.send(pdu.response({ command_status: st, ...extra }));
    };
    const reply = (st: number, extra: Record<string, unknown> = {}) =>
      f.delay ? later(() => answer(st, extra), f.delay) : answer(st, extra);
    const sm = readSubmit(raw);
    const part = isRefusal(sm) ? sm : partOf(sm);
    if (isRefusal(sm) || isRefusal(part)) {
      counts.invalid++;
      return reply(isRefusal(sm) ? sm.status : (part as { status: number }).status);
    }
    submits++;
    const dest = `+${sm.destination}`;
    if (f.throttle && submits % f.throttle === 0) {
      counts.throttled++;
      return reply(status('ESME_RTHROTTLED'));
    }
    if (f.fail.includes(dest) || random() < f.perm) {
      counts.permanent++;
      return reply(status('ESME_RINVDSTADR'));
    }
    if (random() < f.temp) {
      counts.temporary++;
      return reply(status('ESME_RMSGQFUL'));
    }
    const id = (nextId++).toString(16).padStart(10, '0');
    const encoding = encodingOf(sm.dataCoding);
    const want = sm.registeredDelivery & 0x03;
    const stat = f.undeliv.includes(dest) ? 'UNDELIV' : 'DELIVRD';
    const rec: SegmentRecord = {
      id,
      at: new Date().toISOString(),
      system_id: systemId,
      source: sm.source,
      destination: dest,
      method: part.method,
      ref: part.ref,
      total: part.total,
      seq: part.seq,
      esm_class: sm.esmClass,
      data_coding: sm.dataCoding,
      short_message: sm.shortMessage.toString('hex'),
      stat,
      done: null,
      // SMPP 3.4 §5.2.17: 1 a receipt whatever happens, 2 only on failure, 0 none (3 is
      // reserved: taken as 1).
      receipt: want === 1 || want === 3 || (want === 2 && stat === 'UNDELIV') ? 'pending' : 'none',
    };
    segments.push(rec);
    byId.set(id, rec);
    counts.segments++;
    const whole = parts.add(`${systemId}\u0000${sm.source}\u0000${dest}`, part, rec);
    if (whole) {
      const data = whole.length === 1 ? part.data : Buffer.concat(whole.map((w) => w.data));
      const first = whole[0]?.meta as SegmentRecord;
      const msg: AcceptedMessage = {
        at: first.at,
        id: first.id,
        ids: whole.map((w) => w.meta.id),
        system_id: systemId,
        source: sm.source,
        destination: dest,
        text: decodeText(data, encoding),
        encoding,
        parts: whole.length,
        method: part.method,
      };
      accepted.push(msg);
      counts.accepted++;
      log?.write(`${JSON.stringify(msg)}\n`);
    }
    // Only the receipt's first 20 characters are needed: 40 octets hold them in any alphabet.
    const head = part.data.subarray(0, 40);
    later(() => settle(rec, decodeText(head, encoding).slice(0, 20)), f.receiptDelay);
    if (f.drop && submits % f.drop === 0) {
      counts.dropped++;
      s.destroy();
      return;
    }
    reply(0, { message_id: id });
  };

  const onQuery = (s: Session, pdu: PDU, raw: Buffer) => {
    counts.queries++;
    const q = readQuery(raw);
    if (isRefusal(q)) return s.send(pdu.response({ command_status: q.status }));
    const rec = byId.get(q.messageId);
    // §4.8.1: source_addr must be the original's; another sender's message is not theirs to see.
    if (!rec || rec.source !== q.source)
      return s.send(pdu.response({ command_status: status('ESME_RQUERYFAIL') }));
    s.send(
      pdu.response({
        message_id: rec.id,
        final_date: rec.done ? new Date(rec.done) : '',
        // §5.2.28: 1 ENROUTE, 2 DELIVERED, 5 UNDELIVERABLE.
        message_state: rec.done ? (rec.stat === 'DELIVRD' ? 2 : 5) : 1,
        error_code: 0,
      }),
    );
  };

  const nack = (s: Session, pdu: PDU, st: number) =>
    s.send(new PduOf('generic_nack', { sequence_number: pdu.sequence_number, command_status: st }));

  const HANDLED = new Set([
    'bind_transceiver',
    'bind_receiver',
    'bind_transmitter',
    'submit_sm',
    'query_sm',
    'enquire_link',
    'unbind',
  ]);

  const { server, sessions } = createRawServer((s: Session) => {
    s.on('error', () => {});
    const bind = (kind: 'transceiver' | 'receiver' | 'transmitter') => (pdu: PDU, raw: Buffer) => {
      const b = readBind(raw);
      let st = isRefusal(b) ? b.status : 0;
      if (!st && bound.has(s)) st = status('ESME_RALYBND');
      if (!st && !isRefusal(b) && o.password !== undefined && b.password !== o.password)
        st = status('ESME_RINVPASWD');
      s.send(
        pdu.response(
          st ? { command_status: st } : { system_id: answerAs, sc_interface_version: 0x34 },
        ),
      );
      if (st === status('ESME_RALYBND')) return;
      if (st || isRefusal(b)) return s.close();
      bound.set(s, {
        systemId: b.systemId,
        send: kind !== 'receiver',
        receive: kind !== 'transmitter',
      });
      pump();
    };
    s.on('bind_transceiver', bind('transceiver'));
    s.on('bind_receiver', bind('receiver'));
    s.on('bind_transmitter', bind('transmitter'));
    s.on('submit_sm', (pdu: PDU, raw: Buffer) => {
      const b = bound.get(s);
      if (!b?.send) return s.send(pdu.response({ command_status: status('ESME_RINVBNDSTS') }));
      onSubmit(s, b.systemId, pdu, raw);
    });
    s.on('query_sm', (pdu: PDU, raw: Buffer) => {
      if (f.noQuery) return nack(s, pdu, status('ESME_RINVCMDID'));
      if (!bound.get(s)?.send)
        return s.send(pdu.response({ command_status: status('ESME_RINVBNDSTS') }));
      onQuery(s, pdu, raw);
    });
    // Anything else asked of an SMS centre that it does not do (§2.10: generic_nack).
    s.on('pdu', (pdu: PDU) => {
      if (!pdu.isResponse() && !HANDLED.has(pdu.command)) nack(s, pdu, status('ESME_RINVCMDID'));
    });
    s.on('enquire_link', (pdu: PDU) => s.send(pdu.response()));
    s.on('unbind', (pdu: PDU) => {
      s.send(pdu.response());
      s.close();
    });
    s.on('close', () => {
      bound.delete(s);
      outstanding.delete(s);
      // Receipts sent but not acknowledged go out again on the next bind.
      for (const q of inflight.get(s)?.values() ?? []) queue(q);
      inflight.delete(s);
      pump();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : o.port,
    accepted,
    segments,
    counts,
    maxOutstanding: () => maxOutstanding,
    inbound(from, to, text) {
      const source = from.replace(/^\+/, '');
      const { dataCoding, bytes } = smsBytes(text);
      if (source.length > LIMITS.address || to.length > LIMITS.address)
        throw new UnspoofError('USAGE', 'inbound: an address over 20 characters (SMPP 3.4)');
      if (bytes.length > LIMITS.shortMessage)
        throw new UnspoofError('USAGE', 'inbound: a text over 254 octets (SMPP 3.4)');
      const systemId = [...bound.values()].find((b) => b.receive)?.systemId ?? 'unspoof';
      queue({
        systemId,
        pdu: {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: source,
          destination_addr: to,
          data_coding: dataCoding,
          short_message: bytes,
        },
      });
      pump();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sessions) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => (log ? log.end(() => r()) : r()));
    },
  };
}
