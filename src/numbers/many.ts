/**
 * Normalises many numbers at once, sharing the work between this thread and worker threads
 * (one per further core) when there are many in national form: libphonenumber-js spends
 * ~25 µs on one of those, and a seized export can have hundreds of thousands. An international
 * number costs ~2 µs (`fast.ts`), less than sending it to a worker and back. Every thread runs
 * the same reference function, so the answer is the same however the work is shared.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Normalised } from './normalise.ts';
import { isCountry } from './route.ts';

export type Normaliser = (raw: string, context: string | null) => Normalised;
/** `[e164, country, status, reason]`: a Normalised, flat, as it crosses threads. */
export type Flat = [string | null, string | null, string, string | null];

/** One number in its context (a country code, or anything else for none), as a Flat. */
export function normaliseFlat(normalise: Normaliser, raw: string, ctx: string): Flat {
  const r = normalise(raw, isCountry(ctx) ? ctx : null);
  return [r.e164, r.country, r.status, r.status === 'quarantine' ? r.reason : null];
}

/** Below this many numbers in national form a worker costs more than it saves. */
const PARALLEL_FROM = 40_000;

/** How many numbers are read in a context country (the costly ones). */
function nationalCount(raws: readonly string[], ctxs: readonly string[] | null): number {
  if (!ctxs) return 0;
  let n = 0;
  for (let i = 0; i < raws.length; i++) {
    if (isCountry(ctxs[i] ?? '') && !(raws[i] as string).trimStart().startsWith('+')) n++;
  }
  return n;
}

export async function normaliseMany(
  raws: readonly string[],
  ctxs: readonly string[] | null,
  normalise: Normaliser,
  threads = Math.min(4, os.availableParallelism()),
): Promise<Flat[]> {
  const parts = nationalCount(raws, ctxs) < PARALLEL_FROM ? 1 : Math.max(1, threads);
  const size = Math.ceil(raws.length / parts);
  const pending: Array<Promise<Flat[]>> = [];
  for (let p = 1; p < parts; p++) {
    pending.push(
      inWorker(raws.slice(p * size, (p + 1) * size), ctxs?.slice(p * size, (p + 1) * size) ?? null),
    );
  }
  const mine: Flat[] = new Array(Math.min(size, raws.length));
  for (let i = 0; i < mine.length; i++) {
    mine[i] = normaliseFlat(normalise, raws[i] as string, ctxs?.[i] ?? '');
  }
  const rest = await Promise.all(pending);
  return mine.concat(...rest);
}

function inWorker(raws: string[], ctxs: string[] | null): Promise<Flat[]> {
  // The worker runs TypeScript through the same loader as this process: it registers tsx's
  // loader (found from here, whatever folder the command was started in), then the module.
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./normalise-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`,
    { eval: true, workerData: { raws, ctxs } },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (out: Flat[]) => resolve(out));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`number worker exited with code ${code}`));
    });
  });
}
