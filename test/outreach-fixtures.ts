/**
 * Outreach test factories: the analysed console case's victims as campaign targets, users to
 * draft and approve, an approved campaign, and a dispatcher wired to the local simulator.
 */
import { openCase } from '../src/case/store.ts';
import {
  approveCampaign,
  createCampaign,
  moveCampaign,
  NONE_FLAGGED,
} from '../src/outreach/campaigns.ts';
import {
  startDispatcher,
  DISPATCH_DEFAULTS,
  eventStore,
  type DispatchOptions,
} from '../src/outreach/dispatcher.ts';
import { openSmppGateway } from '../src/outreach/gateways/smpp.ts';
import { refKeys } from '../src/outreach/keys.ts';
import { VictimsFilter } from '../src/outreach/schemas.ts';
import { selectTargets, type Target } from '../src/outreach/targets.ts';
import { DEFAULT_TEMPLATE } from '../src/outreach/template.ts';
import type { OpsDb } from '../src/ops/db.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import type { User } from '../src/users/roles.ts';
import { addUser } from '../src/users/users.ts';
import { analysedCase } from './console-case.ts';

let targets: Promise<Target[]> | undefined;

/** The likely and harmed victims of the console test case (a few hundred). */
export function caseTargets(): Promise<Target[]> {
  targets ??= (async () => {
    const store = await openCase(await analysedCase());
    try {
      return (await selectTargets(store.conn, VictimsFilter.parse({ tiers: ['likely', 'harmed'] })))
        .targets;
    } finally {
      store.close();
    }
  })();
  return targets;
}

const users = new WeakMap<OpsDb, Promise<{ outreach: User; supervisor: User; other: User }>>();

/** An outreach officer and two supervisors (made once per store). */
export function outreachUsers(
  db: OpsDb,
): Promise<{ outreach: User; supervisor: User; other: User }> {
  let u = users.get(db);
  if (!u) {
    const now = new Date();
    const add = async (name: string, role: 'outreach' | 'supervisor') =>
      (await addUser(db, { name, role }, 'test', now)).user;
    u = (async () => ({
      outreach: await add('o-officer', 'outreach'),
      supervisor: await add('o-super', 'supervisor'),
      other: await add('o-super2', 'supervisor'),
    }))();
    users.set(db, u);
  }
  return u;
}

export const content = (over: Record<string, unknown> = {}) => ({
  name: 'Victims of the iSpoof calls',
  template: DEFAULT_TEMPLATE,
  forceName: 'Metropolitan Police',
  officialSite: 'met.police.uk/ispoof',
  senderId: 'MetPolice',
  windowStart: new Date(Date.now() - 3_600_000),
  windowEnd: new Date(Date.now() + 86_400_000),
  dayStart: '00:00',
  dayEnd: '24:00',
  ...over,
});

/** A campaign over `t`, drafted, approved and sending. */
export async function sendingCampaign(
  db: OpsDb,
  t: Target[],
  over: Record<string, unknown> = {},
  synthetic = true,
): Promise<number> {
  const { outreach, supervisor } = await outreachUsers(db);
  const now = new Date();
  const keys = await refKeys(db);
  const { id } = await createCampaign(
    db,
    outreach,
    { content: content(over), filter: {} },
    { targets: t, synthetic },
    keys,
    now,
  );
  // Made-up (or already selected) victims: nothing to check against a later analysis.
  await approveCampaign(db, supervisor, id, now, NONE_FLAGGED);
  await moveCampaign(db, outreach, id, 'send', now, undefined, NONE_FLAGGED);
  return id;
}

export const fastDispatch = (over: Partial<DispatchOptions> = {}): DispatchOptions => ({
  ...DISPATCH_DEFAULTS,
  rate: 10_000,
  leaseMs: 1_500,
  heartbeatMs: 200,
  inDoubtWaitMs: 3_000,
  ...over,
});

/** A dispatcher in this process, bound to the simulator on `port`. */
export async function dispatcherOn(db: OpsDb, port: number, o: DispatchOptions, window = 20) {
  const fx = memoryEffects(new Date());
  const live = { ...fx, now: () => new Date() };
  const gw = await openSmppGateway(
    {
      host: '127.0.0.1',
      port,
      systemId: 'unspoof',
      password: '',
      window,
      enquireLinkMs: 5_000,
      responseTimeoutMs: 5_000,
      longText: 'udh',
      allowSynthetic: true,
      querySm: true,
    },
    eventStore(db, live, (n) => `h(${n.length})`),
  );
  const d = await startDispatcher(db, gw, await refKeys(db), live, o);
  return {
    d,
    gw,
    async stop() {
      await d.stop();
      await gw.close();
    },
  };
}

/** Polls until `ok` holds (or fails after `ms`). */
export async function until(
  ok: () => Promise<boolean>,
  ms = 30_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `n` made-up GB mobile victims (Ofcom's drama range), in London's zone. */
export function madeUpTargets(n: number, from = 0): Target[] {
  return Array.from({ length: n }, (_, i) => ({
    number: `+4477009${String(from + i).padStart(5, '0')}`,
    country: 'GB',
    brand: ['Barclays', 'HSBC', 'Lloyds Bank', 'NatWest'][i % 4] as string,
    callDate: '2026-03-12',
    zones: 'Europe/London',
  }));
}

/** Waits until the campaign is completed and no message awaits its receipt. */
export async function settled(db: OpsDb, id: number, ms = 60_000): Promise<void> {
  const { campaignStatus } = await import('../src/outreach/campaigns.ts');
  let last = '';
  await until(
    async () => {
      const s = await campaignStatus(db, id);
      last = `${s.campaign.state} ${JSON.stringify(s.counts)}`;
      return s.campaign.state === 'completed' && !s.counts.submitted;
    },
    ms,
    `campaign ${id} to settle`,
  ).catch((e: Error) => {
    throw new Error(`${e.message} (last seen: ${last})`);
  });
}
