/**
 * The web security every server of a case shares (the console and the victim portal), set up
 * once per Fastify instance:
 * - helmet's headers with a strict Content Security Policy (scripts and styles from this origin
 *   only), worked out once;
 * - signed cookies; CSRF tokens on every POST (@fastify/csrf-protection), read from the form's
 *   `_csrf` field, or from the action's query for a multipart upload (its body is read later);
 * - a rate limit on every route.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import { LRUCache } from 'lru-cache';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { OpsDb } from '../ops/db.ts';
import type { Session } from '../users/sessions.ts';
import { consoleKey } from '../ops/keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
    sessionToken: string | null;
  }
  interface FastifyInstance {
    /** CSRF tokens made for a (user, signed secret cookie): see csrfToken. */
    csrfTokens: LRUCache<string, string>;
  }
}

const CSRF_COOKIE = 'unspoof_csrf';

export interface SecurityOptions {
  ops: OpsDb;
  secure: boolean;
  /** Requests a minute from one client before 429. */
  requestsPerMinute: number;
}

export async function registerSecurity(app: FastifyInstance, o: SecurityOptions): Promise<void> {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Vega's SVG charts style their marks with attributes.
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        scriptSrcAttr: ["'none'"],
      },
    },
    strictTransportSecurity: o.secure,
    // The same rule as the CSP's frame-ancestors 'none', for browsers that read only this one.
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(fastifyCookie, {
    secret: (await consoleKey(o.ops, 'cookie_key')).toString('base64'),
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', secure: o.secure, path: '/' },
    getToken: (req) =>
      (req.body as Record<string, string> | undefined)?._csrf ??
      (req.query as Record<string, string> | undefined)?._csrf,
    // Tokens are bound to the signed-in user: one made before sign-in (or for another user)
    // does not pass after it.
    csrfOpts: { userInfo: true, hmacKey: await consoleKey(o.ops, 'csrf_key') },
    getUserInfo: csrfUser,
  });
  app.decorate('csrfTokens', new LRUCache<string, string>({ max: 10_000, ttl: 60 * 60_000 }));
  await app.register(fastifyRateLimit, { max: o.requestsPerMinute, timeWindow: '1 minute' });
  app.decorateRequest('session', null);
  app.decorateRequest('sessionToken', null);
  // Every POST carries a valid CSRF token, whoever sends it.
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'POST') app.csrfProtection(req, reply, done);
    else done();
  });
}

/**
 * The headers helmet sets, worked out once: with no nonces they are the same for every response,
 * and building them per request (what @fastify/helmet does) was 7% of a console page's time. A
 * route may still set its own (an evidence file's sandboxing CSP).
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/** Whom a CSRF token belongs to: the signed-in user, or nobody yet (sign-in, the portal). */
const csrfUser = (req: FastifyRequest): string =>
  req.session ? `user:${req.session.user.id}` : 'anonymous';

/**
 * A CSRF token for a form of this request, bound to the signed-in user (if any). One token
 * serves a user's pages while their browser keeps the same secret (a token per session, as
 * OWASP allows), so that a page costs no HMACs: it is made, and kept, only for a secret cookie
 * whose signature holds. A new secret (none yet, or a forged one) gets a new token.
 */
export function csrfToken(reply: FastifyReply): string {
  const req = reply.request;
  const userInfo = csrfUser(req);
  const cookie = req.cookies[CSRF_COOKIE];
  const key = cookie ? `${userInfo}\n${cookie}` : null;
  const kept = key === null ? undefined : req.server.csrfTokens.get(key);
  if (kept !== undefined) return kept;
  const token = reply.generateCsrf({ userInfo });
  if (key !== null && req.unsignCookie(cookie as string).valid) {
    req.server.csrfTokens.set(key, token);
  }
  return token;
}
