/**
 * Ground truth, computed from what the generator wrote (only rows that load count):
 * truth/victims.csv (number,tier,review: review is true when every loaded call to the victim
 * needs review under docs/numbers.md), truth/calls.json (the loaded calls by class, as the rules
 * read them), truth/readings.csv (reading,number: each other number a call flagged for review
 * was read as, and the victim it was to), truth/crews.csv (account_id,crew_id), truth/priority.csv
 * (account_id,jurisdiction: GB accounts that paid at least £100).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Account } from './accounts.ts';
import type { CallClasses } from './calls.ts';
import { REVIEW, TIER_NAMES, type Pool } from './pools.ts';
import { LineWriter } from './writers.ts';

export const PRIORITY_GBP = 100;

export type TierCounts = Record<'harmed' | 'likely' | 'contacted' | 'attempted', number>;

export interface TruthSummary {
  victims: TierCounts;
  /** Victims every loaded call of which needs review. */
  review: number;
  byCountry: Record<string, TierCounts>;
  crewMembers: number;
  priority: number;
}

const emptyCounts = (): TierCounts => ({ harmed: 0, likely: 0, contacted: 0, attempted: 0 });

export async function writeTruth(
  dir: string,
  pools: Map<string, Pool>,
  accounts: readonly Account[],
  paid: Float64Array,
  classes: CallClasses,
  readings: ReadonlyMap<string, string> = new Map(),
): Promise<TruthSummary> {
  fs.writeFileSync(path.join(dir, 'calls.json'), `${JSON.stringify(classes)}\n`);
  // The other numbers that calls flagged for review were read as (truth/readings.csv): listed
  // with a review flag, they are that victim's readings, not strangers.
  const rd = new LineWriter(path.join(dir, 'readings.csv'));
  rd.line('reading,number');
  for (const [reading, number] of [...readings].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (rd.line(`${reading},${number}`)) await rd.flush();
  }
  await rd.close();
  const victims: [string, number, boolean][] = [];
  let review = 0;
  const total = emptyCounts();
  const byCountry: Record<string, TierCounts> = {};
  for (const pool of pools.values()) {
    const counts = emptyCounts();
    pool.tiers.forEach((tier, i) => {
      if (tier === 0) return;
      const flagged = pool.review[i] === REVIEW.flagged;
      if (flagged) review++;
      victims.push([pool.victims[i]!, tier, flagged]);
      const name = TIER_NAMES[tier] as keyof TierCounts;
      counts[name]++;
      total[name]++;
    });
    byCountry[pool.country] = counts;
  }
  victims.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const v = new LineWriter(path.join(dir, 'victims.csv'));
  v.line('number,tier,review');
  for (const [number, tier, flagged] of victims) {
    if (v.line(`${number},${TIER_NAMES[tier]},${flagged}`)) await v.flush();
  }
  await v.close();

  // Account ids are zero-padded, so their order is the accounts' order.
  const c = new LineWriter(path.join(dir, 'crews.csv'));
  c.line('account_id,crew_id');
  let crewMembers = 0;
  for (const a of accounts) {
    if (a.crew < 0) continue;
    crewMembers++;
    c.line(`${a.id},crew${String(a.crew + 1).padStart(4, '0')}`);
  }
  await c.close();

  const p = new LineWriter(path.join(dir, 'priority.csv'));
  p.line('account_id,jurisdiction');
  let priority = 0;
  for (const a of accounts) {
    if (a.country === 'GB' && paid[a.index]! >= PRIORITY_GBP) {
      p.line(`${a.id},GB`);
      priority++;
    }
  }
  await p.close();
  return { victims: total, review, byCountry, crewMembers, priority };
}
