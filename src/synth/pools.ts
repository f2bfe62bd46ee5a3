/**
 * Per destination country: the pool of victim numbers (one per POOL_DIVISOR calls to the
 * country, with a tier per number kept in a typed array) and a small pool of local numbers
 * presented as spoofed caller IDs. All are valid, unique, and disjoint from the accounts'
 * phones and brand numbers (`taken`).
 */
import { newNumber } from './numbers.ts';
import { DEST_SHARES, POOL_DIVISOR } from './params.ts';
import { Rng } from './rng.ts';
import type { Progress } from '../shared/progress.ts';

/** Victim tiers as stored per number: 0 never called (in a loaded row). */
export const TIER = { none: 0, attempted: 1, contacted: 2, likely: 3, harmed: 4 } as const;
export const TIER_NAMES = ['', 'attempted', 'contacted', 'likely', 'harmed'] as const;
/** A victim's review bits: a loaded call needed review; a loaded call did not. */
export const REVIEW = { flagged: 1, settled: 2 } as const;

export interface Pool {
  country: string;
  victims: string[];
  tiers: Uint8Array;
  /**
   * Per victim, the best tier of its calls that read as another number (flagged for review):
   * the victim's only when every call to it needs review (truth.ts).
   */
  otherTiers: Uint8Array;
  /** Per victim, REVIEW bits over its loaded calls. */
  review: Uint8Array;
  spoofed: string[];
}

export function poolSizes(calls: number): Map<string, number> {
  return new Map(
    DEST_SHARES.map(([c, share]) => [c, Math.max(20, Math.round((calls * share) / POOL_DIVISOR))]),
  );
}

export function buildPools(
  calls: number,
  seed: number,
  taken: Set<string>,
  progress: Progress,
): Map<string, Pool> {
  const r = new Rng(seed, 'pools');
  const pools = new Map<string, Pool>();
  let done = 0;
  for (const [country, size] of poolSizes(calls)) {
    const spoofed = Array.from({ length: Math.max(10, Math.round(size / 200)) }, () =>
      newNumber(r, country, taken),
    );
    const victims: string[] = [];
    for (let i = 0; i < size; i++) {
      victims.push(newNumber(r, country, taken));
      if (++done % 10_000 === 0) progress.tick(done);
    }
    pools.set(country, {
      country,
      victims,
      tiers: new Uint8Array(size),
      otherTiers: new Uint8Array(size),
      review: new Uint8Array(size),
      spoofed,
    });
  }
  progress.done();
  return pools;
}
