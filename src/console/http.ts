/**
 * What every console room shares, and imports no page: the request context, the guard, the
 * page sender and the error page. Rooms (pages/*) import from here, never from server.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Action } from '../authz/policy.ts';
import type { OpsDb } from '../ops/db.ts';
import type { Effects } from '../shared/effects.ts';
import { z } from 'zod';
import {
  ERRORS,
  httpStatus,
  isUnspoofError,
  UnspoofError,
  type ErrorCode,
} from '../shared/errors.ts';
import { html, type Html } from '../shared/html.ts';
import type { User } from '../users/roles.ts';
import type { Analysis } from '../readout/analysis.ts';
import type { Caches } from './cache.ts';
import { bytesOf, frameBytes, layout } from './layout.ts';
import type { Sealer } from '../shared/seal.ts';
import { csrfToken } from '../web/security.ts';
export { csrfToken } from '../web/security.ts';

export interface ConsoleDeps {
  ops: OpsDb;
  analysis: Analysis;
  fx: Effects;
  /** Cookies are Secure unless this is false (plain-HTTP tests only). */
  secureCookies?: boolean;
  synthetic: boolean;
  /** The case folder (the phone page reads the demo simulator's log there). */
  caseDir?: string;
  /** The case's time zone setting (case.json `time_zone`), for the timeline; see timeline.ts. */
  timeZone?: string | undefined;
  /** Requests a minute from one client before 429 (default 600); logins have their own, lower limit. */
  requestsPerMinute?: number;
  /**
   * The reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For names the
   * client: behind a TLS proxy, without it every victim would share the proxy's address.
   */
  trustProxy?: string | undefined;
}

export interface Ctx extends ConsoleDeps {
  sealer: Sealer;
  secure: boolean;
  caches: Caches;
}

/**
 * Sends a console page in its frame, with a fresh CSRF token unless the page made one already.
 * The body may come in parts (a cached fragment and what changes per request): each part is
 * sent as bytes, a cached one encoded once, and a page of the same frame and parts is the same
 * bytes, joined once (cache.ts).
 */
export function sendPage(
  ctx: Ctx,
  reply: FastifyReply,
  frame: { title: string; user: User; current?: string; csrf?: string },
  body: Html | readonly Html[],
): FastifyReply {
  const csrf = frame.csrf ?? csrfToken(reply);
  const [before, after] = frameBytes({ ...frame, csrf, synthetic: ctx.synthetic });
  const parts = (Array.isArray(body) ? body : [body as Html]).map(bytesOf);
  return reply.type('text/html; charset=utf-8').send(ctx.caches.bytes([before, ...parts, after]));
}

/**
 * The signed-in user with the right to `action`, or null after replying: a visitor is sent to
 * the login page, a user without the right gets 403 and a page that says which right is missing.
 */
export function guard(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  action: Action,
): User | null {
  const user = req.session?.user;
  if (!user) {
    const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
    void reply.redirect(`/login${next}`, 303);
    return null;
  }
  if (!can(user, action)) {
    void sendRefusal(ctx, req, reply, {
      status: 403,
      code: 'FORBIDDEN',
      message: `Your role (${user.role}) does not allow this: ${action.replace(':', ' ')}.`,
    });
    return null;
  }
  return user;
}

/**
 * A route's guard, as its `preHandler`: the route runs only for a signed-in user with the right
 * to `action` (`guard` answers everyone else); the handler then reads the user with `userOf`.
 */
export function needs(ctx: Ctx, action: Action) {
  return {
    // A callback, not an async function: no promise per request on the console's hottest path.
    // A refused request has its answer already: the chain stops there (done is not called).
    preHandler: (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (guard(ctx, req, reply, action)) done();
    },
  };
}

/** The signed-in user of a request its route's `needs` let through. */
export function userOf(req: FastifyRequest): User {
  const user = req.session?.user;
  if (!user) throw new UnspoofError('INTERNAL', 'a guarded route ran without a signed-in user');
  return user;
}

/** What an error becomes for the client: its stable code, HTTP status and a message for people. */
export interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/**
 * Maps any error a request can raise to a refusal: our own errors by their code's status
 * (shared/errors.ts), a failed zod validation to 400, Fastify's own refusals (a bad body or
 * content type, a forged CSRF token, the rate limit) to theirs with a stable code; anything
 * else is a fault of ours, 500. Only our messages and zod's (which name the field, never echo
 * what was typed) reach the client; never a stack or a driver's message.
 */
export function refusalOf(err: unknown): Refusal {
  if (isUnspoofError(err)) {
    const status = httpStatus(err.code);
    return {
      status,
      code: err.code,
      // A fault of ours or of a service we need (5xx) may carry a driver's or a socket's words.
      message: status >= 500 ? SERVER_FAULT : err.message,
    };
  }
  if (isZodError(err)) {
    const issue = err.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return {
      status: 400,
      code: 'REQUEST_INVALID',
      message: `The request is not valid (${where}${issue?.message ?? 'malformed'}).`,
    };
  }
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown };
  const status =
    typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600
      ? e.statusCode
      : 500;
  if (typeof e.code === 'string' && e.code.startsWith('FST_CSRF'))
    return {
      status: 403,
      code: 'CSRF_INVALID',
      message:
        'This form has expired or did not come from this site: reload the page and try again.',
    };
  if (status >= 500) return { status: 500, code: 'INTERNAL', message: SERVER_FAULT };
  const code: ErrorCode =
    status === 404
      ? 'NOT_FOUND'
      : status === 403
        ? 'FORBIDDEN'
        : status === 409
          ? 'CONFLICT'
          : status === 429
            ? 'RATE_LIMITED'
            : 'REQUEST_INVALID';
  return {
    status,
    code,
    message: typeof e.message === 'string' && e.message ? e.message : ERRORS[code].summary,
  };
}

const SERVER_FAULT = 'Something went wrong on the server.';

/** Any zod's error (also one made by another copy of zod than ours). */
const isZodError = (e: unknown): e is z.ZodError =>
  e instanceof z.ZodError ||
  (e instanceof Error && e.name === 'ZodError' && Array.isArray((e as z.ZodError).issues));

/**
 * Whether the client reads JSON: an address ending in `.json`, or a request that accepts JSON
 * and not HTML (the pages' scripts fetching progress).
 */
export function wantsJson(req: FastifyRequest): boolean {
  const path = req.url.split('?', 1)[0] ?? '';
  if (path.endsWith('.json')) return true;
  const accept = String(req.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * The console's error handler: the refusal as a page in the console's frame with its stable
 * code, or as `{error: {code, message}}` for a JSON client. A 500 is noted by route and code
 * only (addresses and bodies can hold personal data).
 */
export function errorPage(ctx: Ctx, err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const r = refusalOf(err);
  if (r.status >= 500) {
    const e = err as { code?: unknown; name?: unknown };
    ctx.fx.note(
      `console: ${req.method} ${req.routeOptions.url ?? '?'} failed: ${String(e.code ?? e.name ?? 'error')}`,
    );
  }
  if (r.status === 429 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '60');
  return sendRefusal(ctx, req, reply, r);
}

/** The console's not-found answer: no route at this address (or not with this method). */
export function notFoundPage(ctx: Ctx, req: FastifyRequest, reply: FastifyReply) {
  return sendRefusal(ctx, req, reply, {
    status: 404,
    code: 'NOT_FOUND',
    message: 'There is nothing at this address.',
  });
}

function sendRefusal(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, r: Refusal) {
  void reply.code(r.status);
  if (wantsJson(req))
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send({ error: { code: r.code, message: r.message } });
  return reply.type('text/html; charset=utf-8').send(
    layout(
      {
        title:
          r.status === 403 ? 'Not allowed' : r.status === 404 ? 'Not found' : 'Request refused',
        user: req.session?.user ?? null,
        // The sign-out form's token: only for a signed-in user (a visitor has no form here).
        csrf: req.session ? csrfToken(reply) : '',
        synthetic: ctx.synthetic,
      },
      html`<p role="alert">${r.message}</p>
        ${errorCode(r.code)}`,
    ),
  );
}

/** The stable code of a refusal (shared/errors.ts), for scripts and for support. */
const errorCode = (code: string): Html =>
  html`<p class="note">Error code: <code>${code}</code></p>`;
