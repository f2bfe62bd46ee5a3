/**
 * Dialling sessions: each account's calls come in sessions (a campaign to one country with one
 * caller ID). Busy accounts dial in bursts ~3 s apart (~20 calls a minute). Sessions start
 * 07:00–21:00 UTC and end the same UTC day, so no call falls in the ambiguous hour when
 * Europe/London clocks go back. Only sessions are held in memory (typed arrays), never calls.
 */
import type { Account } from './accounts.ts';
import { BUSY_CALLS } from './params.ts';
import { Rng } from './rng.ts';

const DAY = 86_400;

export interface Sessions {
  count: number;
  account: Int32Array;
  start: Int32Array;
  size: Int32Array;
  spacing: Int32Array;
  /** Session indexes in order of start time. */
  order: Uint32Array;
}

export function planSessions(accounts: readonly Account[], seed: number): Sessions {
  const r = new Rng(seed, 'sessions');
  const account: number[] = [];
  const start: number[] = [];
  const size: number[] = [];
  const spacing: number[] = [];
  for (const a of accounts) {
    const busy = a.calls > BUSY_CALLS;
    const firstDay = Math.floor(a.created / DAY) + 1;
    const lastDay = Math.max(firstDay, Math.floor(a.activeEnd / DAY));
    for (let left = a.calls; left > 0;) {
      const n = Math.min(left, busy ? r.int(20, 300) : r.int(1, 20));
      left -= n;
      account.push(a.index);
      start.push(r.int(firstDay, lastDay) * DAY + r.int(7 * 3600, 21 * 3600));
      size.push(n);
      spacing.push(busy ? 3 : r.int(20, 240));
    }
  }
  const count = account.length;
  const starts = Int32Array.from(start);
  const order = Uint32Array.from({ length: count }, (_, i) => i).sort(
    (x, y) => starts[x]! - starts[y]! || x - y,
  );
  return {
    count,
    account: Int32Array.from(account),
    start: starts,
    size: Int32Array.from(size),
    spacing: Int32Array.from(spacing),
    order,
  };
}
