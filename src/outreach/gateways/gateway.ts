/**
 * What the dispatcher needs of an SMS gateway, whatever it is (SMPP, GOV.UK Notify, a file).
 * `submit` resolves when the gateway has answered for one message; `unknown` means the answer
 * was lost (the connection dropped with the message outstanding): the message is in doubt.
 */
export interface OutgoingMessage {
  id: number;
  number: string;
  sender: string;
  text: string;
  /** From a synthetic case: written only where the gateway may carry one (maySendSynthetic). */
  synthetic: boolean;
  /**
   * Asked at the last moment before the text's first PDU (or request) is written, once the
   * rate allows it: true (the number replied STOP meanwhile) and nothing is written.
   */
  withdrawn?: () => boolean;
}

export type SubmitResult =
  /** Taken; a long text sent as segments has one id per segment (`parts`, in order). */
  | { kind: 'accepted'; messageId: string; parts?: string[] }
  | { kind: 'throttled'; error: string }
  /** Withdrawn at the last moment (OutgoingMessage.withdrawn): nothing was written. */
  | { kind: 'withdrawn' }
  /** Never left this process (no connection): sent again soon, not counted as an attempt. */
  | { kind: 'unsent'; error: string }
  | { kind: 'temporary'; error: string }
  | { kind: 'permanent'; error: string }
  | { kind: 'unknown'; error: string };

/** A delivery receipt: the final state of a message the gateway accepted. */
export interface Receipt {
  type: 'receipt';
  messageId: string;
  /** The number the message went to (E.164). */
  destination: string;
  state: 'delivered' | 'undeliverable' | 'expired';
  stat: string;
  doneAt: Date | null;
}

/** What the gateway says of a message it took, when asked (SMPP query_sm). */
export type QueryResult =
  | { kind: 'final'; state: Receipt['state']; stat: string; doneAt: Date | null }
  | { kind: 'pending' }
  /** The gateway cannot say (query_sm not supported, unknown id, no connection). */
  | { kind: 'unknown'; error: string };

/** A text a victim sent back (STOP, or anything else). */
export interface Inbound {
  type: 'inbound';
  from: string;
  text: string;
}

/** Stores an event durably; the gateway acknowledges it only once this resolves. */
export type EventHandler = (events: Array<Receipt | Inbound>) => Promise<void>;

export interface Gateway {
  readonly kind: 'smpp' | 'notify' | 'file';
  /**
   * Whether a synthetic case's texts may go through it now: a file, or an SMS centre the
   * settings name as a test peer (`allowSynthetic`) reached on a loopback address — checked
   * again on every bind, never taken from the peer's name.
   */
  maySendSynthetic(): boolean;
  /** Most messages outstanding at once. */
  readonly window: number;
  /**
   * Submits one message. `pace`, when given, is awaited once the message has its place in the
   * window, right before it is written (the rate limit applies at the moment of sending).
   */
  submit(m: OutgoingMessage, pace?: () => Promise<void>): Promise<SubmitResult>;
  /**
   * Since when (performance.now()) the gateway has been able to receive receipts without a
   * break, or null while it cannot (an SMPP session not bound). An SMS centre holds a receipt
   * until a session takes it, so a receipt can only be missing once this has lasted a while.
   * For SMPP it starts once the SMS centre has answered an enquire_link sent after the bind and
   * every receipt it handed over before that answer is stored: what it held is in, however
   * slow the store.
   */
  receivingSince(): number | null;
  /** How many PDUs (or requests) a text goes as: each has its own receipt. */
  segmentsOf(text: string): number;
  /** Asks the gateway for the state of a message it took (absent: it cannot be asked). */
  query?(messageId: string, sender: string): Promise<QueryResult>;
  /** Submit latencies (ms) measured since the last call. */
  takeLatencies(): number[];
  close(): Promise<void>;
}

export interface GatewayFactory {
  (onEvents: EventHandler): Promise<Gateway>;
}
