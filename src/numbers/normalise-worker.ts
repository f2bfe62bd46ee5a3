/**
 * A worker thread of `normaliseMany`: normalises its share of the numbers with the reference
 * function and posts back `[e164, country, status, reason]` per number.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { normaliseNumber } from './normalise.ts';
import { isCountry } from './route.ts';

const { raws, ctxs } = workerData as { raws: string[]; ctxs: string[] | null };
const out: Array<[string | null, string | null, string, string | null]> = new Array(raws.length);
for (let i = 0; i < raws.length; i++) {
  const ctx = ctxs?.[i] ?? '';
  const r = normaliseNumber(raws[i] as string, isCountry(ctx) ? ctx : null);
  out[i] = [r.e164, r.country, r.status, r.status === 'quarantine' ? r.reason : null];
}
parentPort?.postMessage(out);
