/**
 * Service accounts: identity fields, country, plan, activity (heavy-tailed) and the
 * identifiers they log in and pay with. Every identifier is unique to its account; crews
 * (crews.ts) then share some of them between members.
 */
import {
  ACCOUNT_COUNTRIES,
  ACTIVITY_ALPHA,
  ACTIVITY_CAP,
  IDLE_ACCOUNT_SHARE,
  PERIOD_END,
  PERIOD_START,
  PLANS,
  TRIAL_SHARE,
  VPN_USER_SHARE,
  type Counts,
} from './params.ts';
import { newNumber } from './numbers.ts';
import { Rng, Weighted } from './rng.ts';
import { addressOf } from './btc.ts';

export interface SharedIp {
  ip: string;
  /** Epoch day (UTC) on which both members used it. */
  day: number;
}

export interface Account {
  index: number;
  id: string;
  username: string;
  email: string;
  phone: string;
  phoneCountry: string;
  telegram: string;
  country: string;
  created: number;
  activeEnd: number;
  plan: string;
  price: number;
  calls: number;
  crew: number;
  wallets: string[];
  homeIps: string[];
  sharedIps: SharedIp[];
  vpns: number[];
  userAgents: string[];
}

const HANDLES = ['ghost', 'shadow', 'dark', 'silent', 'nova', 'zed', 'viper', 'blaze', 'king'];
const HANDLES2 = ['caller', 'money', 'lord', 'boss', 'fox', 'wolf', 'vip', 'x', 'rich', 'ace'];
const ODD_NAMES = [
  'big,boss',
  'the "caller"',
  'José',
  'Żaneta',
  'Ørjan',
  'Мирон',
  'ghost☠',
  'a,b"c',
];
const DOMAINS = ['protonmail.com', 'gmail.com', 'tutanota.com', 'outlook.com', 'yahoo.co.uk'];
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.110 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 15_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 11; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0.4692.98 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:95.0) Gecko/20100101 Firefox/95.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36',
];
const B32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Unique-by-construction identifier factory (wallets, IPs, phones). */
export class Identifiers {
  private readonly used = new Set<string>();
  constructor(
    private readonly r: Rng,
    readonly takenNumbers: Set<string>,
  ) {}

  private fresh(make: () => string): string {
    for (;;) {
      const v = make();
      if (!this.used.has(v)) {
        this.used.add(v);
        return v;
      }
    }
  }
  /** A wallet's first address: a valid Bech32 address (btc.ts) of 38 drawn characters. */
  wallet(): string {
    return this.fresh(() => addressOf(this.r.chars(B32, 38)));
  }
  /** A residential IPv4 (first octets 2–126, never used by a VPN exit). */
  homeIp(): string {
    const r = this.r;
    return this.fresh(() => `${r.int(2, 126)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`);
  }
  phone(country: string): string {
    return newNumber(this.r, country, this.takenNumbers);
  }
}

/** Evenly spread VPN exits in 185.0.0.0/8 (disjoint from home IPs). */
export function vpnIps(n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) => `185.${(i * 37) % 256}.${(i * 11) % 256}.${(i % 250) + 2}`,
  );
}

function accountId(i: number): string {
  return `u${String(i + 1).padStart(6, '0')}`;
}

export function buildAccounts(counts: Counts, seed: number, ids: Identifiers): Account[] {
  const r = new Rng(seed, 'accounts');
  const countries = new Weighted(ACCOUNT_COUNTRIES);
  const plans = new Weighted(PLANS.map(([name, price, share]) => [[name, price] as const, share]));
  const n = counts.accounts;
  const accounts: Account[] = [];
  const weights = new Float64Array(n);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    // The last few accounts have no country (they exist in the seized data).
    const country = i >= n - counts.noCountryAccounts ? '' : countries.draw(r);
    const handle = r.chance(0.04) ? r.pick(ODD_NAMES) : `${r.pick(HANDLES)}${r.pick(HANDLES2)}`;
    const ascii = `${r.pick(HANDLES)}${r.pick(HANDLES2)}`;
    const phoneCountry = country || r.pick(['GB', 'RO', 'NG']);
    const created = r.int(PERIOD_START, PERIOD_END - 30 * 86_400);
    const span = Math.min(PERIOD_END - 86_400 - created, Math.round(r.exp(200 * 86_400)) + 86_400);
    const trial = r.chance(TRIAL_SHARE);
    const [plan, price] = trial ? ['trial', 0] : plans.draw(r);
    const w = r.chance(IDLE_ACCOUNT_SHARE)
      ? 0
      : Math.min(ACTIVITY_CAP, Math.pow(1 - r.float(), -1 / ACTIVITY_ALPHA));
    weights[i] = w;
    weightSum += w;
    accounts.push({
      index: i,
      id: accountId(i),
      username: `${handle}${r.int(1, 999)}`,
      email: `${ascii}.${i + 100}@${r.pick(DOMAINS)}`,
      phone: r.chance(0.85) ? ids.phone(phoneCountry) : '',
      phoneCountry,
      telegram: r.chance(0.6) ? `@${ascii}_${i + 7}` : '',
      country,
      created,
      activeEnd: created + span,
      plan,
      price,
      calls: 0,
      crew: -1,
      wallets: [ids.wallet()],
      homeIps: Array.from({ length: r.int(1, 3) }, () => ids.homeIp()),
      sharedIps: [],
      vpns: r.chance(VPN_USER_SHARE)
        ? [...new Set(Array.from({ length: r.int(1, 2) }, () => r.int(0, counts.vpnExits - 1)))]
        : [],
      userAgents: Array.from({ length: r.int(1, 2) }, () => r.pick(USER_AGENTS)),
    });
  }
  // Planned well-formed calls per account, proportional to activity, summing to counts.calls.
  let assigned = 0;
  for (const a of accounts) {
    a.calls = Math.floor((counts.calls * weights[a.index]!) / weightSum);
    assigned += a.calls;
  }
  const active = accounts.filter((a) => a.calls > 0 || weights[a.index]! > 0);
  for (let k = 0; assigned < counts.calls; k++, assigned++) active[k % active.length]!.calls++;
  return accounts;
}
