/**
 * The send rate. A message is admitted only when fewer than `rate` messages were admitted in
 * the last 1.1 s (times taken when each was admitted, just before its write), so no second ever
 * holds more than `rate` at the SMS centre, even when a busy machine delays some writes by up
 * to a tenth of a second (with 50 ms, a loaded 2-core machine once showed 201 in a second); below 500/s messages are also spaced
 * 1/rate apart so they do not go in bursts. ESME_RTHROTTLED halves the rate; it recovers by a
 * tenth each second after.
 */
const WINDOW_MS = 1100;

export class RateLimiter {
  private times: number[] = [];
  private head = 0;
  private next = 0;
  private factor = 1;
  private lastRecover = performance.now();
  private chain: Promise<void> = Promise.resolve();

  constructor(private limit: number) {}

  /** The configured rate this process may use (its share when several dispatchers run). */
  setLimit(perSecond: number): void {
    this.limit = perSecond;
  }

  get current(): number {
    return this.limit * this.factor;
  }

  throttled(): void {
    this.factor = Math.max(0.02, this.factor / 2);
    this.lastRecover = performance.now();
  }

  /** Resolves when the next message may go: write it at once. */
  take(): Promise<void> {
    const p = this.chain.then(() => this.admit());
    this.chain = p;
    return p;
  }

  private async admit(): Promise<void> {
    for (;;) {
      const now = performance.now();
      if (now - this.lastRecover >= 1000) {
        this.factor = Math.min(1, this.factor + 0.1 * Math.floor((now - this.lastRecover) / 1000));
        this.lastRecover = now;
      }
      while (this.head < this.times.length && now - (this.times[this.head] as number) >= WINDOW_MS)
        this.head++;
      if (this.head > 4096) {
        this.times = this.times.slice(this.head);
        this.head = 0;
      }
      const cap = Math.max(1, Math.floor(this.current));
      const inWindow = this.times.length - this.head;
      const spaced = this.current >= 500 || now >= this.next;
      if (inWindow < cap && spaced) {
        this.times.push(now);
        // Spaced from when this one was due, so timer lateness does not lower the rate.
        const gap = 1000 / this.current;
        this.next = Math.max(this.next, now - gap) + gap;
        return;
      }
      const windowFree =
        inWindow >= cap ? (this.times[this.times.length - cap] as number) + WINDOW_MS : now;
      const wait = Math.max(windowFree, spaced ? now : this.next) - now;
      await new Promise((r) => setTimeout(r, Math.max(1, wait)));
    }
  }
}
