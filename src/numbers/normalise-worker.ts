/**
 * A worker thread of `normaliseMany`: normalises its share of the numbers with the reference
 * function and posts back `[e164, country, status, reason]` per number.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { normaliseFlat, type Flat } from './many.ts';
import { normaliseNumber } from './normalise.ts';

const { raws, ctxs } = workerData as { raws: string[]; ctxs: string[] | null };
const out: Flat[] = new Array(raws.length);
for (let i = 0; i < raws.length; i++) {
  out[i] = normaliseFlat(normaliseNumber, raws[i] as string, ctxs?.[i] ?? '');
}
parentPort?.postMessage(out);
