/**
 * Seeded randomness for the generator (pure-rand xoroshiro128+). Each part of the export draws
 * from its own stream, derived from the seed and a label, so changing how one file is generated
 * does not reshuffle the others. Same seed, same streams, same bytes.
 */
import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

export class Rng {
  private readonly gen: JumpableRandomGenerator;

  constructor(seed: number, label: string) {
    const digest = createHash('sha256').update(`${seed}:${label}`).digest();
    this.gen = xoroshiro128plus(digest.readInt32LE(0));
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number {
    return uniformInt(this.gen, lo, hi);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A string of `n` characters drawn from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }

  /** Exponential variate with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }
}

/** Draws an item by weight; built once, drawn from many times. */
export class Weighted<T> {
  private readonly items: T[];
  private readonly cumulative: Float64Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    for (let i = 0; i < entries.length; i++) this.cumulative[i]! /= sum;
  }

  draw(rng: Rng): T {
    const u = rng.float();
    for (let i = 0; i < this.cumulative.length; i++) {
      if (u < this.cumulative[i]!) return this.items[i]!;
    }
    return this.items[this.items.length - 1]!;
  }
}
