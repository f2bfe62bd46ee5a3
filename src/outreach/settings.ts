/**
 * Outreach settings: the gateway and the sending limits, from `outreach.json` in the case folder
 * (validated once, with defaults). Secrets never live in the file: the SMPP password comes from
 * UNSPOOF_SMPP_PASSWORD, Notify's API key and callback token from UNSPOOF_NOTIFY_API_KEY and
 * UNSPOOF_NOTIFY_CALLBACK_TOKEN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UnspoofError } from '../shared/errors.ts';
import { LONG_TEXT_METHODS } from './gateways/segments.ts';

/**
 * How long a message the gateway took may wait for its final receipt before it is
 * `unconfirmed` (docs/outreach.md, "Unconfirmed"): 72 hours unless the gateway's settings say.
 */
const ReceiptTimeout = z
  .number()
  .positive()
  .default(72 * 3600);

const Smpp = z.object({
  kind: z.literal('smpp'),
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(1).max(65535).default(2775),
  systemId: z.string().min(1).max(15).default('unspoof'),
  window: z.number().int().min(1).max(1000).default(50),
  enquireLinkSeconds: z.number().positive().default(15),
  responseTimeoutSeconds: z.number().positive().default(30),
  /** How a text longer than one SMS goes: UDH segments (8- or 16-bit reference), sar TLVs, or one message_payload. */
  longText: z.enum(LONG_TEXT_METHODS).default('udh'),
  /** Ask the SMS centre for the state of a message whose receipt is late (query_sm). */
  querySm: z.boolean().default(true),
  /**
   * A test SMS centre (the local simulator, an interop peer): it may carry a synthetic case's
   * texts, and only when reached on a loopback address. Never set for a live gateway.
   */
  allowSynthetic: z.boolean().default(false),
  receiptTimeoutSeconds: ReceiptTimeout,
});
const File = z.object({
  kind: z.literal('file'),
  path: z.string().default('outbox.jsonl'),
  receiptTimeoutSeconds: ReceiptTimeout,
});
/** GOV.UK Notify: the API key from UNSPOOF_NOTIFY_API_KEY, the callback token from UNSPOOF_NOTIFY_CALLBACK_TOKEN. */
const Notify = z.object({
  kind: z.literal('notify'),
  baseUrl: z.url().default('https://api.notifications.service.gov.uk'),
  /** A Notify SMS template whose whole content is `((body))`. */
  templateId: z.uuid(),
  smsSenderId: z.uuid().optional(),
  window: z.number().int().min(1).max(100).default(10),
  timeoutSeconds: z.number().positive().default(30),
  /** Where Notify's status callbacks are received; none when absent. */
  callbackPort: z.number().int().min(0).max(65535).optional(),
  callbackHost: z.string().default('127.0.0.1'),
  receiptTimeoutSeconds: ReceiptTimeout,
});

export const OutreachSettings = z.object({
  gateway: z.discriminatedUnion('kind', [Smpp, File, Notify]),
  /** Messages per second across all dispatchers; never exceeded. */
  rate: z.number().positive().max(100_000).default(100),
  /** How long a message in doubt waits for its receipt before it is sent again. */
  inDoubtWaitSeconds: z.number().positive().default(600),
  /** A dispatcher silent this long is dead. */
  leaseSeconds: z.number().positive().default(15),
  maxAttempts: z.number().int().min(1).max(50).default(8),
});
export type OutreachSettings = z.infer<typeof OutreachSettings>;

export const SETTINGS_FILE = 'outreach.json';

export function readOutreachSettings(
  caseDir: string,
  override: Record<string, unknown> = {},
): OutreachSettings {
  const file = path.join(caseDir, SETTINGS_FILE);
  let raw: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UnspoofError(
        'CONFIG_INVALID',
        `${SETTINGS_FILE}: not JSON (${(e as Error).message})`,
      );
    }
  }
  const merged = {
    ...raw,
    ...override,
    gateway: {
      ...((raw.gateway as object) ?? { kind: 'smpp' }),
      ...((override.gateway as object) ?? {}),
    },
  };
  const parsed = OutreachSettings.safeParse(merged);
  if (!parsed.success) {
    throw new UnspoofError(
      'CONFIG_INVALID',
      `${SETTINGS_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
