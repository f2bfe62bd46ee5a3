/**
 * Runs dispatchers for a case: N of them in this process, each with its own gateway session,
 * until stopped (a signal, or nothing left to send when `untilIdle`). A synthetic campaign on a
 * gateway that may not carry one is refused before anything is sent.
 */
import { consoleKey } from '../ops/keys.ts';
import { sealer } from '../shared/seal.ts';
import type { OpsDb, Prepared } from '../ops/db.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { startDispatcher, eventStore, type DispatcherHandle } from './dispatcher.ts';
import type { Gateway } from './gateways/gateway.ts';
import { openGateway } from './gateways/open.ts';
import { refKeys } from './keys.ts';
import type { OutreachSettings } from './settings.ts';
import { pause } from './pause.ts';
import { HOUSEKEEPING_LOCK, REC } from './statements.ts';
import { settleCampaigns } from './unconfirmed.ts';

export interface RunOptions {
  workers: number;
  campaignId?: number;
  /** Stop once no sending campaign (or `campaignId`) has anything queued, claimed or in doubt. */
  untilIdle: boolean;
  /** Once idle, keep the binds open this long for receipts of submitted messages. */
  awaitReceiptsMs?: number;
  /** Called every half second while running (progress). */
  onTick?: (d: DispatcherHandle[]) => Promise<void>;
}

export async function runDispatchers(
  caseDir: string,
  db: OpsDb,
  s: OutreachSettings,
  fx: Effects,
  o: RunOptions,
  stopSignal: AbortSignal,
): Promise<DispatcherHandle[]> {
  const victimId = sealer(await consoleKey(db, 'seal_key')).stableId;
  const keys = await refKeys(db);
  const gateways: Gateway[] = [];
  const handles: DispatcherHandle[] = [];
  try {
    for (let i = 0; i < o.workers; i++) {
      const gw = await openGateway(caseDir, s, eventStore(db, fx, victimId), process.env, i === 0);
      gateways.push(gw);
      // Every worker opens the same kind of gateway: checking the first is checking them all.
      // (Each dispatcher asks again every round, and the gateway on every bind and write.)
      if (i === 0 && !gw.maySendSynthetic()) {
        const synthetic = await db.query(
          `SELECT id FROM campaigns WHERE synthetic AND state IN ('approved', 'sending', 'paused') ${o.campaignId ? 'AND id = $1' : ''}`,
          o.campaignId ? [o.campaignId] : [],
        );
        if (synthetic.length) {
          throw new UnspoofError(
            'GATEWAY_REFUSED',
            `campaign ${synthetic.map((r) => String(r.id)).join(', ')} holds synthetic data: it may only go to a file gateway or a test SMS centre on loopback (allowSynthetic in outreach.json, e.g. unspoof smsc), never to ${s.gateway.kind === 'smpp' ? `${s.gateway.host}:${s.gateway.port}` : s.gateway.kind === 'notify' ? 'GOV.UK Notify' : s.gateway.kind}`,
          );
        }
      }
      handles.push(
        await startDispatcher(db, gw, keys, fx, {
          rate: s.rate,
          leaseMs: s.leaseSeconds * 1000,
          heartbeatMs: Math.min(1000, (s.leaseSeconds * 1000) / 5),
          inDoubtWaitMs: s.inDoubtWaitSeconds * 1000,
          maxAttempts: s.maxAttempts,
          receiptTimeoutMs: s.gateway.receiptTimeoutSeconds * 1000,
          campaignId: o.campaignId,
        }),
      );
    }
    let idleSince: number | null = null;
    while (!stopSignal.aborted) {
      await pause(500, stopSignal);
      await o.onTick?.(handles);
      if (o.untilIdle && !(await hasWork(db, o.campaignId))) {
        idleSince ??= Date.now();
        const waiting = Date.now() - idleSince < (o.awaitReceiptsMs ?? 0);
        if (!waiting || !(await awaitingReceipts(db, o.campaignId))) break;
      }
    }
    return handles;
  } finally {
    await Promise.all(handles.map((h) => h.stop()));
    await Promise.all(gateways.map((g) => g.close()));
    // A receipt that came after a dispatcher's last round, while the sessions were closing, may
    // have finished its campaign: settled now, not whenever a dispatcher next runs.
    if (handles.length) await settleAfterClose(db, fx);
  }
}

async function settleAfterClose(db: OpsDb, fx: Effects): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await tx.query(HOUSEKEEPING_LOCK);
      await tx.query(REC.apply_receipts as Prepared);
    });
    await settleCampaigns(db, 'dispatcher', fx.now());
  } catch (e) {
    fx.note(`dispatcher: housekeeping failed: ${(e as Error).message}`);
  }
}

async function hasWork(db: OpsDb, campaignId?: number): Promise<boolean> {
  const [r] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM campaigns c WHERE c.state = 'sending' ${campaignId ? 'AND c.id = $1' : ''}
       AND EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.state IN ('queued', 'claimed', 'in_doubt'))`,
    campaignId ? [campaignId] : [],
  );
  return (r?.n ?? 0) > 0;
}

async function awaitingReceipts(db: OpsDb, campaignId?: number): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM messages WHERE state = 'submitted' ${campaignId ? 'AND campaign_id = $1' : ''} LIMIT 1`,
    campaignId ? [campaignId] : [],
  );
  return rows.length > 0;
}

/** An AbortSignal that fires on SIGINT or SIGTERM. */
export function stopOnSignals(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}
