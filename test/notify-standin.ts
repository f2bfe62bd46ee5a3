/**
 * A local stand-in for GOV.UK Notify's REST API, as published
 * (https://docs.notifications.service.gov.uk/rest-api.html): `POST /v2/notifications/sms` with a
 * JWT bearer (HS256, iss = service id, iat within 30 s), the published error bodies
 * (`{status_code, errors: [{error, message}]}`), and a status callback to the service's callback
 * URL with its bearer token after a delay. `GET /v2/notifications?reference=` lists by reference.
 */
import crypto from 'node:crypto';
import Fastify from 'fastify';
import { jwtVerify } from 'jose';

export interface StandIn {
  url: string;
  apiKey: string;
  sent: Array<{ id: string; phone_number: string; body: string; reference: string }>;
  /** Answer the next N sends with HTTP 429 / 500 (the 500 after recording the text). */
  failNext(kind: 429 | 500, n: number): void;
  close(): Promise<void>;
}

export async function notifyStandIn(o: {
  callbackUrl?: string;
  callbackToken?: string;
  templateId: string;
  callbackDelayMs?: number;
}): Promise<StandIn> {
  const serviceId = crypto.randomUUID();
  const secret = crypto.randomUUID();
  const key = new TextEncoder().encode(secret);
  const sent: StandIn['sent'] = [];
  const failures: Array<429 | 500> = [];
  const app = Fastify({ logger: false });
  const error = (status: number, e: string, message: string) => ({
    status_code: status,
    errors: [{ error: e, message }],
  });

  app.addHook('onRequest', async (req, reply) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: serviceId,
        maxTokenAge: 30,
      });
      if (typeof payload.iat !== 'number') throw new Error('no iat');
    } catch {
      return reply
        .code(403)
        .send(error(403, 'AuthError', 'Invalid token: signature, api token is not valid'));
    }
  });

  app.post('/v2/notifications/sms', async (req, reply) => {
    const b = req.body as {
      phone_number?: string;
      template_id?: string;
      personalisation?: { body?: string };
      reference?: string;
    };
    if (!b.phone_number || !/^\+?\d{7,15}$/.test(b.phone_number)) {
      return reply
        .code(400)
        .send(error(400, 'ValidationError', 'phone_number Not a valid international number'));
    }
    if (b.template_id !== o.templateId)
      return reply.code(400).send(error(400, 'BadRequestError', 'Template not found'));
    if (!b.personalisation?.body)
      return reply.code(400).send(error(400, 'BadRequestError', 'Missing personalisation: body'));
    const fail = failures.shift();
    if (fail === 429)
      return reply
        .code(429)
        .send(
          error(
            429,
            'RateLimitError',
            'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds',
          ),
        );
    const id = crypto.randomUUID();
    sent.push({
      id,
      phone_number: b.phone_number,
      body: b.personalisation.body,
      reference: b.reference ?? '',
    });
    if (o.callbackUrl) {
      const cb = {
        id,
        reference: b.reference ?? null,
        to: b.phone_number,
        status: b.phone_number.endsWith('99') ? 'permanent-failure' : 'delivered',
        created_at: new Date().toISOString(),
        completed_at: new Date().toISOString(),
        sent_at: new Date().toISOString(),
        notification_type: 'sms',
        template_id: o.templateId,
        template_version: 1,
      };
      setTimeout(() => {
        void fetch(o.callbackUrl as string, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${o.callbackToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(cb),
        }).catch(() => {});
      }, o.callbackDelayMs ?? 50);
    }
    if (fail === 500) return reply.code(500).send(error(500, 'Exception', 'Internal server error'));
    return reply.code(201).send({
      id,
      reference: b.reference ?? null,
      content: { body: b.personalisation.body, from_number: 'MetPolice' },
      uri: `${url}/v2/notifications/${id}`,
      template: {
        id: o.templateId,
        version: 1,
        uri: `${url}/services/${serviceId}/templates/${o.templateId}`,
      },
    });
  });

  app.get('/v2/notifications', async (req) => {
    const ref = (req.query as { reference?: string }).reference;
    return {
      notifications: sent
        .filter((s) => !ref || s.reference === ref)
        .map((s) => ({
          id: s.id,
          reference: s.reference,
          phone_number: s.phone_number,
          status: 'delivered',
          type: 'sms',
        })),
      links: {},
    };
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    apiKey: `unspoof_test-${serviceId}-${secret}`,
    sent,
    failNext: (kind, n) => failures.push(...Array.from({ length: n }, () => kind)),
    close: () => app.close(),
  };
}
