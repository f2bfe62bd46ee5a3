/**
 * Dialling sessions: each account's calls come in sessions (a campaign to one country with one
 * caller ID). Busy accounts dial in bursts ~3 s apart (~20 calls a minute). Sessions start
 * 07:00–21:00 UTC and end the same UTC day, except a few small ones moved into the hours the
 * zone's clocks skip or repeat (moveIntoClockChanges). Only sessions are held in memory (typed
 * arrays), never calls.
 */
import type { Account } from './accounts.ts';
import { BUSY_CALLS, DST_SESSIONS } from './params.ts';
import { Rng } from './rng.ts';
import type { Clock } from './time.ts';

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
  return {
    count,
    account: Int32Array.from(account),
    start: starts,
    size: Int32Array.from(size),
    spacing: Int32Array.from(spacing),
    order: startOrder(starts),
  };
}

function startOrder(starts: Int32Array): Uint32Array {
  return Uint32Array.from({ length: starts.length }, (_, i) => i).sort(
    (x, y) => starts[x]! - starts[y]! || x - y,
  );
}

/**
 * Moves DST_SESSIONS small sessions into each span of local time the clock's zone skips or
 * repeats (docs/switch-records.md §6), wholly inside it: their calls start at nonexistent or
 * ambiguous local times. A zone without changes (UTC) moves none. Returns how many moved.
 */
export function moveIntoClockChanges(s: Sessions, clock: Clock, seed: number): number {
  const r = new Rng(seed, 'clock changes');
  const moved = new Set<number>();
  for (const c of clock.changes) {
    const span = Math.abs(c.after - c.before);
    for (let k = 0, tries = 0; k < DST_SESSIONS && tries < 1000 && s.count > 0; tries++) {
      const i = r.int(0, s.count - 1);
      const length = s.size[i]! * s.spacing[i]! + 60;
      if (moved.has(i) || s.size[i]! > 4 || length >= span) continue;
      s.start[i] = c.at + r.int(0, span - length);
      moved.add(i);
      k++;
    }
  }
  if (moved.size > 0) s.order = startOrder(s.start);
  return moved.size;
}
