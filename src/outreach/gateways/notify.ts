/**
 * GOV.UK Notify's HTTP API as a gateway (https://docs.notifications.service.gov.uk/rest-api.html):
 * `POST /v2/notifications/sms` with a JWT (HS256, `iss` the service id, `iat` now) signed with
 * the API key's secret; status callbacks (`delivered`, `permanent-failure`,
 * `temporary-failure`, `technical-failure`) arrive at a small HTTP receiver with the callback's
 * bearer token (`/notify/callback`), and texts victims send back (STOP) at `/notify/inbound`. The text is rendered by unspoof and sent as the `body` personalisation of a
 * Notify template whose whole content is `((body))`.
 *
 * An answer that never came (a dropped connection, a timeout, a 5xx) means Notify may have
 * taken the text: the message is in doubt, resolved by its status callback like an SMPP receipt.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { UnspoofError } from '../../shared/errors.ts';
import type { EventHandler, Gateway, OutgoingMessage, Receipt, SubmitResult } from './gateway.ts';

export interface NotifySettings {
  baseUrl: string;
  /** `{key name}-{service id}-{secret}`: from UNSPOOF_NOTIFY_API_KEY, never from a file. */
  apiKey: string;
  templateId: string;
  smsSenderId?: string;
  /** Requests in flight at once. */
  window: number;
  timeoutMs: number;
  /** Where Notify's status callbacks are received (null: none, statuses are not tracked). */
  callback: { host: string; port: number; token: string } | null;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export function parseApiKey(key: string): { serviceId: string; secret: string } {
  const m = key.match(new RegExp(`(${UUID})-(${UUID})$`, 'i'));
  if (!m)
    throw new UnspoofError(
      'CONFIG_INVALID',
      'UNSPOOF_NOTIFY_API_KEY is not a Notify API key (name-serviceid-secret)',
    );
  return { serviceId: m[1] as string, secret: m[2] as string };
}

const Callback = z.object({
  id: z.string(),
  reference: z.string().nullable().optional(),
  to: z.string(),
  status: z.enum(['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure']),
  completed_at: z.string().nullable().optional(),
});

/** Notify's received-text-message callback. */
const Inbound = z.object({
  id: z.string(),
  source_number: z.string().regex(/^\+?[0-9]{6,16}$/),
  destination_number: z.string(),
  message: z.string().max(2000),
  date_received: z.string(),
});

const STATE: Record<z.infer<typeof Callback>['status'], Receipt['state']> = {
  delivered: 'delivered',
  'permanent-failure': 'undeliverable',
  'temporary-failure': 'expired',
  'technical-failure': 'undeliverable',
};

export async function openNotifyGateway(
  s: NotifySettings,
  onEvents: EventHandler,
): Promise<Gateway> {
  const { serviceId, secret } = parseApiKey(s.apiKey);
  const key = new TextEncoder().encode(secret);
  let inFlight = 0;
  const waiters: Array<() => void> = [];
  let latencies: number[] = [];

  let receiver: FastifyInstance | null = null;
  if (s.callback) {
    const token = Buffer.from(s.callback.token);
    receiver = Fastify({ logger: false, bodyLimit: 64 * 1024 });
    receiver.post('/notify/callback', async (req, reply) => {
      const got = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (got.length !== token.length || !crypto.timingSafeEqual(got, token))
        return reply.code(401).send();
      const cb = Callback.safeParse(req.body);
      if (!cb.success) return reply.code(400).send({ error: 'not a Notify status callback' });
      const to = cb.data.to.startsWith('+') ? cb.data.to : `+${cb.data.to.replace(/^00/, '')}`;
      // Stored before the answer: Notify retries a callback that failed.
      await onEvents([
        {
          type: 'receipt',
          messageId: cb.data.id,
          destination: to,
          state: STATE[cb.data.status],
          stat: cb.data.status,
          doneAt: cb.data.completed_at ? new Date(cb.data.completed_at) : null,
        },
      ]);
      return reply.code(204).send();
    });
    // Texts victims send back to the service's number (Notify's received-text-message
    // callback, set to the same receiver and token): a STOP opts the number out.
    receiver.post('/notify/inbound', async (req, reply) => {
      const got = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (got.length !== token.length || !crypto.timingSafeEqual(got, token))
        return reply.code(401).send();
      const m = Inbound.safeParse(req.body);
      if (!m.success) return reply.code(400).send({ error: 'not a Notify received text message' });
      const from = m.data.source_number.replace(/^00/, '').replace(/^(?!\+)/, '+');
      await onEvents([{ type: 'inbound', from, text: m.data.message }]);
      return reply.code(204).send();
    });
    await receiver.listen({ host: s.callback.host, port: s.callback.port });
  }
  // Notify sends a status callback again until it is answered: one that is missing can only
  // be one that has not been tried yet, from the moment the receiver listens.
  const receiving = performance.now();

  const slot = async () => {
    while (inFlight >= s.window) await new Promise<void>((r) => waiters.push(r));
    inFlight++;
  };
  const free = () => {
    inFlight--;
    waiters.shift()?.();
  };

  return {
    kind: 'notify',
    segmentsOf: () => 1,
    maySendSynthetic: () => false,
    window: s.window,
    receivingSince: () => receiving,
    async submit(m: OutgoingMessage, pace?: () => Promise<void>): Promise<SubmitResult> {
      await slot();
      try {
        await pace?.();
        if (m.withdrawn?.()) return { kind: 'withdrawn' };
        const jwt = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setIssuer(serviceId)
          .setIssuedAt()
          .sign(key);
        const at = performance.now();
        let res: Response;
        try {
          res = await fetch(new URL('/v2/notifications/sms', s.baseUrl), {
            method: 'POST',
            headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              phone_number: m.number,
              template_id: s.templateId,
              personalisation: { body: m.text },
              reference: String(m.id),
              ...(s.smsSenderId ? { sms_sender_id: s.smsSenderId } : {}),
            }),
            signal: AbortSignal.timeout(s.timeoutMs),
          });
        } catch (e) {
          // Refused before anything was sent: safe to retry. Anything else: Notify may have it.
          const code = (e as { cause?: { code?: string } }).cause?.code;
          return code === 'ECONNREFUSED'
            ? { kind: 'unsent', error: 'Notify refused the connection' }
            : { kind: 'unknown', error: `no answer from Notify (${(e as Error).name})` };
        }
        latencies.push(performance.now() - at);
        const body = (await res.json().catch(() => ({}))) as {
          id?: string;
          errors?: Array<{ error: string; message: string }>;
        };
        const why =
          body.errors?.map((x) => `${x.error}: ${x.message}`).join('; ') ?? `HTTP ${res.status}`;
        if (res.status === 201 && body.id) return { kind: 'accepted', messageId: body.id };
        if (res.status === 429) return { kind: 'throttled', error: why };
        if (res.status >= 500) return { kind: 'unknown', error: why };
        return { kind: 'permanent', error: why };
      } finally {
        free();
      }
    },
    takeLatencies() {
      const l = latencies;
      latencies = [];
      return l;
    },
    async close() {
      await receiver?.close();
    },
  };
}
