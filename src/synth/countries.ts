/**
 * Where each account's user really is (truth/jurisdiction.csv). Most are where they declared;
 * one in eight of those who declared a country typed another (and registered a phone of it, a
 * burner); an account that declared none is where its phone is.
 */
import type { Account } from './accounts.ts';
import { Rng } from './rng.ts';

const ELSEWHERE = ['GB', 'RO', 'NG', 'US', 'NL', 'FR', 'IE', 'LT'];

export function assignCountries(accounts: readonly Account[], seed: number): string[] {
  const r = new Rng(seed, 'jurisdiction');
  return accounts.map((a) => {
    if (!a.country) return a.phoneCountry;
    if (!r.chance(1 / 8)) return a.country;
    return r.pick(ELSEWHERE.filter((c) => c !== a.country));
  });
}
