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
}

export type SubmitResult =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'throttled'; error: string }
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
  /** How it identified itself: only the local simulator may carry a synthetic case. */
  readonly isLocalSimulator: boolean;
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
   */
  receivingSince(): number | null;
  /** Submit latencies (ms) measured since the last call. */
  takeLatencies(): number[];
  close(): Promise<void>;
}

export interface GatewayFactory {
  (onEvents: EventHandler): Promise<Gateway>;
}
