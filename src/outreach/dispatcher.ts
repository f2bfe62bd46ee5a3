/**
 * A dispatcher: claims queued messages of sending campaigns (row locks, SKIP LOCKED), writes
 * each text, submits it within the rate and the gateway's window, and records the answers in
 * batches. Several dispatchers — in one process or many — share the outbox.
 *
 * Exactly once: a row is claimed (committed) before its submit, and its answer is recorded
 * after. A dispatcher that dies leaves claimed rows whose fate is unknown: they go in doubt
 * (after its lease), and a receipt for the number that names no known message resolves them as
 * taken; one with no receipt within `inDoubtWaitMs` was never taken and is queued again, by a
 * dispatcher that has itself been receiving for that long (docs/outreach.md, "In doubt").
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { OpsDb, Prepared } from '../ops/db.ts';
import type { Effects } from '../shared/effects.ts';
import type { Campaign } from './campaigns.ts';
import type { Gateway, Inbound, Receipt, SubmitResult } from './gateways/gateway.ts';
import type { Lang } from './languages.ts';
import { handleInbound, optOutNews } from './optout.ts';
import { RateLimiter } from './rate.ts';
import { referenceCode, type RefKeys } from './refcode.ts';
import { formatCallDate, render } from './template.ts';
import { HOUSEKEEPING_LOCK, CLAIM, MAINT, REC, storeReceipts } from './statements.ts';
import { templateFor } from './texts.ts';
import { settleCampaigns, sweepLate } from './unconfirmed.ts';
import { zonesInDaytime } from './window.ts';

export interface DispatchOptions {
  /** Messages per second, across every live dispatcher of the case. */
  rate: number;
  leaseMs: number;
  heartbeatMs: number;
  /** How long an in-doubt message waits for a receipt before it is sent again. */
  inDoubtWaitMs: number;
  maxAttempts: number;
  /** How long a message the gateway took waits for its final receipt before it is unconfirmed. */
  receiptTimeoutMs: number;
  /** Only this campaign (all sending campaigns when absent). */
  campaignId?: number;
}

export const DISPATCH_DEFAULTS: DispatchOptions = {
  rate: 100,
  leaseMs: 15_000,
  heartbeatMs: 1_000,
  inDoubtWaitMs: 600_000,
  maxAttempts: 8,
  receiptTimeoutMs: 72 * 3_600_000,
};

/** What a dispatcher reads of a sending campaign (refreshed twice a second). */
type CampaignRow = Pick<
  Campaign,
  | 'id'
  | 'state'
  | 'template'
  | 'translations'
  | 'force_name'
  | 'official_site'
  | 'sender_id'
  | 'window_start'
  | 'window_end'
  | 'day_start'
  | 'day_end'
  | 'synthetic'
>;

interface Claimed {
  id: string;
  campaign_id: string;
  number: string;
  brand: string | null;
  call_date: string | null;
  lang: Lang;
}

export interface DispatcherHandle {
  id: string;
  /** Stops claiming, lets what is outstanding finish, releases what was never submitted. */
  stop(): Promise<void>;
  /** Resolves when the dispatcher has stopped (by stop() or a fatal error). */
  done: Promise<void>;
  readonly counts: {
    submitted: number;
    accepted: number;
    retried: number;
    failed: number;
    inDoubt: number;
  };
  takeLatencies(): number[];
}

export async function startDispatcher(
  db: OpsDb,
  gateway: Gateway,
  keys: RefKeys,
  fx: Effects,
  o: DispatchOptions,
): Promise<DispatcherHandle> {
  const id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  await db.query(
    'INSERT INTO dispatchers (id, pid, started_at, heartbeat_at) VALUES ($1, $2, now(), now())',
    [id, process.pid],
  );
  const limiter = new RateLimiter(o.rate);
  const counts = { submitted: 0, accepted: 0, retried: 0, failed: 0, inDoubt: 0 };
  let stopping = false;
  let campaigns: CampaignRow[] = [];
  const zoneSets = new Map<number, { at: number; zones: string[] }>();
  let inflight = 0;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      wake = () => (clearTimeout(t), r());
    });

  // Answers wait here and are written in batches, one statement per outcome.
  let results: Array<{ id: string; r: SubmitResult }> = [];
  let released: string[] = [];
  /** Claimed, then the number replied STOP before the text was written: never sent. */
  let stopped: string[] = [];
  let flushing: Promise<void> | null = null;
  const flush = (): Promise<void> => {
    if (flushing) return flushing;
    flushing = (async () => {
      while (results.length || released.length || stopped.length) {
        const batch = results;
        const rel = released;
        const stop = stopped;
        results = [];
        released = [];
        stopped = [];
        try {
          await record(batch, rel, stop);
        } catch (e) {
          // The store refused (a deadlock, a dropped connection): every statement is guarded by
          // the row's state, so the whole batch is written again, a moment later.
          fx.note(
            `dispatcher: recording answers failed (${(e as Error).message}); again in 200 ms`,
          );
          results = [...batch, ...results];
          released = [...rel, ...released];
          stopped = [...stop, ...stopped];
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      flushing = null;
    })();
    return flushing;
  };

  /** One batch of answers, one statement per outcome, each atomic on its own. */
  const record = async (
    batch: Array<{ id: string; r: SubmitResult }>,
    rel: string[],
    stop: string[],
  ) => {
    const by = (k: SubmitResult['kind']) => batch.filter((b) => b.r.kind === k);
    const acc = by('accepted');
    const retry = [...by('throttled'), ...by('unsent'), ...by('temporary')];
    const failed = by('permanent');
    const doubt = by('unknown');
    const err = (b: { r: SubmitResult }) => ('error' in b.r ? b.r.error : '');
    // One statement per outcome, each atomic on its own: no transaction round trips.
    if (acc.length) {
      const taken = acc.map((b) => b.r as Extract<SubmitResult, { kind: 'accepted' }>);
      await db.query(REC.accepted as Prepared, [
        acc.map((b) => b.id),
        taken.map((r) => r.messageId),
        taken.map((r) => (r.parts ? r.parts.join(',') : null)),
      ]);
    }
    if (retry.length) {
      const delays = retry.map((b) => (b.r.kind === 'temporary' ? 1000 : 500));
      await db.query(REC.retry as Prepared, [
        retry.map((b) => b.id),
        retry.map(err),
        delays,
        retry.map((b) => b.r.kind === 'temporary'),
        o.maxAttempts,
      ]);
    }
    if (failed.length)
      await db.query(REC.failed as Prepared, [failed.map((b) => b.id), failed.map(err)]);
    if (doubt.length)
      await db.query(REC.in_doubt as Prepared, [doubt.map((b) => b.id), doubt.map(err)]);
    if (rel.length) await db.query(REC.release as Prepared, [rel]);
    if (stop.length) await db.query(REC.stopped as Prepared, [stop]);
    counts.accepted += acc.length;
    counts.retried += retry.length;
    counts.failed += failed.length;
    counts.inDoubt += doubt.length;
  };

  // Numbers that opted out, as this dispatcher knows them: told at once in this process,
  // read from the store at each heartbeat for STOPs that reached another process.
  const optOuts = new Set<string>();
  let optOutsRead = new Date(0);
  const onStop = (n: string) => optOuts.add(n);
  optOutNews.on('stop', onStop);
  const readOptOuts = async () => {
    const rows = await db.query<{ number: string; at: Date }>(MAINT.opt_outs_since as Prepared, [
      optOutsRead,
    ]);
    for (const r of rows) {
      optOuts.add(r.number);
      if (new Date(r.at) > optOutsRead) optOutsRead = new Date(r.at);
    }
  };

  const refreshCampaigns = async () => {
    campaigns = await db.query<CampaignRow>(
      `SELECT id::int AS id, state, template, translations, force_name, official_site, sender_id, window_start, window_end, day_start, day_end, synthetic
       FROM campaigns WHERE state = 'sending' ${o.campaignId ? 'AND id = $1' : ''} ORDER BY id`,
      o.campaignId ? [o.campaignId] : [],
    );
  };

  const zonesOpen = async (c: CampaignRow, now: Date): Promise<string[]> => {
    let z = zoneSets.get(c.id);
    // Kept 30 s, but an empty set only a second: messages queued again (a retry, or in doubt
    // with no receipt) must not wait half a minute for the next look.
    if (!z || performance.now() - z.at > (z.zones.length ? 30_000 : 1_000)) {
      const rows = await db.query<{ zones: string }>(
        `SELECT DISTINCT zones FROM messages WHERE campaign_id = $1 AND state = 'queued'`,
        [c.id],
      );
      z = { at: performance.now(), zones: rows.map((r) => r.zones) };
      zoneSets.set(c.id, z);
    }
    return zonesInDaytime(now, z.zones, { dayStart: c.day_start, dayEnd: c.day_end });
  };

  const textOf = (c: CampaignRow, m: Claimed) =>
    render(templateFor(c, m.lang) ?? c.template, {
      force: c.force_name,
      site: c.official_site,
      brand: m.brand ?? '',
      call_date: formatCallDate(m.call_date, m.lang),
      reference: referenceCode(keys, c.id, m.number),
    });

  const send = async (c: CampaignRow, m: Claimed, text: string) => {
    try {
      const live = campaigns.find((x) => x.id === c.id);
      if (stopping || !live) {
        released.push(m.id);
        return;
      }
      counts.submitted++;
      const r = await gateway.submit(
        {
          id: Number(m.id),
          number: m.number,
          sender: c.sender_id,
          text,
          synthetic: c.synthetic,
          // The last moment before the write: a STOP that came meanwhile wins.
          withdrawn: () => optOuts.has(m.number),
        },
        () => limiter.take(),
      );
      if (r.kind === 'withdrawn') {
        counts.submitted--;
        stopped.push(m.id);
        return;
      }
      if (r.kind === 'throttled') limiter.throttled();
      results.push({ id: m.id, r });
    } finally {
      inflight--;
      void flush();
      signal();
    }
  };

  let lastCampaigns = 0;
  let rotate = 0;
  const mainLoop = async () => {
    while (!stopping) {
      // A failed round (the database briefly unreachable) is reported and tried again.
      await round().catch(async (e: Error) => {
        fx.note(`dispatcher: ${e.message}; trying again in 1 s`);
        await sleep(1000);
      });
    }
  };
  /** One round: refresh what is sending, claim what may go now, hand it to the gateway. */
  const round = async () => {
    if (performance.now() - lastCampaigns > 500) {
      await refreshCampaigns();
      lastCampaigns = performance.now();
    }
    const now = fx.now();
    // A synthetic case's texts go only where the gateway, as bound now, may carry them (a file,
    // or a test SMS centre on loopback): never to a live gateway. Asked every round, since a
    // reconnect may reach another peer; the gateway checks again as it writes each one.
    const synthetic = gateway.maySendSynthetic();
    const open = campaigns.filter(
      (c) => now >= c.window_start && now < c.window_end && (!c.synthetic || synthetic),
    );
    const room = gateway.window * 4 - inflight;
    if (!open.length || room < Math.max(1, gateway.window / 2)) {
      await sleep(open.length ? 50 : 200);
      return;
    }
    const c = open[rotate++ % open.length] as CampaignRow;
    const zones = await zonesOpen(c, now);
    const rows = zones.length ? await db.query<Claimed>(CLAIM, [id, c.id, zones, room]) : [];
    if (!rows.length) {
      await sleep(100);
      return;
    }
    const texts = rows.map((m) => textOf(c, m));
    // How many segments each text takes, stored before any is written: a text in doubt is
    // settled by its receipts only when there are as many as its segments (maintain.sql).
    const multi = rows.flatMap((m, i) => {
      const n = gateway.segmentsOf(texts[i] as string);
      return n > 1 ? [[m.id, n] as const] : [];
    });
    if (multi.length) {
      await db
        .query(REC.parts as Prepared, [multi.map((x) => x[0]), multi.map((x) => x[1])])
        .catch((e: Error) => {
          // Nothing was written: the claimed rows go back to the queue as they were.
          released.push(...rows.map((m) => m.id));
          void flush();
          throw e;
        });
    }
    inflight += rows.length;
    rows.forEach((m, i) => void send(c, m, texts[i] as string));
  };

  // The heartbeat keeps this dispatcher alive, and does the outbox's housekeeping.
  const maintain = async () => {
    await db.query(MAINT.heartbeat as Prepared, [id]);
    await readOptOuts();
    await db.transaction(async (tx) => {
      await tx.query(HOUSEKEEPING_LOCK);
      await tx.query(MAINT.dead_claims as Prepared, [id, o.leaseMs]);
      await tx.query(MAINT.resolve_in_doubt as Prepared);
      // A receipt the SMS centre holds comes only to a bound session: the wait counts only
      // while this dispatcher has been receiving. One that has just started (or bound again)
      // may be about to be handed the very receipts that resolve what is in doubt.
      const since = gateway.receivingSince();
      if (since !== null && performance.now() - since >= o.inDoubtWaitMs)
        await tx.query(MAINT.requeue_in_doubt as Prepared, [o.inDoubtWaitMs]);
      await tx.query(REC.apply_receipts as Prepared);
    });
    const [live] = await db.query<{ n: number }>(MAINT.live_dispatchers as Prepared, [o.leaseMs]);
    limiter.setLimit(o.rate / Math.max(1, live?.n ?? 1));
    // Receipts that never came: looked for a tenth of the timeout apart (at most a minute).
    if (performance.now() - lastSweep >= Math.min(60_000, o.receiptTimeoutMs / 10)) {
      lastSweep = performance.now();
      const ask = gateway.query?.bind(gateway);
      const swept = await sweepLate(db, o.receiptTimeoutMs, ask);
      if (swept.unconfirmed)
        fx.note(`dispatcher: ${swept.unconfirmed} messages unconfirmed (no final receipt)`);
    }
    await settleCampaigns(db, `dispatcher:${id}`, fx.now());
  };
  let lastSweep = 0;
  let beat: NodeJS.Timeout | null = null;
  const heartbeat = () => {
    beat = setTimeout(() => {
      maintain()
        .catch((e: Error) => fx.note(`dispatcher: housekeeping failed: ${e.message}`))
        .finally(() => !stopping && heartbeat());
    }, o.heartbeatMs);
  };
  await maintain();
  heartbeat();
  // A dispatcher that joins waits a heartbeat, so the others have lowered their share of the rate.
  await new Promise((r) => setTimeout(r, Math.min(o.heartbeatMs, 1000)));

  const done = mainLoop()
    .then(async () => {
      while (inflight > 0) await sleep(20);
      await flush();
      if (beat) clearTimeout(beat);
      // One last round, so a campaign this dispatcher finished is marked completed now.
      await maintain().catch((e: Error) =>
        fx.note(`dispatcher: housekeeping failed: ${e.message}`),
      );
      await db.query('UPDATE dispatchers SET stopped_at = now() WHERE id = $1', [id]);
    })
    .finally(() => optOutNews.off('stop', onStop));

  return {
    id,
    counts,
    done,
    takeLatencies: () => gateway.takeLatencies(),
    async stop() {
      stopping = true;
      signal();
      await done;
    },
  };
}

/** Stores receipts and inbound texts (a gateway acknowledges them once this resolves). */
export function eventStore(db: OpsDb, fx: Effects, victimId: (n: string) => string) {
  return async (events: Array<Receipt | Inbound>): Promise<void> => {
    const receipts = events.filter((e): e is Receipt => e.type === 'receipt');
    await storeReceipts(db, receipts);
    for (const e of events)
      if (e.type === 'inbound') await handleInbound(db, e, fx.now(), victimId);
  };
}
