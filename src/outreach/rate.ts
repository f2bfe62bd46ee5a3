/**
 * The send rate: messages are spaced 1/rate apart (so no second ever holds more than `rate`),
 * halved when the SMS centre says ESME_RTHROTTLED and recovered by a tenth each second after.
 */
export class RateLimiter {
  private next = 0;
  private factor = 1;
  private lastRecover = performance.now();

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

  /** Resolves when the next message may go. */
  take(): Promise<void> {
    const now = performance.now();
    if (now - this.lastRecover >= 1000) {
      this.factor = Math.min(1, this.factor + 0.1 * Math.floor((now - this.lastRecover) / 1000));
      this.lastRecover = now;
    }
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.current;
    const wait = at - now;
    return wait < 1 ? Promise.resolve() : new Promise((r) => setTimeout(r, wait));
  }
}
