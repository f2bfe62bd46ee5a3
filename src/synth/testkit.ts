/**
 * Test helpers for the generator: write a small export, and read CSV files as it wrote them
 * (reference.ts recomputes the truth from them). Test-only: production code never imports this.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallsFormat } from './callrows.ts';
import { generate, type SynthSummary } from './generate.ts';
import { memoryEffects } from '../shared/effects.ts';

export async function synthTo(
  calls: number,
  seed: number,
  format: CallsFormat = 'canonical',
  clock: 'local' | 'utc' = 'local',
) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-synth-'));
  const summary = await generate({ out, calls, seed, callsFormat: format, clock }, memoryEffects());
  return { out, summary };
}

/** Splits one CSV line (RFC 4180 quoting, no embedded line breaks). */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  out.push(field);
  return out;
}

/** Lines of a file (BOM and CR dropped); null for a line that is not valid UTF-8. */
export function readLines(file: string): (string | null)[] {
  const buf = fs.readFileSync(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces: Buffer[] = [];
  let start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (let i = start; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    pieces.push(buf.subarray(start, buf[i - 1] === 0x0d ? i - 1 : i));
    start = i + 1;
  }
  if (start < buf.length) pieces.push(buf.subarray(start));
  return pieces.map((b) => {
    try {
      return decoder.decode(b);
    } catch {
      return null;
    }
  });
}

export function readCsv(file: string, header = true): string[][] {
  const rows = readLines(file).map((l) => splitCsv(l ?? ''));
  return header ? rows.slice(1) : rows;
}

export type Summary = SynthSummary;
