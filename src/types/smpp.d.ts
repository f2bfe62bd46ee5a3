// The parts of the `smpp` package (SMPP 3.4/5.0, no types of its own) that unspoof uses.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type net from 'node:net';

  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  type Callback = (pdu: PDU) => void;
  type Shortcut = (
    options?: Record<string, unknown>,
    onResponse?: Callback,
    onSent?: Callback,
  ) => boolean;

  export class Session extends EventEmitter {
    socket: net.Socket;
    send(pdu: PDU, onResponse?: Callback, onSent?: Callback): boolean;
    pause(): void;
    resume(): void;
    close(cb?: () => void): void;
    destroy(cb?: () => void): void;
    bind_transceiver: Shortcut;
    submit_sm: Shortcut;
    deliver_sm: Shortcut;
    enquire_link: Shortcut;
    query_sm: Shortcut;
    unbind: Shortcut;
  }

  export class Server extends net.Server {
    sessions: Session[];
  }

  export function connect(
    options: { host: string; port: number; auto_enquire_link_period?: number },
    listener?: () => void,
  ): Session;
  export function createServer(
    options: Record<string, unknown>,
    listener: (s: Session) => void,
  ): Server;

  export const errors: Record<string, number>;
  export const encodings: Record<
    'ASCII' | 'LATIN1' | 'UCS2',
    { match(text: string): boolean; encode(text: string): Buffer }
  >;
  /** GSM 03.38 tables: the default alphabet and its extension (escaped) characters. */
  export const gsmCoder: {
    GSM: { chars: string; extChars: string; escChars: string };
  };
  export const consts: Record<string, Record<string, number>> & {
    ESM_CLASS: Record<string, number>;
  };
}
