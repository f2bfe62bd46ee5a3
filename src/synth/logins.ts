/**
 * logins.jsonl: each account logs in from its own home IPs and, for most, from VPN exits that
 * hundreds of accounts share (infrastructure, not links). Crew members that share a home IP
 * both log in from it on the same UTC day. One line is not valid JSON.
 */
import { vpnIps, type Account } from './accounts.ts';
import { Rng } from './rng.ts';
import type { Clock } from './time.ts';
import type { LineWriter } from './writers.ts';

const DAY = 86_400;

export async function writeLogins(
  accounts: readonly Account[],
  vpnCount: number,
  seed: number,
  clock: Clock,
  w: LineWriter,
): Promise<{ rows: number; vpnUsers: number[] }> {
  const r = new Rng(seed, 'logins');
  const vpns = vpnIps(vpnCount);
  const vpnUsers = new Array<number>(vpnCount).fill(0);
  const badAt = r.int(0, accounts.length - 1);
  for (const a of accounts) {
    const line = (t: number, ip: string) =>
      JSON.stringify({ account_id: a.id, at: clock.iso(t), ip, user_agent: r.pick(a.userAgents) });
    const n = 2 + Math.min(200, Math.floor(a.calls / 40)) + r.int(0, 5);
    for (const v of a.vpns) vpnUsers[v]!++;
    for (let k = 0; k < n; k++) {
      const t = r.int(a.created, a.activeEnd);
      const viaVpn = a.vpns.length > 0 && (k < a.vpns.length || r.chance(0.4));
      const ip = viaVpn ? vpns[a.vpns[k % a.vpns.length]!]! : r.pick(a.homeIps);
      await w.add(line(t, ip));
    }
    for (const s of a.sharedIps) await w.add(line(s.day * DAY + r.int(8 * 3600, 22 * 3600), s.ip));
    if (a.index === badAt) {
      await w.add(`{"account_id":"${a.id}","at":"${clock.iso(a.created)}","ip":"81.2.69.1`);
    }
  }
  return { rows: w.lines, vpnUsers };
}
