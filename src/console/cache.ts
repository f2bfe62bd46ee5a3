/**
 * The console's caches.
 * - Pages: the analysis store does not change while the console runs, so a rendered fragment
 *   (a table of 50 victims, a suspect's page) is kept, per page, filters, role and scope, in a
 *   bounded LRU. What must be audited per view is audited whether or not the fragment is cached.
 * - Page bytes: a page as sent is its user's frame around fragments, and the same frame around
 *   the same fragments is the same bytes: kept, so that a page seen again is not copied together
 *   again (joining 24 KB per request, and collecting the copies, was a sixth of a cached page's
 *   time). Frames and fragments never change once made, so what identifies them is which they are.
 * - Values: what a list needs besides its rows and does not change while the console runs
 *   (a filter's count, the list's order, the crews), made once per key and kept in an LRU
 *   bounded by count and bytes (paging.ts).
 * - Sessions: a live session is trusted for SESSION_TTL_MS before the store is asked again (so a
 *   request costs no database round trip); logging out in this process ends it at once, and in
 *   another process within that time. Notes likewise: a note shows at once in this process,
 *   and in another within that time.
 */
import { LRUCache } from 'lru-cache';
import type { Html } from '../shared/html.ts';
import type { Session } from '../users/sessions.ts';

export const SESSION_TTL_MS = 5_000;

export type NoteRow = Record<string, unknown>;

export interface Caches {
  /** Notes per target (`type:id`), for SESSION_TTL_MS; a note written here clears its target. */
  notes: LRUCache<string, NoteRow[]>;
  /** The fragment of `key`, made once; `make` may find nothing (null), which is not kept. */
  page(key: string, make: () => Promise<Html | null>): Promise<Html | null>;
  /** The value of `key`, made once (concurrent requests share the making; a failure is not kept). */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
  session: LRUCache<string, Session>;
  /** The bytes of `parts` one after another, kept for these very parts (see above). */
  bytes(parts: readonly Buffer[]): Buffer;
}

// Each frame or fragment, by a number of its own for as long as it lives (never reused).
const ids = new WeakMap<object, number>();
let lastId = 0;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = ++lastId));
  return id;
}

export function createCaches(): Caches {
  const pages = new LRUCache<string, Html>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (h) => Math.max(1, h.value.length),
  });
  const pending = new Map<string, Promise<Html | null>>();
  // Promises, so that requests for a value being made wait for it; most are a few numbers, a
  // list's order is four bytes a row (a million victims: 4 MB), counted once made.
  const values = new LRUCache<string, Promise<unknown>>({
    max: 500,
    maxSize: 256 * 1024 * 1024,
    sizeCalculation: () => 1,
  });
  const sent = new LRUCache<string, Buffer>({
    maxSize: 32 * 1024 * 1024,
    sizeCalculation: (b) => Math.max(1, b.length),
  });
  return {
    async page(key, make) {
      const hit = pages.get(key);
      if (hit) return hit;
      // Concurrent requests for the same page share one rendering.
      let p = pending.get(key);
      if (!p) {
        p = make().finally(() => pending.delete(key));
        pending.set(key, p);
        const made = await p;
        if (made) pages.set(key, made);
      }
      return p;
    },
    memo<T>(key: string, make: () => Promise<T>): Promise<T> {
      let p = values.get(key) as Promise<T> | undefined;
      if (!p) {
        p = make();
        values.set(key, p);
        const made = p;
        made.then(
          (v) => {
            if (ArrayBuffer.isView(v) && values.peek(key) === made)
              values.set(key, made, { size: Math.max(1, v.byteLength), noUpdateTTL: true });
          },
          () => {
            if (values.peek(key) === made) values.delete(key);
          },
        );
      }
      return p;
    },
    bytes(parts) {
      const key = parts.map(idOf).join('/');
      let joined = sent.get(key);
      if (!joined) sent.set(key, (joined = Buffer.concat(parts)));
      return joined;
    },
    session: new LRUCache<string, Session>({ max: 10_000, ttl: SESSION_TTL_MS }),
    notes: new LRUCache<string, NoteRow[]>({ max: 10_000, ttl: SESSION_TTL_MS }),
  };
}
