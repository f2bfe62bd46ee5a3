/**
 * The local SMS centre: an SMPP server (the `smpp` package's) for demos, tests and benches.
 * It accepts binds, acknowledges submit_sm with message ids, logs every accepted message as one
 * JSONL line, and sends a delivery receipt after a delay. Receipts and inbound texts (STOP) wait
 * for a bound session of the same system_id and are sent again until acknowledged, as a real
 * SMS centre does. Faults are injected on request (faults.ts). It only ever listens on loopback.
 */
import fs from 'node:fs';
import smpp, { type PDU, type Session } from 'smpp';
import { SIMULATOR_ID } from '../outreach/gateways/smpp.ts';
import { formatReceiptText } from '../outreach/gateways/receipt-text.ts';
import type { Faults } from './faults.ts';

export interface AcceptedMessage {
  at: string;
  id: string;
  system_id: string;
  source: string;
  destination: string;
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
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

export interface Simulator {
  port: number;
  accepted: AcceptedMessage[];
  /** A text from a phone to the sender (e.g. STOP), delivered as deliver_sm. */
  inbound(from: string, to: string, text: string): void;
  /** Submits seen, by outcome. */
  counts: Record<
    'accepted' | 'throttled' | 'temporary' | 'permanent' | 'dropped' | 'receipts',
    number
  >;
  /** The most submits one session had unanswered at once. */
  maxOutstanding(): number;
  close(): Promise<void>;
}

export async function startSimulator(o: SimulatorOptions): Promise<Simulator> {
  const f = o.faults;
  const log = o.log ? fs.createWriteStream(o.log, { flags: 'a' }) : null;
  const accepted: AcceptedMessage[] = [];
  const counts = { accepted: 0, throttled: 0, temporary: 0, permanent: 0, dropped: 0, receipts: 0 };
  const outbox: Queued[] = [];
  const bound = new Map<Session, string>();
  const inflight = new Map<Session, Map<number, Queued>>();
  let submits = 0;
  let maxOutstanding = 0;
  const outstanding = new Map<Session, number>();
  let nextId = 1;
  let rand = f.seed >>> 0 || 1;
  const random = () => {
    // xorshift32: a repeatable fault pattern per seed.
    rand ^= rand << 13;
    rand ^= rand >>> 17;
    rand ^= rand << 5;
    return (rand >>> 0) / 2 ** 32;
  };
  const timers = new Set<NodeJS.Timeout>();

  const pump = () => {
    while (outbox.length) {
      const q = outbox[0] as Queued;
      // A session whose peer has gone is still bound until its 'close': it cannot be written.
      const s = [...bound].find(([x, id]) => id === q.systemId && x.socket.writable)?.[0];
      if (!s) return;
      const map = inflight.get(s) ?? new Map<number, Queued>();
      inflight.set(s, map);
      const pdu = new (smpp as unknown as { PDU: new (c: string, o: object) => PDU }).PDU(
        'deliver_sm',
        q.pdu,
      );
      const sent = s.send(pdu, (resp) => {
        map.delete(resp.sequence_number);
        if (resp.command_status !== 0) later(() => (outbox.push(q), pump()), 500);
      });
      // Not written: it stays first in the outbox for the next bind (the 'close' pumps again).
      if (!sent) return;
      outbox.shift();
      map.set(pdu.sequence_number, q);
    }
  };
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => (timers.delete(t), fn()), ms);
    timers.add(t);
  };

  const onSubmit = (s: Session, systemId: string, pdu: PDU) => {
    submits++;
    const open = (outstanding.get(s) ?? 0) + 1;
    outstanding.set(s, open);
    maxOutstanding = Math.max(maxOutstanding, open);
    const dest = `+${String(pdu.destination_addr)}`;
    const answer = (status: number, extra: Record<string, unknown>) => {
      outstanding.set(s, (outstanding.get(s) ?? 1) - 1);
      s.send(pdu.response({ command_status: status, ...extra }));
    };
    const reply = (status: number, extra: Record<string, unknown> = {}) =>
      f.delay ? later(() => answer(status, extra), f.delay) : answer(status, extra);
    if (f.throttle && submits % f.throttle === 0) {
      counts.throttled++;
      return reply(smpp.errors.ESME_RTHROTTLED as number);
    }
    if (f.fail.includes(dest) || random() < f.perm) {
      counts.permanent++;
      return reply(smpp.errors.ESME_RINVDSTADR as number);
    }
    if (random() < f.temp) {
      counts.temporary++;
      return reply(smpp.errors.ESME_RMSGQFUL as number);
    }
    const id = (nextId++).toString(16).padStart(10, '0');
    const raw = (pdu.message_payload ?? pdu.short_message) as { message?: unknown } | undefined;
    const text = String(raw?.message ?? '');
    const msg: AcceptedMessage = {
      at: new Date().toISOString(),
      id,
      system_id: systemId,
      source: String(pdu.source_addr),
      destination: dest,
      text,
      encoding: Number(pdu.data_coding) === 8 ? 'UCS-2' : 'GSM-7',
    };
    accepted.push(msg);
    counts.accepted++;
    log?.write(`${JSON.stringify(msg)}\n`);
    const stat = f.undeliv.includes(dest) ? 'UNDELIV' : 'DELIVRD';
    later(() => {
      counts.receipts++;
      outbox.push({
        systemId,
        pdu: {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: dest.slice(1),
          destination_addr: msg.source,
          esm_class: 0x04,
          short_message: formatReceiptText({
            id,
            submitted: new Date(msg.at),
            done: new Date(),
            stat,
            text,
          }),
          receipted_message_id: id,
          message_state: stat === 'DELIVRD' ? 2 : 5,
        },
      });
      pump();
    }, f.receiptDelay);
    if (f.drop && submits % f.drop === 0) {
      counts.dropped++;
      s.destroy();
      return;
    }
    reply(0, { message_id: id });
  };

  const server = smpp.createServer({}, (s: Session) => {
    s.on('error', () => {});
    const bind = (pdu: PDU) => {
      const ok = o.password === undefined || pdu.password === o.password;
      s.send(
        pdu.response({
          command_status: ok ? 0 : (smpp.errors.ESME_RBINDFAIL as number),
          system_id: o.answerAs ?? SIMULATOR_ID,
        }),
      );
      if (!ok) return s.close();
      bound.set(s, String(pdu.system_id));
      pump();
    };
    s.on('bind_transceiver', bind);
    s.on('bind_receiver', bind);
    s.on('bind_transmitter', bind);
    s.on('submit_sm', (pdu: PDU) => {
      const id = bound.get(s);
      if (id === undefined)
        return s.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS as number }));
      onSubmit(s, id, pdu);
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
      for (const q of inflight.get(s)?.values() ?? []) outbox.push(q);
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
    counts,
    maxOutstanding: () => maxOutstanding,
    inbound(from, to, text) {
      const systemId = [...bound.values()][0] ?? 'unspoof';
      outbox.push({
        systemId,
        pdu: {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: from.replace(/^\+/, ''),
          destination_addr: to,
          short_message: text,
        },
      });
      pump();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of server.sessions) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => (log ? log.end(() => r()) : r()));
    },
  };
}
