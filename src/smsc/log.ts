/** The local SMS centre's log of accepted messages (JSONL), as the demo keeps it in the case. */
import fs from 'node:fs';
import path from 'node:path';
import type { AcceptedMessage } from './simulator.ts';

/** Where the demo's simulator logs, inside the case folder. */
export const smscLog = (caseDir: string): string => path.join(caseDir, 'smsc', 'messages.jsonl');

export function readAccepted(file: string): AcceptedMessage[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      // Lines written before long texts were put back together lack ids, parts and method.
      const m = JSON.parse(l) as AcceptedMessage;
      return { ...m, ids: m.ids ?? [m.id], parts: m.parts ?? 1, method: m.method ?? 'single' };
    });
}
