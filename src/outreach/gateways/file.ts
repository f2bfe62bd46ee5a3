/**
 * The `file` gateway, for dry runs: every message is appended to a JSONL file instead of being
 * sent, and "accepted" at once. Nothing leaves the machine, so a synthetic case may use it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Gateway, OutgoingMessage, SubmitResult } from './gateway.ts';

export async function openFileGateway(file: string): Promise<Gateway> {
  const out = fs.createWriteStream(file, { flags: 'a' });
  await new Promise<void>((resolve, reject) =>
    out.once('open', () => resolve()).once('error', reject),
  );
  const opened = performance.now();
  return {
    kind: 'file',
    // Nothing leaves the machine.
    segmentsOf: () => 1,
    maySendSynthetic: () => true,
    window: 100,
    async submit(m: OutgoingMessage, pace?: () => Promise<void>): Promise<SubmitResult> {
      await pace?.();
      if (m.withdrawn?.()) return { kind: 'withdrawn' };
      const messageId = `file-${crypto.randomUUID()}`;
      const line = JSON.stringify({
        at: new Date().toISOString(),
        id: messageId,
        to: m.number,
        from: m.sender,
        text: m.text,
      });
      if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      return { kind: 'accepted', messageId };
    },
    // Accepted at once, and no receipt ever: nothing is ever in doubt.
    receivingSince: () => opened,
    takeLatencies: () => [],
    close: () => new Promise<void>((r) => out.end(() => r())),
  };
}
