/**
 * `campaign send --follow`: sends the campaign from this process and shows its progress (sent,
 * delivered, failed, rate) until nothing is left to send and the receipts are in.
 */
import { openOps } from '../ops/open.ts';
import type { Effects } from '../shared/effects.ts';
import { campaignStatus } from './campaigns.ts';
import { statusText, summary } from './status-text.ts';
import { runDispatchers, stopOnSignals } from './run.ts';
import { readOutreachSettings } from './settings.ts';

const SENT = ['submitted', 'delivered', 'undeliverable', 'expired'];

export async function followCampaign(
  caseDir: string,
  id: number,
  fx: Effects,
  o: { json: boolean; workers?: number },
): Promise<void> {
  const settings = readOutreachSettings(caseDir);
  const db = await openOps(caseDir);
  try {
    const first = await campaignStatus(db, id);
    const bar = fx.progress(`Campaign ${id}`, first.total);
    const started = Date.now();
    await runDispatchers(
      caseDir,
      db,
      settings,
      fx,
      {
        workers: o.workers ?? 1,
        campaignId: id,
        untilIdle: true,
        awaitReceiptsMs: 30_000,
        async onTick(handles) {
          const s = await campaignStatus(db, id);
          const n = (k: string) => s.counts[k] ?? 0;
          const sent = SENT.reduce((a, k) => a + n(k), 0);
          const accepted = handles.reduce((a, h) => a + h.counts.accepted, 0);
          const rate = accepted / Math.max(0.001, (Date.now() - started) / 1000);
          bar.tick(
            sent + n('failed') + n('opted_out') + n('needs_review'),
            `sent ${sent} · delivered ${n('delivered')} · failed ${n('failed') + n('undeliverable')} · ${rate.toFixed(0)} msg/s`,
          );
        },
      },
      stopOnSignals(),
    );
    bar.done();
    const s = await campaignStatus(db, id);
    fx.out(
      o.json
        ? JSON.stringify({ ...summary(s.campaign), counts: s.counts, total: s.total })
        : statusText(s),
    );
  } finally {
    await db.close();
  }
}
