/**
 * Waits `ms`, or until `signal` aborts, whichever comes first, and leaves no listener behind:
 * a loop that waits every 500 ms for a day would otherwise hold ~170,000 abort listeners.
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
