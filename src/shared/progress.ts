/**
 * Progress for long steps: a bar on a TTY, plain progress lines otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the absolute amount done. */
  tick(done: number): void;
  done(): void;
}

export type ProgressFactory = (label: string, total: number) => Progress;

export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): ProgressFactory {
  return (label, total) => {
    if (quiet) return { tick() {}, done() {} };
    if (stream.isTTY) {
      const bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(24)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0);
      return {
        tick: (n) => bar.update(Math.min(n, total)),
        done: () => {
          bar.update(Math.max(total, 1));
          bar.stop();
        },
      };
    }
    // Plain lines: at most one per 10% and at the end.
    let lastDecile = -1;
    const started = Date.now();
    return {
      tick(n) {
        const decile = total > 0 ? Math.floor((n / total) * 10) : 0;
        if (decile > lastDecile && decile < 10) {
          lastDecile = decile;
          stream.write(`${label}: ${n}/${total} (${decile * 10}%)\n`);
        }
      },
      done() {
        stream.write(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      },
    };
  };
}
