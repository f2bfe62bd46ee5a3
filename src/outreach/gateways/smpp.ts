/**
 * SMPP 3.4 gateway (the `smpp` package): one transceiver bind, a window of outstanding
 * submit_sm, enquire_link, reconnect with backoff; delivery receipts and inbound texts arrive
 * as deliver_sm and are acknowledged only after the dispatcher has stored them (so an SMS
 * centre redelivers what a crash lost). A long text goes as the PDUs segments.ts makes of it,
 * each taking its own place in the window; `query_sm` asks for the state of a message whose
 * receipt never came.
 */
import net from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';
import type {
  EventHandler,
  Gateway,
  Inbound,
  OutgoingMessage,
  QueryResult,
  Receipt,
  SubmitResult,
} from './gateway.ts';
import { parseReceiptText, stateOfStat } from './receipt-text.ts';
import { segmentCount, submitSmFields, type LongTextMethod } from './segments.ts';

export interface SmppSettings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  window: number;
  enquireLinkMs: number;
  responseTimeoutMs: number;
  /** How a text longer than one SMS goes (segments.ts). */
  longText: LongTextMethod;
  /** A test SMS centre: may carry a synthetic case's texts, when reached on loopback. */
  allowSynthetic: boolean;
  /** Ask for the state of a message with query_sm (off for a peer that refuses it). */
  querySm: boolean;
}

const E = smpp.errors;
const THROTTLED = new Set([E.ESME_RTHROTTLED]);
// Statuses that say "not now, try again": queue full, system error, submit failure at the MC.
const TEMPORARY = new Set([E.ESME_RMSGQFUL, E.ESME_RSYSERR, E.ESME_RX_T_APPN, E.ESME_RSUBMITFAIL]);
/** query_sm's message_state (SMPP 3.4 §5.2.28): the final ones, as a receipt's state. */
const QUERY_FINAL: Record<number, { state: Receipt['state']; stat: string }> = {
  2: { state: 'delivered', stat: 'DELIVRD' },
  3: { state: 'expired', stat: 'EXPIRED' },
  4: { state: 'undeliverable', stat: 'DELETED' },
  5: { state: 'undeliverable', stat: 'UNDELIV' },
  8: { state: 'undeliverable', stat: 'REJECTD' },
};
/**
 * How often a refused segment of a text whose other segments were taken is tried again (the
 * dispatcher's own attempts for a whole text), 0.5 s apart, doubling, at most 8 s.
 */
const PART_RETRIES = 7;

export const isLoopback = (host: string): boolean =>
  host === 'localhost' ||
  (net.isIP(host) !== 0 &&
    (host.startsWith('127.') || host === '::1' || host.startsWith('::ffff:127.')));

interface Pending {
  resolve: (r: SubmitResult) => void;
  sentAt: number;
  timer: NodeJS.Timeout;
}

export async function openSmppGateway(
  settings: SmppSettings,
  onEvents: EventHandler,
): Promise<Gateway> {
  let session: Session | null = null;
  let isBound = false;
  /** Since when every receipt the SMS centre held at the bind is stored; null until then. */
  let receiving: number | null = null;
  /** Whether this bind may carry a synthetic case's texts (decided again on every bind). */
  let carriesSynthetic = false;
  let querySupported = settings.querySm;
  let closing = false;
  let backoff = 250;
  // Keyed by connection and sequence number: each connection numbers its PDUs from 1 again, and
  // an answer or a timeout of one connection must never settle another's PDU of that number.
  const pending = new Map<string, Pending>();
  let connection = 0;
  /** Places in the window taken by messages waiting for the rate, not yet written. */
  let holding = 0;
  const busy = () => pending.size + holding;
  const waiters: Array<() => void> = [];
  let latencies: number[] = [];
  let boundOnce: (() => void) | null = null;
  let bindError: ((e: Error) => void) | null = null;

  const release = () => waiters.shift()?.();

  const failOutstanding = (why: string) => {
    for (const [key, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(key);
      p.resolve({ kind: 'unknown', error: why });
      release();
    }
  };

  const onDeliver = (s: Session, pdu: PDU) => {
    const esm = Number(pdu.esm_class ?? 0);
    const text = messageText(pdu);
    let event: Receipt | Inbound | null = null;
    if (esm & 0x04) {
      const r = parseReceiptText(text);
      const id = (pdu.receipted_message_id as string | undefined) ?? r?.id;
      const state = r ? stateOfStat(r.stat) : null;
      if (id && r && state) {
        event = {
          type: 'receipt',
          messageId: id,
          destination: `+${String(pdu.source_addr).replace(/^\+/, '')}`,
          state,
          stat: r.stat,
          doneAt: r.doneAt,
        };
      }
    } else {
      event = { type: 'inbound', from: `+${String(pdu.source_addr).replace(/^\+/, '')}`, text };
    }
    if (!event) {
      s.send(pdu.response());
      return;
    }
    batch.push({
      event,
      ack: () => s.send(pdu.response()),
      nack: () => s.send(pdu.response({ command_status: E.ESME_RSYSERR })),
    });
    if (!flushing) flushing = flushEvents();
  };

  // Events are handed over in batches; each deliver_sm is acknowledged once its batch is stored.
  let batch: Array<{ event: Receipt | Inbound; ack: () => void; nack: () => void }> = [];
  let flushing: Promise<void> | null = null;
  const flushEvents = async () => {
    while (batch.length) {
      const b = batch;
      batch = [];
      try {
        await onEvents(b.map((x) => x.event));
        for (const x of b) x.ack();
      } catch {
        for (const x of b) x.nack();
      }
    }
    flushing = null;
  };

  /**
   * After a bind: an enquire_link, whose answer comes after every receipt the SMS centre wrote
   * on the bind (one connection, in order); once those are stored, receiving has begun.
   */
  const startReceiving = (s: Session) => {
    s.enquire_link({}, () => {
      void (async () => {
        while (flushing) await flushing;
        if (session === s && isBound) receiving = performance.now();
      })();
    });
  };

  const connect = () => {
    connection++;
    isBound = false;
    receiving = null;
    carriesSynthetic = false;
    const s = smpp.connect({
      host: settings.host,
      port: settings.port,
      auto_enquire_link_period: settings.enquireLinkMs,
    });
    session = s;
    s.on('connect', () => {
      // Where this connection really goes, whatever the host's name resolved to this time.
      const peer = s.socket.remoteAddress ?? '';
      s.bind_transceiver(
        { system_id: settings.systemId, password: settings.password, interface_version: 0x34 },
        (pdu) => {
          if (pdu.command_status === 0) {
            isBound = true;
            backoff = 250;
            carriesSynthetic = settings.allowSynthetic && isLoopback(peer);
            startReceiving(s);
            boundOnce?.();
            while (waiters.length && busy() < settings.window) release();
          } else {
            bindError?.(
              new Error(
                `the SMS centre refused the bind (status 0x${pdu.command_status.toString(16)})`,
              ),
            );
            s.destroy();
          }
        },
      );
    });
    s.on('deliver_sm', (pdu: PDU) => onDeliver(s, pdu));
    s.on('enquire_link', (pdu: PDU) => s.send(pdu.response()));
    s.on('unbind', (pdu: PDU) => {
      s.send(pdu.response());
      s.close();
    });
    s.on('error', () => {});
    s.on('close', () => {
      if (session !== s) return;
      isBound = false;
      receiving = null;
      carriesSynthetic = false;
      failOutstanding('the connection to the SMS centre dropped with the message outstanding');
      if (closing) return;
      const wait = Math.min(backoff, 30_000) * (0.75 + Math.random() / 2);
      backoff *= 2;
      setTimeout(() => !closing && connect(), wait).unref();
    });
  };

  await new Promise<void>((resolve, reject) => {
    let done = false;
    boundOnce = () => {
      done = true;
      resolve();
    };
    // A first bind that fails ends the gateway: no reconnecting in the background.
    const fail = (e: Error) => {
      if (done) return;
      done = true;
      closing = true;
      session?.destroy();
      reject(e);
    };
    bindError = fail;
    connect();
    setTimeout(
      () =>
        fail(
          new Error(`no bind with the SMS centre at ${settings.host}:${settings.port} within 10 s`),
        ),
      10_000,
    ).unref();
  }).finally(() => {
    boundOnce = null;
    bindError = null;
  });

  const slot = () =>
    isBound && busy() < settings.window
      ? Promise.resolve()
      : new Promise<void>((r) => waiters.push(r));

  /** Writes one PDU once it has a place in the window and the rate allows; its answer. */
  const submitPdu = async (
    fields: Record<string, unknown>,
    synthetic: boolean,
    pace?: () => Promise<void>,
    withdrawn?: () => boolean,
  ): Promise<SubmitResult> => {
    for (;;) {
      await slot();
      if (isBound && session && busy() < settings.window) break;
    }
    // Hold the place in the window while the rate decides when the write happens.
    holding++;
    try {
      await pace?.();
    } finally {
      holding--;
    }
    if (withdrawn?.()) {
      release();
      return { kind: 'withdrawn' };
    }
    if (!isBound || !session) {
      release();
      return { kind: 'unsent', error: 'not connected to the SMS centre' };
    }
    if (synthetic && !carriesSynthetic) {
      release();
      return { kind: 'unsent', error: 'this SMS centre may not carry a synthetic case' };
    }
    const s = session as Session;
    const on = connection;
    return new Promise<SubmitResult>((resolve) => {
      const sentAt = performance.now();
      let key = '';
      const ok = s.submit_sm(fields, (resp) => {
        const k = `${on}:${resp.sequence_number}`;
        const p = pending.get(k);
        if (!p) return;
        clearTimeout(p.timer);
        pending.delete(k);
        latencies.push(performance.now() - p.sentAt);
        release();
        const st = resp.command_status;
        if (st === 0) p.resolve({ kind: 'accepted', messageId: String(resp.message_id) });
        else if (THROTTLED.has(st)) p.resolve({ kind: 'throttled', error: 'ESME_RTHROTTLED' });
        else if (TEMPORARY.has(st))
          p.resolve({ kind: 'temporary', error: `status 0x${st.toString(16)}` });
        else p.resolve({ kind: 'permanent', error: `status 0x${st.toString(16)}` });
      });
      // The package numbers the PDU as it sends; the last number it used is this one.
      key = `${on}:${(s as unknown as { sequence: number }).sequence}`;
      if (!ok) {
        resolve({ kind: 'unsent', error: 'not connected to the SMS centre' });
        release();
        return;
      }
      const timer = setTimeout(() => {
        if (!pending.delete(key)) return;
        release();
        resolve({
          kind: 'unknown',
          error: `no answer from the SMS centre within ${settings.responseTimeoutMs} ms`,
        });
      }, settings.responseTimeoutMs);
      pending.set(key, { resolve, sentAt, timer });
    });
  };

  const submit = async (m: OutgoingMessage, pace?: () => Promise<void>) => {
    const pdus = submitSmFields(m, settings.longText) as Array<Record<string, unknown>>;
    const send = (i: number, last?: () => boolean) =>
      submitPdu(pdus[i] as Record<string, unknown>, m.synthetic, pace, last);
    if (pdus.length === 1) return send(0, m.withdrawn);
    // The first segment goes alone: only once it is taken do the others follow (at once, each
    // in its own place in the window). A text is never half written unless the SMS centre took
    // its first part; then the others are sent until taken (combineParts).
    const first = await send(0, m.withdrawn);
    if (first.kind !== 'accepted') return first;
    const rest = await Promise.all(pdus.slice(1).map((_, i) => send(i + 1)));
    return combineParts([first, ...rest], (i) => send(i));
  };

  const query = async (messageId: string, sender: string): Promise<QueryResult> => {
    if (!querySupported)
      return { kind: 'unknown', error: 'the SMS centre does not answer query_sm' };
    const s = session;
    if (!isBound || !s) return { kind: 'unknown', error: 'not connected to the SMS centre' };
    const alpha = /[^0-9]/.test(sender);
    return new Promise<QueryResult>((resolve) => {
      const timer = setTimeout(
        () => resolve({ kind: 'unknown', error: 'no answer to query_sm' }),
        settings.responseTimeoutMs,
      );
      const ok = s.query_sm(
        {
          message_id: messageId,
          source_addr_ton: alpha ? 5 : 1,
          source_addr_npi: alpha ? 0 : 1,
          source_addr: sender,
        },
        (resp: PDU) => {
          clearTimeout(timer);
          if (resp.command === 'generic_nack' || resp.command_status === E.ESME_RINVCMDID) {
            querySupported = false;
            return resolve({ kind: 'unknown', error: 'the SMS centre does not answer query_sm' });
          }
          if (resp.command_status !== 0) {
            return resolve({
              kind: 'unknown',
              error: `query_sm refused (status 0x${resp.command_status.toString(16)})`,
            });
          }
          const final = QUERY_FINAL[Number(resp.message_state)];
          if (!final) return resolve({ kind: 'pending' });
          const done = resp.final_date as unknown;
          resolve({
            kind: 'final',
            ...final,
            doneAt: done instanceof Date && !Number.isNaN(done.getTime()) ? done : null,
          });
        },
      );
      if (!ok) {
        clearTimeout(timer);
        resolve({ kind: 'unknown', error: 'not connected to the SMS centre' });
      }
    });
  };

  return {
    kind: 'smpp',
    maySendSynthetic: () => carriesSynthetic,
    segmentsOf: (text) => segmentCount(text, settings.longText),
    window: settings.window,
    submit,
    query,
    receivingSince: () => receiving,
    takeLatencies() {
      const l = latencies;
      latencies = [];
      return l;
    },
    async close() {
      closing = true;
      while (flushing || batch.length) await (flushing ?? new Promise((r) => setTimeout(r, 10)));
      const s = session;
      if (!s) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => s.destroy(() => resolve()), 1000);
        if (isBound) s.unbind({}, () => s.close(() => (clearTimeout(t), resolve())));
        else s.destroy(() => (clearTimeout(t), resolve()));
      });
      failOutstanding('closed');
    },
  };
}

/**
 * One answer for a text sent as segments. All taken: taken, with every segment's id. None
 * taken: the answer a single PDU would have had (in doubt first, then a refusal). Some taken:
 * the refused ones are sent again, as they were, a few times (a handset joins them by their
 * reference); a segment still refused fails the message, whose other segments are out.
 */
async function combineParts(
  results: SubmitResult[],
  again: (i: number) => Promise<SubmitResult>,
): Promise<SubmitResult> {
  const RANK: SubmitResult['kind'][] = [
    'unknown',
    'permanent',
    'temporary',
    'throttled',
    'unsent',
    'withdrawn',
  ];
  const worst = () =>
    results
      .filter((r) => r.kind !== 'accepted')
      .sort((a, b) => RANK.indexOf(a.kind) - RANK.indexOf(b.kind))[0] as SubmitResult;
  const taken = () => results.filter((r) => r.kind === 'accepted').length;
  if (taken() === 0) return worst();
  for (let round = 0; round < PART_RETRIES && taken() < results.length; round++) {
    if (results.some((r) => r.kind === 'unknown' || r.kind === 'permanent')) break;
    await new Promise((r) => setTimeout(r, Math.min(8000, 500 * 2 ** round)));
    results = await Promise.all(results.map((r, i) => (r.kind === 'accepted' ? r : again(i))));
  }
  if (taken() === results.length) {
    const ids = results.map((r) => (r as { messageId: string }).messageId);
    return { kind: 'accepted', messageId: ids[0] as string, parts: ids };
  }
  const w = worst() as Exclude<SubmitResult, { kind: 'accepted' }>;
  const which = results.findIndex((r) => r === w) + 1;
  const why = 'error' in w ? w.error : w.kind;
  const error = `segment ${which} of ${results.length} not taken (${why}) while ${taken()} were`;
  // A segment whose answer was lost may be out: in doubt, as any message would be.
  return w.kind === 'unknown' ? { kind: 'unknown', error } : { kind: 'permanent', error };
}

function messageText(pdu: PDU): string {
  const raw = (pdu.message_payload ?? pdu.short_message) as
    { message?: unknown } | string | undefined;
  const m = typeof raw === 'object' && raw !== null ? raw.message : raw;
  return Buffer.isBuffer(m) ? m.toString('latin1') : String(m ?? '');
}
