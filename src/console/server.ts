/**
 * The analyst console: Fastify, server-rendered pages, small client modules where interaction
 * needs them (the crew graph). Security is set up here, once, for every route:
 * - helmet with a strict Content Security Policy (scripts and styles from this origin only);
 * - sessions in a Secure, HttpOnly, SameSite=Strict cookie (sessions.ts);
 * - CSRF tokens on every form (@fastify/csrf-protection, checked on every POST);
 * - rate limits: every route, and logins far tighter;
 * - authorisation through `authz/policy.ts` only, declared per route.
 * Handlers are thin: validate → authorise → call a domain function → render.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { findSession } from '../users/sessions.ts';
import { assetRoutes } from './assets.ts';
import { authRoutes, SESSION_COOKIE } from './auth-routes.ts';
import { consoleKey } from '../ops/keys.ts';
import { campaignRoutes } from './pages/campaigns.ts';
import { reportRoutes } from './pages/reports.ts';
import { adminRoutes } from './pages/admin.ts';
import { crewRoutes } from './pages/crews.ts';
import { overviewRoutes } from './pages/overview.ts';
import { suspectRoutes } from './pages/suspects.ts';
import { victimRoutes } from './pages/victims.ts';
import { numberReviewRoutes } from './pages/number-review.ts';
import { timelineRoutes } from './pages/timeline.ts';
import { packageRoutes } from './pages/packages.ts';
import { requestRoutes } from './pages/requests.ts';
import { sealer } from '../shared/seal.ts';
import { registerSecurity } from '../web/security.ts';
import { createCaches } from './cache.ts';
import { portalContext, portalPlugin } from '../portal/portal.ts';
import { errorPage, notFoundPage, type ConsoleDeps, type Ctx } from './http.ts';
export type { ConsoleDeps, Ctx } from './http.ts';

export async function buildConsole(deps: ConsoleDeps): Promise<FastifyInstance> {
  const ctx: Ctx = {
    ...deps,
    sealer: sealer(await consoleKey(deps.ops, 'seal_key')),
    secure: deps.secureCookies !== false,
    caches: createCaches(),
  };
  // No request logging: URLs and bodies can hold personal data. Errors are reported by code.
  const app = Fastify({
    logger: false,
    trustProxy: deps.trustProxy ?? false,
    bodyLimit: 64 * 1024,
  });
  await registerSecurity(app, {
    ops: deps.ops,
    secure: ctx.secure,
    requestsPerMinute: deps.requestsPerMinute ?? 600,
  });
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      let session = ctx.caches.session.get(token) ?? null;
      if (!session) {
        session = await findSession(deps.ops, token, deps.fx.now());
        if (session) ctx.caches.session.set(token, session);
      }
      req.session = session;
      req.sessionToken = session ? token : null;
    }
  });
  app.setErrorHandler((err, req, reply) => errorPage(ctx, err, req, reply));
  app.setNotFoundHandler((req, reply) => notFoundPage(ctx, req, reply));

  await assetRoutes(app);
  // One encapsulated plugin per room; each sees the shared hooks and decorators set above.
  await app.register(authRoutes, ctx);
  await app.register(overviewRoutes, ctx);
  await app.register(suspectRoutes, ctx);
  await app.register(timelineRoutes, ctx);
  await app.register(victimRoutes, ctx);
  await app.register(numberReviewRoutes, ctx);
  await app.register(crewRoutes, ctx);
  await app.register(requestRoutes, ctx);
  await app.register(adminRoutes, ctx);
  await app.register(campaignRoutes, ctx);
  await app.register(reportRoutes, ctx);
  await app.register(packageRoutes, ctx);
  const portal = await portalContext({
    ops: deps.ops,
    analysis: deps.analysis,
    fx: deps.fx,
    caseDir: deps.caseDir,
    secure: ctx.secure,
  });
  await app.register((scope) => portalPlugin(scope, portal), { prefix: '/report' });
  return app;
}
