import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SHARED_MAX } from './params.ts';
import { readCsv, readLines, synthTo } from './testkit.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('crews', async () => {
  const { out } = await synthTo(60_000, 9);
  dirs.push(out);
  const file = (name: string) => path.join(out, name);
  // identifier → accounts using it (IPs keyed by IP and UTC day: a same-day link).
  const users = new Map<string, Set<string>>();
  const ipUsers = new Map<string, Set<string>>();
  const use = (map: Map<string, Set<string>>, key: string, account: string) => {
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(account);
  };
  const accounts = readCsv(file('accounts.csv'));
  for (const [id, , email, phone, telegram] of accounts) {
    use(users, `email:${email}`, id!);
    if (phone) use(users, `phone:${phone}`, id!);
    if (telegram) use(users, `telegram:${telegram}`, id!);
  }
  // A payment's address stands for its wallet (truth/wallets.csv): crew members who share a
  // wallet pay from different addresses of it. Card payments name none; a typo'd address is
  // no wallet's.
  const walletOf = new Map(readCsv(file('truth/wallets.csv')).map((r) => [r[0]!, r[1]!]));
  for (const r of readCsv(file('payments.csv'))) {
    const wallet = walletOf.get(r[5]!);
    if (wallet) use(users, `wallet:${wallet}`, r[1]!);
  }
  // Addresses that are no one's home: VPN and Tor exits, rented servers, a proxy's private ones.
  const intel = (name: string) => fs.readFileSync(file(`intel/${name}`), 'utf8');
  const exits = new Set(
    [...intel('tor-exit-addresses').matchAll(/^ExitAddress (\S+)/gm)].map((m) => m[1]!),
  );
  const blocks = intel('hosting.txt')
    .split('\n')
    .filter((l) => l.endsWith('.0/24'))
    .map((l) => l.slice(0, -4));
  const nobodys = (ip: string) =>
    exits.has(ip) ||
    blocks.some((b) => ip.startsWith(b)) ||
    /^(10|192\.168|172\.16|100\.64)\.|^fd00:/.test(ip);
  const ipDays = new Map<string, Set<string>>();
  for (const line of readLines(file('logins.jsonl'))) {
    try {
      const o = JSON.parse(line!) as { account_id: string; at: string; ip: string };
      if (nobodys(o.ip)) continue;
      use(ipUsers, o.ip, o.account_id);
      use(ipDays, `${o.ip}|${o.at.slice(0, 10)}`, o.account_id);
    } catch {
      // the one line that is not JSON
    }
  }
  const truth = new Map(readCsv(file('truth/crews.csv')).map((r) => [r[0]!, r[1]!]));

  it('shares each identifier among at most SHARED_MAX accounts, except VPN exits (and no one’s addresses)', () => {
    for (const [key, set] of users) assert.ok(set.size <= SHARED_MAX, key);
    const vpn = [...ipUsers].filter(([, set]) => set.size > SHARED_MAX);
    assert.ok(vpn.length >= 2);
    for (const [ip, set] of vpn) {
      assert.match(ip, /^185\./);
      assert.ok(set.size >= 20, `${ip} used by ${set.size}`);
    }
  });

  it('makes each crew exactly one connected group of linked accounts', () => {
    const parent = new Map(accounts.map((r) => [r[0]!, r[0]!]));
    const find = (x: string): string => {
      while (parent.get(x) !== x) x = parent.get(x)!;
      return x;
    };
    const union = (set: Set<string>) => {
      const [first, ...rest] = [...set];
      for (const o of rest) parent.set(find(o), find(first!));
    };
    for (const set of users.values()) union(set);
    for (const [key, set] of ipDays) {
      if (ipUsers.get(key.split('|')[0]!)!.size <= SHARED_MAX) union(set);
    }
    const groups = new Map<string, string[]>();
    for (const [id] of accounts) {
      const root = find(id!);
      groups.set(root, [...(groups.get(root) ?? []), id!]);
    }
    const found = [...groups.values()].filter((g) => g.length >= 2);
    const crews = new Map<string, string[]>();
    for (const [id, crew] of truth) crews.set(crew, [...(crews.get(crew) ?? []), id]);
    assert.deepEqual(
      found.map((g) => g.sort().join(' ')).sort(),
      [...crews.values()].map((g) => g.sort().join(' ')).sort(),
    );
    const sizes = [...crews.values()].map((g) => g.length);
    assert.ok(Math.min(...sizes) >= 2 && Math.max(...sizes) <= 25);
    const share = truth.size / accounts.length;
    assert.ok(share > 0.08 && share < 0.16, `crew share ${share}`);
  });
});
