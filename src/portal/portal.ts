/**
 * The victim portal (`/report`): a Fastify plugin mounted by `unspoof serve` beside the
 * console, or alone (`unspoof serve --portal-only`) on a server with the same security base.
 * It has its own error and not-found pages, in the victim's language, that never show a
 * stack, a code or anything typed.
 */
import crypto from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { readSettings, SettingsSchema } from '../case/settings.ts';
import type { Analysis } from '../readout/analysis.ts';
import { registerSecurity } from '../web/security.ts';
import { claimMeta, type OpsDb } from '../ops/db.ts';
import { refKeys } from '../outreach/keys.ts';
import type { Effects } from '../shared/effects.ts';
import { httpStatus, isUnspoofError } from '../shared/errors.ts';
import { html } from '../shared/html.ts';
import { EVIDENCE_LIMITS } from './evidence.ts';
import { forgetQuiet } from './guard.ts';
import { purgeStaleDrafts } from './reports.ts';
import { portalAssets } from './web/assets.ts';
import { pageReq, send, type PortalCtx } from './web/context.ts';
import { finishRoutes } from './web/finish.ts';
import { questionRoutes } from './web/questions.ts';
import { transactionRoutes } from './web/transactions.ts';
import { entryRoutes } from './web/routes.ts';
import { uploadRoutes } from './web/uploads.ts';

export interface PortalDeps {
  ops: OpsDb;
  analysis: Analysis | null;
  fx: Effects;
  /** The case folder (its case.json holds the portal's settings); absent: the defaults. */
  caseDir?: string | undefined;
  secure: boolean;
}

export async function portalContext(d: PortalDeps): Promise<PortalCtx> {
  const settings = (d.caseDir ? readSettings(d.caseDir) : SettingsSchema.parse({})).portal;
  const guardSecret = Buffer.from(
    await claimMeta(d.ops, 'portal_guard_key', crypto.randomBytes(32).toString('base64')),
    'base64',
  );
  return {
    ops: d.ops,
    analysis: d.analysis,
    fx: d.fx,
    settings,
    secure: d.secure,
    access: {
      ops: d.ops,
      refKeys: await refKeys(d.ops),
      guardSecret,
      now: () => d.fx.now(),
      alarmCodes: settings.alarm_codes,
    },
  };
}

/** Registers the portal's routes (use with `{ prefix: '/report' }`). */
export async function portalPlugin(app: FastifyInstance, ctx: PortalCtx): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: EVIDENCE_LIMITS.maxBytes, files: 1, fields: 4, parts: 5 },
  });
  app.setNotFoundHandler((req, reply) => {
    const p = pageReq(req, reply, ctx);
    return send(
      ctx,
      reply,
      p,
      { title: p.t('error.notFound'), path: '/report', status: 404 },
      html`<p class="govuk-body">${p.t('error.notFoundBody')}</p>`,
    );
  });
  app.setErrorHandler((err, req, reply) => {
    const p = pageReq(req, reply, ctx);
    const e = err as { statusCode?: number; code?: string };
    const csrf = e.code?.startsWith('FST_CSRF') ?? false;
    // Our own errors by their code's status (shared/errors.ts): a report sent meanwhile in
    // another tab is a 409, not a fault of ours.
    const status = csrf
      ? 403
      : isUnspoofError(err)
        ? httpStatus(err.code)
        : e.statusCode && e.statusCode < 500
          ? e.statusCode
          : 500;
    if (status >= 500)
      ctx.fx.note(
        `portal: ${req.method} ${req.routeOptions.url ?? '?'} failed: ${e.code ?? 'error'}`,
      );
    return send(
      ctx,
      reply,
      p,
      { title: p.t('error.title'), path: '/report', status },
      html`<p class="govuk-body" role="alert">${p.t(csrf ? 'error.csrf' : 'error.generic')}</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/report">${ctx.settings.force_name}</a>
        </p>`,
    );
  });
  const stop = housekeeping(ctx);
  app.addHook('onClose', async () => stop());
  await portalAssets(app, ctx.settings.colour);
  await entryRoutes(app, ctx);
  await questionRoutes(app, ctx);
  await transactionRoutes(app, ctx);
  await uploadRoutes(app, ctx);
  await finishRoutes(app, ctx);
}

/** Stale drafts forgotten and quiet guard keys dropped: at start, then hourly. */
export function housekeeping(ctx: PortalCtx): () => void {
  const run = () =>
    void Promise.all([
      purgeStaleDrafts(ctx.ops, ctx.fx.now()),
      forgetQuiet(ctx.ops, ctx.fx.now()),
    ]).catch((e: unknown) =>
      ctx.fx.note(`portal: housekeeping failed: ${(e as { code?: string }).code ?? 'error'}`),
    );
  run();
  const timer = setInterval(run, 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** The portal alone: `unspoof serve --portal-only`. */
export async function buildPortal(
  d: PortalDeps & { requestsPerMinute?: number; trustProxy?: string | undefined },
): Promise<{ app: FastifyInstance; ctx: PortalCtx }> {
  const ctx = await portalContext(d);
  const app = Fastify({ logger: false, trustProxy: d.trustProxy ?? false, bodyLimit: 64 * 1024 });
  await registerSecurity(app, {
    ops: d.ops,
    secure: d.secure,
    requestsPerMinute: d.requestsPerMinute ?? 600,
  });
  await app.register((scope) => portalPlugin(scope, ctx), { prefix: '/report' });
  app.get('/', async (_req, reply) => reply.redirect('/report', 302));
  return { app, ctx };
}
