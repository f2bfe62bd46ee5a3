/**
 * Where the synth's users log in from: addresses that the offline country database the analysis
 * reads (ipintel/databases.ts) places in the user's true country. Each country's ranges are
 * drawn by size, an address within the range at random; only public unicast addresses.
 */
import fs from 'node:fs';
import { countryCsv } from '../ipintel/databases.ts';
import { readIp } from '../ipintel/address.ts';
import type { Rng } from './rng.ts';

interface Ranges {
  first: bigint[];
  size: bigint[];
  /** Cumulative sizes as numbers (for the draw by size). */
  cum: number[];
}

/**
 * Each wanted country's ranges that overlap no other. The database nests a few ranges in others
 * (the innermost one says where an address is, as the analysis reads it: ip-intel.sql); an
 * address drawn in a range that holds or is held by another could be the other's, so those are
 * not drawn from. The file is sorted by first address: a range overlaps an earlier one when it
 * starts before the furthest end seen so far.
 */
function read(family: 4 | 6, wanted: ReadonlySet<string>): Map<string, Ranges> {
  const lines = fs.readFileSync(countryCsv(family), 'utf8').split('\n');
  const firsts: bigint[] = [];
  const lasts: bigint[] = [];
  const ccs: string[] = [];
  const overlaps = new Set<number>();
  let furthest = -1n;
  let holder = -1;
  for (const line of lines) {
    const [a, b, cc] = line.split(',');
    if (!a || !b || !cc) continue;
    const i = firsts.length;
    const first = BigInt(a);
    const last = BigInt(b);
    firsts.push(first);
    lasts.push(last);
    ccs.push(cc);
    if (first <= furthest) overlaps.add(i).add(holder);
    if (last > furthest) [furthest, holder] = [last, i];
  }
  const by = new Map<string, Ranges>();
  ccs.forEach((cc, i) => {
    if (!wanted.has(cc) || overlaps.has(i)) return;
    const first = firsts[i]!;
    const size = lasts[i]! - first + 1n;
    let r = by.get(cc);
    if (!r) by.set(cc, (r = { first: [], size: [], cum: [] }));
    r.first.push(first);
    r.size.push(size);
    // IPv6 ranges are huge: counted in /64s, so one /32 does not drown every other range.
    const weight = family === 4 ? Number(size) : Number(size >> 64n) + 1;
    r.cum.push((r.cum.at(-1) ?? 0) + weight);
  });
  return by;
}

function v4Text(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

function v6Text(n: bigint): string {
  const parts: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(((n >> s) & 0xffffn).toString(16));
  return readIp(parts.join(':'))!.canonical;
}

export class Places {
  private readonly v4: Map<string, Ranges>;
  private readonly v6: Map<string, Ranges>;

  /** The countries addresses will be asked for (reading only theirs takes a tenth of the time). */
  constructor(countries: Iterable<string>) {
    const wanted = new Set(countries);
    this.v4 = read(4, wanted);
    this.v6 = read(6, wanted);
  }

  /** Countries with IPv4 addresses of their own. */
  has(country: string): boolean {
    return this.v4.has(country);
  }

  /** A public address in `country` (IPv6 when `six` and it has some); null if it has none. */
  address(country: string, r: Rng, six = false): string | null {
    const table = six && this.v6.has(country) ? this.v6 : this.v4;
    const ranges = table.get(country);
    if (!ranges) return null;
    for (let tries = 0; tries < 100; tries++) {
      const total = ranges.cum.at(-1)!;
      const x = r.float() * total;
      let lo = 0;
      let hi = ranges.cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ranges.cum[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      const size = ranges.size[lo]!;
      const offset =
        size > 2n ** 48n
          ? BigInt(Math.floor(r.float() * 2 ** 48)) + 1n
          : BigInt(Math.floor(r.float() * Number(size)));
      const n = ranges.first[lo]! + offset;
      const text = table === this.v4 ? v4Text(n) : v6Text(n);
      const ip = readIp(text);
      if (ip && ip.range === 'unicast') return ip.canonical;
    }
    return null;
  }
}
