/**
 * The simulator's side of the wire: the `smpp` package's Session, reading PDUs so that each
 * request arrives with its raw octets. The package reads C-octet strings to the first NUL
 * however long, and reads sm_length octets of short_message whatever the PDU holds, so the
 * limits of SMPP 3.4 can only be checked on the octets themselves (fields.ts). The requests the
 * simulator reads itself (binds, submit_sm, query_sm) are not decoded by the package at all:
 * that decoding (the message text, by regular expression) was work thrown away.
 */
import net from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';

/** Requests read from their octets (fields.ts), by command_id. */
const OWN = new Map<number, string>([
  [0x00000001, 'bind_receiver'],
  [0x00000002, 'bind_transmitter'],
  [0x00000009, 'bind_transceiver'],
  [0x00000004, 'submit_sm'],
  [0x00000003, 'query_sm'],
]);
/** The largest PDU taken (the package's own limit). */
const MAX_PDU = 16_384;

type PduClass = new (command: string | Buffer, options?: Record<string, unknown>) => PDU;
export const PduOf = (smpp as unknown as { PDU: PduClass }).PDU;
const SessionBase = (smpp as unknown as { Session: new (o: { socket: net.Socket }) => Session })
  .Session;

/** A request's listener: the PDU (for .response()) and its octets, header included. */
export type RawListener = (pdu: PDU, raw: Buffer) => void;

class RawSession extends SessionBase {
  declare paused: boolean;
  #busy = false;
  #length = 0;
  /** Framing lost: nothing more is read from this peer. */
  #broken = false;

  // The package binds this method to 'readable' in its constructor: overriding it here is the
  // one way in. It mirrors the package's loop, keeping the octets.
  _extractPDUs(): void {
    if (this.#busy || this.#broken) return;
    this.#busy = true;
    try {
      // A destroyed socket still hands over what it had buffered: a dropped connection must not.
      while (!this.paused && !this.socket.destroyed) {
        if (!this.#length) {
          const head = this.socket.read(4) as Buffer | null;
          if (!head) break;
          // At the stream's end read() hands over what is left, however short: a cut PDU.
          if (head.length < 4) return void this.socket.destroy();
          const length = head.readUInt32BE(0);
          if (length < 16 || length > MAX_PDU) {
            // Framing is lost: say so (SMPP 3.4 §2.10: generic_nack, ESME_RINVCMDLEN) and close.
            this.#broken = true;
            this.send(new PduOf('generic_nack', { command_status: smpp.errors.ESME_RINVCMDLEN }));
            this.socket.end(() => this.socket.destroy());
            return;
          }
          this.#length = length;
        }
        const rest = this.socket.read(this.#length - 4) as Buffer | null;
        if (!rest) break;
        if (rest.length < this.#length - 4) return void this.socket.destroy();
        const raw = Buffer.allocUnsafe(this.#length);
        raw.writeUInt32BE(this.#length, 0);
        rest.copy(raw, 4);
        this.#length = 0;
        this.#dispatch(raw);
      }
    } finally {
      this.#busy = false;
    }
  }

  #dispatch(raw: Buffer) {
    const id = raw.readUInt32BE(4);
    const seq = raw.readUInt32BE(12);
    const own = OWN.get(id);
    let pdu: PDU;
    if (own) {
      pdu = new PduOf(own, { sequence_number: seq });
    } else {
      try {
        pdu = new PduOf(raw);
      } catch {
        // The package could not read it (a field runs past the end): a request is refused.
        if (!(id & 0x80000000)) {
          this.send(
            new PduOf('generic_nack', {
              sequence_number: seq,
              command_status: smpp.errors.ESME_RINVCMDLEN,
            }),
          );
        }
        return;
      }
    }
    this.emit('pdu', pdu, raw);
    this.emit(pdu.command, pdu, raw);
    const callbacks = (this as unknown as { _callbacks: Record<number, (p: PDU) => void> })
      ._callbacks;
    const cb = pdu.isResponse() ? callbacks[seq] : undefined;
    if (cb) {
      delete callbacks[seq];
      cb(pdu);
    }
  }
}

/** A session on a socket of one's own: tests use it as an ESME, to read what the simulator writes. */
export const rawSession = (socket: net.Socket): Session => new RawSession({ socket });

export interface RawServer {
  server: net.Server;
  sessions: Set<Session>;
}

/** An SMPP server whose sessions hand every request over with its octets. */
export function createRawServer(onSession: (s: Session) => void): RawServer {
  const sessions = new Set<Session>();
  const server = net.createServer((socket) => {
    const s = new RawSession({ socket });
    sessions.add(s);
    socket.on('close', () => sessions.delete(s));
    onSession(s);
  });
  return { server, sessions };
}
