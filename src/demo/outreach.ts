/**
 * Demo mode only: a small approved campaign, end to end. The local SMS centre starts (its log in
 * the case, where the console's phone page reads it), the demo's outreach officer drafts a pilot
 * campaign to 25 GB victims, the supervisor approves it, and a dispatcher in this process sends
 * it and waits for the receipts. The local-daytime rule is widened to the whole day so that the
 * demo works at any hour; real campaigns default to 09:00–20:00 in the victim's zone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openCase, queryRows } from '../case/store.ts';
import {
  approveCampaign,
  campaignStatus,
  createCampaign,
  moveCampaign,
} from '../outreach/campaigns.ts';
import { statusText } from '../outreach/status-text.ts';
import { refKeys } from '../outreach/keys.ts';
import { runDispatchers } from '../outreach/run.ts';
import { VictimsFilter } from '../outreach/schemas.ts';
import { OutreachSettings, SETTINGS_FILE } from '../outreach/settings.ts';
import { selectTargets } from '../outreach/targets.ts';
import { DEFAULT_TEMPLATE } from '../outreach/template.ts';
import type { OpsDb } from '../ops/db.ts';
import type { Effects } from '../shared/effects.ts';
import { parseFaults } from '../smsc/faults.ts';
import { smscLog } from '../smsc/log.ts';
import { startSimulator } from '../smsc/simulator.ts';
import type { User } from '../users/roles.ts';

export async function demoCampaign(
  caseDir: string,
  ops: OpsDb,
  users: { outreach: User; supervisor: User },
  fx: Effects,
): Promise<number> {
  const log = smscLog(caseDir);
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const sim = await startSimulator({
    port: 2775,
    log,
    faults: parseFaults('receipt-delay=300'),
  }).catch(() => startSimulator({ port: 0, log, faults: parseFaults('receipt-delay=300') }));
  try {
    const settings = {
      // The local simulator, named a test peer: the demo's synthetic case may go to it.
      gateway: { kind: 'smpp', port: sim.port, window: 10, allowSynthetic: true },
      rate: 20,
      leaseSeconds: 5,
      inDoubtWaitSeconds: 30,
    };
    fs.writeFileSync(path.join(caseDir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
    const store = await openCase(caseDir);
    const [selection, review] = await Promise.all([
      selectTargets(
        store.conn,
        VictimsFilter.parse({ countries: ['GB'], tiers: ['harmed', 'likely'], limit: 25 }),
      ),
      // The numbers that need review, checked again at approval and sending (campaigns.ts).
      queryRows<{ number: string }>(store.conn, 'SELECT number FROM victims WHERE needs_review'),
    ]).finally(() => store.close());
    const flagged = async () => review.map((r) => r.number);
    const now = fx.now();
    const { id, messages } = await createCampaign(
      ops,
      users.outreach,
      {
        content: {
          name: 'Pilot: GB victims of the seized service',
          template: DEFAULT_TEMPLATE,
          forceName: 'Metropolitan Police',
          officialSite: 'met.police.uk/ispoof',
          senderId: 'MetPolice',
          windowStart: new Date(now.getTime() - 60_000),
          windowEnd: new Date(now.getTime() + 2 * 86_400_000),
          dayStart: '00:00',
          dayEnd: '24:00',
        },
        filter: VictimsFilter.parse({ countries: ['GB'], tiers: ['harmed', 'likely'], limit: 25 }),
      },
      selection,
      await refKeys(ops),
      now,
    );
    fx.out(
      `\nOutreach: campaign ${id} drafted by ${users.outreach.name} for ${messages} GB victims (a pilot).`,
    );
    await approveCampaign(ops, users.supervisor, id, now, flagged);
    fx.out(
      `Approved by ${users.supervisor.name} (four eyes); sending to the local SMS centre on 127.0.0.1:${sim.port} …`,
    );
    await moveCampaign(ops, users.outreach, id, 'send', now, undefined, flagged);
    const bar = fx.progress('Texts', messages);
    await runDispatchers(
      caseDir,
      ops,
      OutreachSettings.parse(settings),
      { ...fx, now: () => new Date() },
      {
        workers: 1,
        campaignId: id,
        untilIdle: true,
        awaitReceiptsMs: 10_000,
        async onTick() {
          const s = await campaignStatus(ops, id);
          bar.tick(
            messages - (s.counts.queued ?? 0) - (s.counts.claimed ?? 0),
            `delivered ${s.counts.delivered ?? 0}`,
          );
        },
      },
      new AbortController().signal,
    );
    bar.done();
    fx.out(statusText(await campaignStatus(ops, id)));
    return id;
  } finally {
    await sim.close();
  }
}
