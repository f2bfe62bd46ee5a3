/**
 * What every console room shares, and imports no page: the request context, the guard, the
 * page sender and the error page. Rooms (pages/*) import from here, never from server.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Action } from '../authz/policy.ts';
import type { OpsDb } from '../ops/db.ts';
import type { Effects } from '../shared/effects.ts';
import { isUnspoofError, type UnspoofError } from '../shared/errors.ts';
import { html, type Html } from '../shared/html.ts';
import type { User } from '../users/roles.ts';
import type { Analysis } from './analysis.ts';
import type { Caches } from './cache.ts';
import { bytesOf, frameBytes, layout } from './layout.ts';
import type { Sealer } from './seal.ts';
import { csrfToken } from './security.ts';
export { csrfToken } from './security.ts';

export interface ConsoleDeps {
  ops: OpsDb;
  analysis: Analysis;
  fx: Effects;
  /** Cookies are Secure unless this is false (plain-HTTP tests only). */
  secureCookies?: boolean;
  synthetic: boolean;
  /** The case folder (the phone page reads the demo simulator's log there). */
  caseDir?: string;
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
    void reply
      .code(403)
      .type('text/html')
      .send(
        layout(
          { title: 'Not allowed', user, csrf: csrfToken(reply), synthetic: ctx.synthetic },
          html`<p>Your role (${user.role}) does not allow this: ${action.replace(':', ' ')}.</p>
            ${errorCode('FORBIDDEN')}`,
        ),
      );
    return null;
  }
  return user;
}

export function errorPage(ctx: Ctx, err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const e = err as { statusCode?: number; code?: string; message?: string };
  const known = isUnspoofError(err);
  const status = known
    ? e.code === 'FORBIDDEN'
      ? 403
      : e.code === 'INTERNAL'
        ? 500
        : 400
    : (e.statusCode ?? 500);
  // Only our own messages (written for users) and Fastify's 4xx reach the page; never a stack.
  const message =
    known || status < 500
      ? (e.message ?? 'The request was refused.')
      : 'Something went wrong on the server.';
  if (status >= 500)
    ctx.fx.note(
      `console: ${req.method} ${req.routeOptions.url ?? '?'} failed: ${e.code ?? 'error'}`,
    );
  return reply
    .code(status)
    .type('text/html')
    .send(
      layout(
        {
          title: status === 403 ? 'Not allowed' : 'Request refused',
          user: req.session?.user ?? null,
          csrf: req.session ? csrfToken(reply) : '',
          synthetic: ctx.synthetic,
        },
        html`<p role="alert">${message}</p>
          ${known ? errorCode((err as UnspoofError).code) : ''}`,
      ),
    );
}

/** The stable code of a refusal (shared/errors.ts), for scripts and for support. */
const errorCode = (code: string): Html =>
  html`<p class="note">Error code: <code>${code}</code></p>`;
