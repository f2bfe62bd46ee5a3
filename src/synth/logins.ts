/**
 * logins.jsonl: each account logs in from its home addresses, in the country its user really is
 * in (geo.ts places them there; an account in six or seven also has an IPv6 one), and, for most,
 * from VPN exits that hundreds of accounts share (infrastructure, not links); a few only ever
 * through their VPN. Some log in from a rented server (hosting.txt) or through Tor, some once
 * from a private address a proxy wrote, some once from abroad. Every other account logs in from
 * home on at least three days (ten when its user declared another country), so its logins
 * outweigh a shared address abroad or the declaration. Crew members that share a home IP
 * both log in from it on the same UTC day. One line is not valid JSON.
 */
import { vpnIps, type Account } from './accounts.ts';
import type { Places } from './geo.ts';
import { listed, type Intel } from './intel.ts';
import { Rng } from './rng.ts';
import type { Clock } from './time.ts';
import type { LineWriter } from './writers.ts';

const DAY = 86_400;
const PRIVATE = ['10.0.12.7', '192.168.1.20', '100.64.3.9', '172.16.0.5', 'fd00::1:7'];
/** Where users log in from once, abroad. */
export const TRAVEL_COUNTRIES = ['ES', 'FR', 'DE', 'IT', 'PT', 'GR', 'TR', 'AE'];

export interface LoginsSummary {
  rows: number;
  vpnUsers: number[];
  /** Logins per account index from an address that locates it (home, shared, abroad). */
  located: Int32Array;
}

/** Home addresses placed in countries: one placed address per synthetic one, for every user. */
export class HomeAddresses {
  private readonly placed = new Map<string, string>();
  private readonly used = new Set<string>();
  constructor(
    private readonly places: Places,
    private readonly intel: Intel,
    private readonly r: Rng,
  ) {}

  /** The address `key` stands for, placed in `country` the first time it is asked for. */
  get(key: string, country: string, six = false): string {
    let ip = this.placed.get(key);
    if (ip !== undefined) return ip;
    for (;;) {
      const p = this.places.address(this.places.has(country) ? country : 'GB', this.r, six);
      if (p && !this.used.has(p) && !listed(this.intel, p)) {
        ip = p;
        break;
      }
    }
    this.used.add(ip);
    this.placed.set(key, ip);
    return ip;
  }
}

export interface LoginsInput {
  accounts: readonly Account[];
  trueCountry: readonly string[];
  vpnCount: number;
  seed: number;
  clock: Clock;
  homes: HomeAddresses;
  intel: Intel;
  w: LineWriter;
}

export async function writeLogins(o: LoginsInput): Promise<LoginsSummary> {
  const { accounts, clock, homes, intel, w } = o;
  const r = new Rng(o.seed, 'logins');
  const rx = new Rng(o.seed, 'logins-extra');
  const vpns = vpnIps(o.vpnCount);
  const hosting = [...intel.hostingBlocks];
  const tor = [...intel.tor];
  const vpnUsers = new Array<number>(o.vpnCount).fill(0);
  const located = new Int32Array(accounts.length);
  const badAt = r.int(0, accounts.length - 1);
  for (const a of accounts) {
    const country = o.trueCountry[a.index]!;
    const misdeclared = country !== a.country;
    const six = rx.chance(0.15);
    const home = (i: number) =>
      homes.get(a.homeIps[i]!, country, six && i === a.homeIps.length - 1);
    const line = (t: number, ip: string) =>
      JSON.stringify({ account_id: a.id, at: clock.iso(t), ip, user_agent: r.pick(a.userAgents) });
    const n = 2 + Math.min(200, Math.floor(a.calls / 40)) + r.int(0, 5);
    for (const v of a.vpns) vpnUsers[v]!++;
    // A few users outside crews only ever log in through their VPN: nothing locates them.
    const vpnOnly = a.crew < 0 && a.vpns.length > 0 && !misdeclared && rx.chance(0.2);
    let homeLogins = 0;
    for (let k = 0; k < n; k++) {
      const t = r.int(a.created, a.activeEnd);
      const viaVpn = vpnOnly || (a.vpns.length > 0 && (k < a.vpns.length || r.chance(0.4)));
      const ip = viaVpn ? vpns[a.vpns[k % a.vpns.length]!]! : home(r.int(0, a.homeIps.length - 1));
      if (!viaVpn) homeLogins++;
      await w.add(line(t, ip));
    }
    // Enough days at home that the logins, not a shared address or a declaration, say where the
    // user is: three, or ten for a user who declared another country.
    const atLeast = vpnOnly ? 0 : misdeclared ? 10 : 3;
    const span = Math.max(1, Math.floor((a.activeEnd - a.created) / DAY));
    for (let k = 0; homeLogins < atLeast; k++, homeLogins++) {
      const day = Math.floor(a.created / DAY) + Math.floor((k * span) / atLeast);
      await w.add(line(day * DAY + 12 * 3600 + k, home(k % a.homeIps.length)));
    }
    located[a.index] = homeLogins;
    for (const s of a.sharedIps) {
      await w.add(line(s.day * DAY + r.int(8 * 3600, 22 * 3600), homes.get(s.ip, country)));
      located[a.index]!++;
    }
    const t = () => rx.int(a.created, a.activeEnd);
    if (rx.chance(0.05)) {
      const ip = `${rx.pick(hosting)}${rx.int(2, 250)}`;
      for (let k = rx.int(1, 3); k > 0; k--) await w.add(line(t(), ip));
    }
    if (rx.chance(0.03)) await w.add(line(t(), rx.pick(tor)));
    if (rx.chance(0.02)) await w.add(line(t(), rx.pick(PRIVATE)));
    if (!vpnOnly && !misdeclared && rx.chance(0.1)) {
      await w.add(line(t(), homes.get(`travel/${a.id}`, rx.pick(TRAVEL_COUNTRIES))));
      located[a.index]!++;
    }
    if (a.index === badAt) {
      await w.add(`{"account_id":"${a.id}","at":"${clock.iso(a.created)}","ip":"81.2.69.1`);
    }
  }
  return { rows: w.lines, vpnUsers, located };
}
