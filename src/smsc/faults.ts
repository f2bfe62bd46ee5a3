/**
 * Faults the local SMS centre injects on request, written as one spec:
 *   `throttle=50,drop=1000,temp=0.01,perm=0.001,fail=+447700900001;+447700900002,undeliv=+4477…,receipt-delay=200,seed=1`
 * - throttle=N   every Nth submit is refused with ESME_RTHROTTLED
 * - drop=N       the connection is dropped after the Nth submit (accepted, logged, unanswered:
 *                the sender cannot know it was taken — the in-doubt case)
 * - temp=P       a share P of submits is refused with a temporary error (ESME_RMSGQFUL)
 * - perm=P       a share P of submits is refused with a permanent error (ESME_RINVDSTADR)
 * - fail=LIST    numbers always refused with ESME_RINVDSTADR
 * - undeliv=LIST numbers accepted whose receipt says UNDELIV
 * - receipt-delay=MS  how long after acceptance the receipt is sent (default 200)
 * - delay=MS     how long each submit waits for its answer (a slow SMS centre)
 * - lose=P       a share P of receipts is never sent (lost between networks); query_sm still
 *                knows the message's fate
 * - lose-every=N every Nth receipt is never sent
 * - no-query     query_sm is not supported: answered with generic_nack ESME_RINVCMDID
 * - seed=N       the seed of every random choice above (the same seed, the same faults)
 */
import { z } from 'zod';
import { UnspoofError } from '../shared/errors.ts';

export const Faults = z.object({
  throttle: z.number().int().positive().optional(),
  drop: z.number().int().positive().optional(),
  temp: z.number().min(0).max(1).default(0),
  perm: z.number().min(0).max(1).default(0),
  fail: z.array(z.string()).default([]),
  undeliv: z.array(z.string()).default([]),
  receiptDelay: z.number().int().min(0).default(200),
  delay: z.number().int().min(0).default(0),
  lose: z.number().min(0).max(1).default(0),
  loseEvery: z.number().int().positive().optional(),
  noQuery: z.boolean().default(false),
  seed: z.number().int().default(1),
});
export type Faults = z.infer<typeof Faults>;

const LISTS = new Set(['fail', 'undeliv']);
const FLAGS = new Set(['noQuery']);

export function parseFaults(spec: string | undefined): Faults {
  const raw: Record<string, unknown> = {};
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const [k = '', v] = part.split('=', 2).map((s) => s.trim());
    const key = k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    // A flag is on by its name alone (`no-query`); `no-query=0` turns it off again.
    if (FLAGS.has(key)) raw[key] = v === undefined || !['0', 'false', 'no'].includes(v);
    else if (LISTS.has(key)) raw[key] = (v ?? '').split(';').filter(Boolean);
    else raw[key] = Number(v); // no value: NaN, refused below
  }
  const parsed = Faults.strict().safeParse(raw);
  if (!parsed.success) {
    throw new UnspoofError(
      'USAGE',
      `--faults: ${parsed.error.issues.map((i) => `${i.path.join('.') || i.message}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
