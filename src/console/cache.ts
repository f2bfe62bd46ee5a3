/**
 * The console's two caches.
 * - Pages: the analysis store does not change while the console runs, so a rendered fragment
 *   (a table of 50 victims, a suspect's page) is kept, per page, filters, role and scope, in a
 *   bounded LRU. What must be audited per view is audited whether or not the fragment is cached.
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
  session: LRUCache<string, Session>;
}

export function createCaches(): Caches {
  const pages = new LRUCache<string, Html>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (h) => Math.max(1, h.value.length),
  });
  const pending = new Map<string, Promise<Html | null>>();
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
    session: new LRUCache<string, Session>({ max: 10_000, ttl: SESSION_TTL_MS }),
    notes: new LRUCache<string, NoteRow[]>({ max: 10_000, ttl: SESSION_TTL_MS }),
  };
}
