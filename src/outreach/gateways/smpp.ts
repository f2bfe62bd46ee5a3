/**
 * SMPP 3.4 gateway (the `smpp` package): one transceiver bind, a window of outstanding
 * submit_sm, enquire_link, reconnect with backoff; delivery receipts and inbound texts arrive
 * as deliver_sm and are acknowledged only after the dispatcher has stored them (so an SMS
 * centre redelivers what a crash lost).
 */
import net from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';
import type {
  EventHandler,
  Gateway,
  Inbound,
  OutgoingMessage,
  Receipt,
  SubmitResult,
} from './gateway.ts';
import { smsBytes } from './sms-bytes.ts';
import { parseReceiptText, stateOfStat } from './receipt-text.ts';

export interface SmppSettings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  window: number;
  enquireLinkMs: number;
  responseTimeoutMs: number;
}

/** The system_id the local simulator answers a bind with (src/smsc/simulator.ts). */
export const SIMULATOR_ID = 'unspoof-smsc-simulator';

const E = smpp.errors;
const THROTTLED = new Set([E.ESME_RTHROTTLED]);
// Statuses that say "not now, try again": queue full, system error, submit failure at the MC.
const TEMPORARY = new Set([E.ESME_RMSGQFUL, E.ESME_RSYSERR, E.ESME_RX_T_APPN, E.ESME_RSUBMITFAIL]);

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || (net.isIP(host) !== 0 && (host.startsWith('127.') || host === '::1'));

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
  /** When the session now bound was bound (performance.now()), null while none is. */
  let boundAt: number | null = null;
  const bound = () => boundAt !== null;
  let closing = false;
  let simulator = false;
  let backoff = 250;
  const pending = new Map<number, Pending>();
  /** Places in the window taken by messages waiting for the rate, not yet written. */
  let holding = 0;
  const busy = () => pending.size + holding;
  const waiters: Array<() => void> = [];
  let latencies: number[] = [];
  let boundOnce: (() => void) | null = null;
  let bindError: ((e: Error) => void) | null = null;

  const release = () => waiters.shift()?.();

  const failOutstanding = (why: string) => {
    for (const [seq, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(seq);
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
    if (!flushing) void flushEvents();
  };

  // Events are handed over in batches; each deliver_sm is acknowledged once its batch is stored.
  let batch: Array<{ event: Receipt | Inbound; ack: () => void; nack: () => void }> = [];
  let flushing = false;
  const flushEvents = async () => {
    flushing = true;
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
    flushing = false;
  };

  const connect = () => {
    boundAt = null;
    const s = smpp.connect({
      host: settings.host,
      port: settings.port,
      auto_enquire_link_period: settings.enquireLinkMs,
    });
    session = s;
    s.on('connect', () => {
      s.bind_transceiver(
        { system_id: settings.systemId, password: settings.password, interface_version: 0x34 },
        (pdu) => {
          if (pdu.command_status === 0) {
            boundAt = performance.now();
            backoff = 250;
            simulator = pdu.system_id === SIMULATOR_ID && isLoopback(settings.host);
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
      boundAt = null;
      failOutstanding('the connection to the SMS centre dropped with the message outstanding');
      if (closing) return;
      const wait = Math.min(backoff, 30_000) * (0.75 + Math.random() / 2);
      backoff *= 2;
      setTimeout(() => !closing && connect(), wait).unref();
    });
  };

  await new Promise<void>((resolve, reject) => {
    boundOnce = resolve;
    bindError = reject;
    connect();
    setTimeout(
      () =>
        reject(
          new Error(`no bind with the SMS centre at ${settings.host}:${settings.port} within 10 s`),
        ),
      10_000,
    ).unref();
  }).finally(() => {
    boundOnce = null;
    bindError = null;
  });

  const slot = () =>
    bound() && busy() < settings.window
      ? Promise.resolve()
      : new Promise<void>((r) => waiters.push(r));

  return {
    kind: 'smpp',
    get isLocalSimulator() {
      return simulator;
    },
    window: settings.window,
    async submit(m: OutgoingMessage, pace?: () => Promise<void>): Promise<SubmitResult> {
      for (;;) {
        await slot();
        if (bound() && session && busy() < settings.window) break;
      }
      // Hold the place in the window while the rate decides when the write happens.
      holding++;
      try {
        await pace?.();
      } finally {
        holding--;
      }
      if (!bound() || !session) {
        release();
        return { kind: 'unsent', error: 'not connected to the SMS centre' };
      }
      const s = session as Session;
      // GSM-7 when every character is in the GSM alphabet, else UCS-2 (the bytes the package
      // would write: sms-bytes.ts); a text longer than one segment goes in message_payload and
      // the SMS centre splits it.
      const { dataCoding, bytes } = smsBytes(m.text);
      const long = m.text.length > (dataCoding === 0x00 ? 153 : 67);
      const alpha = /[^0-9]/.test(m.sender);
      return new Promise<SubmitResult>((resolve) => {
        const sentAt = performance.now();
        const pdu = {
          source_addr_ton: alpha ? 5 : 1,
          source_addr_npi: alpha ? 0 : 1,
          source_addr: m.sender,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: m.number.replace(/^\+/, ''),
          registered_delivery: 1,
          data_coding: dataCoding,
          ...(long ? { message_payload: bytes } : { short_message: bytes }),
        };
        let seq = 0;
        const ok = s.submit_sm(pdu, (resp) => {
          const p = pending.get(resp.sequence_number);
          if (!p) return;
          clearTimeout(p.timer);
          pending.delete(resp.sequence_number);
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
        seq = (s as unknown as { sequence: number }).sequence;
        if (!ok) {
          resolve({ kind: 'unsent', error: 'not connected to the SMS centre' });
          release();
          return;
        }
        const timer = setTimeout(() => {
          if (!pending.delete(seq)) return;
          release();
          resolve({
            kind: 'unknown',
            error: `no answer from the SMS centre within ${settings.responseTimeoutMs} ms`,
          });
        }, settings.responseTimeoutMs);
        pending.set(seq, { resolve, sentAt, timer });
      });
    },
    receivingSince: () => boundAt,
    takeLatencies() {
      const l = latencies;
      latencies = [];
      return l;
    },
    async close() {
      closing = true;
      while (flushing || batch.length) await new Promise((r) => setTimeout(r, 10));
      const s = session;
      if (!s) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => s.destroy(() => resolve()), 1000);
        if (bound()) s.unbind({}, () => s.close(() => (clearTimeout(t), resolve())));
        else s.destroy(() => (clearTimeout(t), resolve()));
      });
      failOutstanding('closed');
    },
  };
}

function messageText(pdu: PDU): string {
  const raw = (pdu.message_payload ?? pdu.short_message) as
    { message?: unknown } | string | undefined;
  const m = typeof raw === 'object' && raw !== null ? raw.message : raw;
  return Buffer.isBuffer(m) ? m.toString('latin1') : String(m ?? '');
}
