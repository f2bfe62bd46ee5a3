/**
 * Side effects arrive as one object with a production default, so tests can swap them
 * (clock, output streams, progress). Domain code takes `Effects` instead of touching globals.
 */
import { createProgress, type ProgressFactory } from './progress.ts';

export interface Effects {
  now(): Date;
  /** Human-readable output (tables, summaries). */
  out(text: string): void;
  /** Warnings and notes; never personal data. */
  note(text: string): void;
  progress: ProgressFactory;
}

export function defaultEffects(opts: { quiet?: boolean } = {}): Effects {
  return {
    now: () => new Date(),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    note: (text) => process.stderr.write(`${text}\n`),
    progress: createProgress(process.stderr, opts.quiet ?? false),
  };
}

/** Effects that record output in memory: for tests. */
export function memoryEffects(now = new Date('2026-01-01T00:00:00Z')): Effects & {
  lines: string[];
  notes: string[];
} {
  const lines: string[] = [];
  const notes: string[] = [];
  return {
    lines,
    notes,
    now: () => now,
    out: (t) => lines.push(t),
    note: (t) => notes.push(t),
    progress: () => ({ tick() {}, done() {} }),
  };
}
