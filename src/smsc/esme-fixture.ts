/**
 * For tests of the simulator: an ESME on a raw session (every answer with its octets), and
 * PDU bodies written octet by octet, so that a test can send what the `smpp` package would
 * refuse to write (a 255-octet short_message) or would write wrong on purpose (sm_length).
 */
import net from 'node:net';
import type { PDU, Session } from 'smpp';
import { PduOf, rawSession } from './wire.ts';

export interface Answer {
  pdu: PDU;
  raw: Buffer;
}

export interface Esme {
  s: Session;
  /** A request written by the package; its answer (generic_nack included). */
  call(command: string, fields?: Record<string, unknown>): Promise<Answer>;
  /** A request of these octets after the header; its answer. */
  raw(commandId: number, body: Buffer): Promise<Answer>;
  /** deliver_sm received, each acknowledged at once. */
  delivered: Answer[];
  close(): Promise<void>;
}

export const ID = {
  bind_receiver: 0x01,
  bind_transmitter: 0x02,
  query_sm: 0x03,
  submit_sm: 0x04,
  bind_transceiver: 0x09,
} as const;

export const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.of(0)]);
export const tlv = (tag: number, value: Buffer): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(tag, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value]);
};

export function bindBody(o: {
  systemId?: string;
  password?: string;
  systemType?: string;
  addressRange?: string;
}): Buffer {
  return Buffer.concat([
    cstr(o.systemId ?? 'esme'),
    cstr(o.password ?? ''),
    cstr(o.systemType ?? ''),
    Buffer.of(0x34, 0, 0),
    cstr(o.addressRange ?? ''),
  ]);
}

export interface SubmitBody {
  serviceType?: string;
  source?: string;
  destination?: string;
  esmClass?: number;
  schedule?: string;
  registered?: number;
  dataCoding?: number;
  sm?: Buffer;
  /** sm_length as written (by default the length of sm). */
  smLength?: number;
  tlvs?: Buffer[];
}

export function submitBody(o: SubmitBody = {}): Buffer {
  const sm = o.sm ?? Buffer.from('hello', 'latin1');
  return Buffer.concat([
    cstr(o.serviceType ?? ''),
    Buffer.of(5, 0),
    cstr(o.source ?? 'MetPolice'),
    Buffer.of(1, 1),
    cstr(o.destination ?? '447700900001'),
    Buffer.of(o.esmClass ?? 0, 0, 0),
    cstr(o.schedule ?? ''),
    cstr(''),
    Buffer.of(o.registered ?? 1, 0, o.dataCoding ?? 0, 0, o.smLength ?? sm.length),
    sm,
    ...(o.tlvs ?? []),
  ]);
}

export const queryBody = (messageId: string, source: string): Buffer =>
  Buffer.concat([cstr(messageId), Buffer.of(5, 0), cstr(source)]);

export async function esme(
  port: number,
  bind: { command: keyof typeof ID; systemId: string; password?: string } | null = {
    command: 'bind_transceiver',
    systemId: 'esme',
  },
): Promise<Esme> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const s = rawSession(socket);
  s.on('error', () => {});
  const waiting = new Map<number, (a: Answer) => void>();
  const delivered: Answer[] = [];
  let seq = 0x10000;
  s.on('pdu', (pdu: PDU, raw: Buffer) => {
    if (pdu.isResponse()) {
      waiting.get(pdu.sequence_number)?.({ pdu, raw });
      waiting.delete(pdu.sequence_number);
    } else if (pdu.command === 'deliver_sm') {
      delivered.push({ pdu, raw });
      s.send(pdu.response());
    } else if (pdu.command === 'enquire_link') {
      s.send(pdu.response());
    }
  });
  const answer = (n: number) => new Promise<Answer>((r) => waiting.set(n, r));
  const e: Esme = {
    s,
    call(command, fields = {}) {
      const pdu = new PduOf(command, { ...fields, sequence_number: ++seq });
      const a = answer(seq);
      s.send(pdu);
      return a;
    },
    raw(commandId, body) {
      const head = Buffer.alloc(16);
      head.writeUInt32BE(16 + body.length, 0);
      head.writeUInt32BE(commandId, 4);
      head.writeUInt32BE(++seq, 12);
      const a = answer(seq);
      socket.write(Buffer.concat([head, body]));
      return a;
    },
    delivered,
    // Once closed (the simulator hung up), 'close' will not come again.
    close: () =>
      socket.closed ? Promise.resolve() : new Promise<void>((r) => s.destroy(() => r())),
  };
  if (bind) {
    const a = await e.raw(
      ID[bind.command],
      bindBody({ systemId: bind.systemId, password: bind.password ?? '' }),
    );
    if (a.pdu.command_status !== 0)
      throw new Error(`bind refused: 0x${a.pdu.command_status.toString(16)}`);
  }
  return e;
}

/** Polls until `test` holds (or fails after `ms`). */
export async function until(test: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
