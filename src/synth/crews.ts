/**
 * Crews: groups of 2–25 accounts chained by shared identifiers (a wallet, an email, a phone, a
 * telegram handle, or a home IP used by two members on the same day). Each member after the
 * first shares one identifier with an earlier member, so every crew is connected; no shared
 * identifier is used by more than SHARED_MAX accounts, and nothing is shared across crews.
 */
import type { Account, Identifiers } from './accounts.ts';
import { CREW_MAX, CREW_SHARE, SHARED_MAX } from './params.ts';
import { Rng } from './rng.ts';

type Kind = 'wallet' | 'email' | 'phone' | 'telegram' | 'ip';
const KINDS: Kind[] = ['wallet', 'email', 'phone', 'telegram', 'ip'];
const DAY = 86_400;

/** Assigns crews in place; returns the crews as lists of account indexes. */
export function buildCrews(accounts: Account[], seed: number, ids: Identifiers): number[][] {
  const r = new Rng(seed, 'crews');
  const pool = accounts.filter((a) => a.country !== '').map((a) => a.index);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const target = Math.max(2, Math.round(accounts.length * CREW_SHARE));
  const crews: number[][] = [];
  let at = 0;
  while (target - at >= 2) {
    const size = Math.min(CREW_MAX, target - at, 2 + Math.floor(r.exp(2.2)));
    crews.push(pool.slice(at, at + size));
    at += size;
  }
  const users = new Map<string, number>();
  const share = (value: string, n: number) => users.set(value, (users.get(value) ?? 1) + n);
  crews.forEach((members, crew) => {
    for (const m of members) accounts[m]!.crew = crew;
    for (let i = 1; i < members.length; i++) {
      const child = accounts[members[i]!]!;
      const parent = accounts[members[r.int(0, i - 1)]!]!;
      link(r, ids, parent, child, users, share);
    }
  });
  return crews;
}

function link(
  r: Rng,
  ids: Identifiers,
  parent: Account,
  child: Account,
  users: Map<string, number>,
  share: (value: string, n: number) => void,
): void {
  for (;;) {
    const kind = r.pick(KINDS);
    const full = (v: string) => (users.get(v) ?? 1) >= SHARED_MAX;
    switch (kind) {
      case 'email':
        if (full(parent.email)) continue;
        child.email = parent.email;
        share(parent.email, 1);
        return;
      case 'phone':
        if (!parent.phone) parent.phone = ids.phone(parent.phoneCountry);
        if (full(parent.phone)) continue;
        child.phone = parent.phone;
        child.phoneCountry = parent.phoneCountry;
        share(parent.phone, 1);
        return;
      case 'telegram':
        if (!parent.telegram) parent.telegram = `@crew_${parent.id}`;
        if (full(parent.telegram)) continue;
        child.telegram = parent.telegram;
        share(parent.telegram, 1);
        return;
      case 'wallet': {
        const wallet = ids.wallet();
        parent.wallets.push(wallet);
        child.wallets.push(wallet);
        share(wallet, 1);
        for (const a of [parent, child]) {
          if (a.plan === 'trial') [a.plan, a.price] = ['basic', 150];
        }
        return;
      }
      case 'ip': {
        const from = Math.max(parent.created, child.created);
        const to = Math.max(from, Math.min(parent.activeEnd, child.activeEnd));
        const day = Math.floor(r.int(from, to) / DAY);
        const ip = ids.homeIp();
        parent.sharedIps.push({ ip, day });
        child.sharedIps.push({ ip, day });
        share(ip, 1);
        return;
      }
    }
  }
}
