/**
 * Ground truth, computed from what the generator wrote (only calls that load count, each once
 * however many legs it has, as its deciding leg: docs/switch-records.md §1):
 * truth/victims.csv (number,tier,review: review is true when every loaded call to the victim
 * needs review under docs/numbers.md), truth/calls.json (the loaded calls by class, as the rules
 * read them), truth/switch.json (what docs/switch-records.md reads in them), truth/readings.csv (reading,number: each other number a call flagged for review
 * was read as, and the victim it was to), truth/crews.csv (account_id,crew_id), truth/priority.csv
 * (account_id,jurisdiction: GB accounts that paid at least £100).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Account } from './accounts.ts';
import type { PaymentsSummary } from './payments.ts';
import type { CallClass } from './resolve.ts';
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

/**
 * truth/switch.json, counted on loaded calls (their deciding legs) unless said otherwise:
 * - `legs`: legs beyond each call's first (loaded into `call_legs`);
 * - `duplicates`: records written twice, byte for byte (quarantined `duplicate_row`);
 * - `no_account_calls`: calls with an empty account code (loaded under `(none)`);
 * - `calls_only_accounts`: calls under account codes no accounts file names (loaded under the
 *   code, `origin = 'calls'`), and `calls_only_account_codes` how many such codes;
 * - `non_number_caller_ids`: caller IDs that give no number (alphanumeric, a URI or e-mail
 *   address, anything else that is no number, an extension of six digits or fewer), of which
 *   `alphanumeric_caller_ids` and `extension_caller_ids` (bare extensions; the rest are what the
 *   ingest counts as other caller IDs);
 * - `outside_line` / `dial_string`: dialled numbers read without the outside-line prefix, or
 *   from the dial string (§7);
 * - `disposition_conflicts`: calls whose record contradicts itself (§2), and
 *   `leg_disposition_conflicts` the other legs that do;
 * - `nonexistent_starts` / `ambiguous_starts`: switch start times the zone skips or repeats;
 * - `clock`: the zone the switch times are written in (`UTC` for `--clock utc`).
 */
/** How many calls of each class the synth wrote. */
export type CallClasses = { calls: number } & Record<CallClass, number>;

export interface SwitchCounts {
  legs: number;
  duplicates: number;
  no_account_calls: number;
  calls_only_accounts: number;
  non_number_caller_ids: number;
  alphanumeric_caller_ids: number;
  outside_line: number;
  dial_string: number;
  disposition_conflicts: number;
  calls_only_account_codes: number;
  extension_caller_ids: number;
  leg_disposition_conflicts: number;
  nonexistent_starts: number;
  ambiguous_starts: number;
}

export const emptySwitchCounts = (): SwitchCounts => ({
  legs: 0,
  duplicates: 0,
  no_account_calls: 0,
  calls_only_accounts: 0,
  non_number_caller_ids: 0,
  alphanumeric_caller_ids: 0,
  outside_line: 0,
  dial_string: 0,
  disposition_conflicts: 0,
  calls_only_account_codes: 0,
  extension_caller_ids: 0,
  leg_disposition_conflicts: 0,
  nonexistent_starts: 0,
  ambiguous_starts: 0,
});

export async function writeTruth(
  dir: string,
  pools: Map<string, Pool>,
  accounts: readonly Account[],
  payments: Pick<PaymentsSummary, 'paid' | 'styles'>,
  where: { trueCountry: readonly string[]; located: Int32Array },
  classes: CallClasses,
  readings: ReadonlyMap<string, string>,
  switchCounts: SwitchCounts & { clock: string },
): Promise<TruthSummary> {
  fs.writeFileSync(path.join(dir, 'calls.json'), `${JSON.stringify(classes)}\n`);
  fs.writeFileSync(path.join(dir, 'switch.json'), `${JSON.stringify(switchCounts)}\n`);
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
    pool.tiers.forEach((own, i) => {
      const flagged = pool.review[i] === REVIEW.flagged;
      // Calls read as another number count for the victim only when all of its calls need
      // review: else the number listed is its own, with its own calls' tier.
      const tier = flagged ? Math.max(own, pool.otherTiers[i]!) : own;
      if (tier === 0) return;
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

  // The £100 rule on the user's true country and what the payments are worth (in pence, as the
  // analysis values them: docs/money.md); `paid_by` says how the account paid.
  const p = new LineWriter(path.join(dir, 'priority.csv'));
  p.line('account_id,jurisdiction,paid_gbp,paid_by');
  let priority = 0;
  for (const a of accounts) {
    const pence = payments.paid[a.index]!;
    if (where.trueCountry[a.index] === 'GB' && pence >= PRIORITY_GBP * 100) {
      p.line(`${a.id},GB,${(pence / 100).toFixed(2)},${payments.styles[a.index]}`);
      priority++;
    }
  }
  await p.close();
  // How each paying account paid, and what it paid in GBP as the analysis values it.
  const pay = new LineWriter(path.join(dir, 'payers.csv'));
  pay.line('account_id,paid_by,paid_gbp');
  for (const a of accounts) {
    const style = payments.styles[a.index];
    if (style && pay.line(`${a.id},${style},${(payments.paid[a.index]! / 100).toFixed(2)}`)) {
      await pay.flush();
    }
  }
  await pay.close();
  // Where each user really is, and how many of its logins locate it.
  const j = new LineWriter(path.join(dir, 'jurisdiction.csv'));
  j.line('account_id,country,declared,located_logins');
  for (const a of accounts) {
    if (j.line(`${a.id},${where.trueCountry[a.index]},${a.country},${where.located[a.index]}`)) {
      await j.flush();
    }
  }
  await j.close();
  return { victims: total, review, byCountry, crewMembers, priority };
}
