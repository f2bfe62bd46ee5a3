/**
 * Progress for long steps: a bar on a TTY, plain progress lines otherwise (CI logs, pipes).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the absolute amount done, with an optional line of detail (e.g. counts and a rate). */
  tick(done: number, detail?: string): void;
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
          format: `${label.padEnd(24)} {bar} {percentage}% | {value}/{total} {detail}| {duration_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0, { detail: '' });
      return {
        tick: (n, detail) => bar.update(Math.min(n, total), { detail: detail ? `${detail} ` : '' }),
        done: () => {
          bar.update(Math.max(total, 1));
          bar.stop();
        },
      };
    }
    // Plain lines: one every 5 seconds at most while it runs, and one at the end.
    const started = Date.now();
    let last = started;
    return {
      tick(n, detail) {
        const now = Date.now();
        if (now - last >= 5000) {
          last = now;
          stream.write(`${label}: ${n}/${total}${detail ? ` ${detail}` : ''}\n`);
        }
      },
      done() {
        stream.write(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      },
    };
  };
}
