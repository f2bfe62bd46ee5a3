/**
 * What every portal handler gets: the stores, the settings, and per request the language and
 * (once signed in with code and digits) the victim's own report.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PortalSettings } from '../../case/settings.ts';
import { csrfToken } from '../../console/security.ts';
import type { Analysis } from '../../console/analysis.ts';
import type { OpsDb } from '../../ops/db.ts';
import type { Effects } from '../../shared/effects.ts';
import type { Html } from '../../shared/html.ts';
import type { AccessDeps } from '../access.ts';
import { isLang, LANGS, translator, type Lang, type Translate } from '../i18n/i18n.ts';
import { sessionReport } from '../reports.ts';
import type { Errors } from './components.ts';
import { portalPage } from './layout.ts';

export const REPORT_COOKIE = 'unspoof_report';
export const LANG_COOKIE = 'unspoof_lang';

export interface PortalCtx {
  ops: OpsDb;
  /** The case's analysis store, for the calls in a victim's record (absent: portal-only tests). */
  analysis: Analysis | null;
  fx: Effects;
  settings: PortalSettings;
  access: AccessDeps;
  secure: boolean;
}

/** The language of a request: `?lang=`, then the cookie, then Accept-Language, then English. */
export function langOf(req: FastifyRequest, reply: FastifyReply, ctx: PortalCtx): Lang {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(asked)) {
    void reply.setCookie(LANG_COOKIE, asked, {
      path: '/report',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
      maxAge: 30 * 86_400,
    });
    return asked;
  }
  const kept = req.cookies[LANG_COOKIE];
  if (isLang(kept)) return kept;
  const accept = String(req.headers['accept-language'] ?? '').toLowerCase();
  for (const part of accept.split(',')) {
    const code = part.trim().slice(0, 2);
    if (LANGS.includes(code as Lang)) return code as Lang;
  }
  return 'en';
}

export interface PageReq {
  lang: Lang;
  t: Translate;
  csrf: string;
}

export function pageReq(req: FastifyRequest, reply: FastifyReply, ctx: PortalCtx): PageReq {
  const lang = langOf(req, reply, ctx);
  return { lang, t: translator(lang), csrf: csrfToken(reply) };
}

/** Sends a portal page. */
export function send(
  ctx: PortalCtx,
  reply: FastifyReply,
  p: PageReq,
  page: {
    title: string;
    path: string;
    errors?: Errors;
    back?: string;
    ownHeading?: boolean;
    signedIn?: boolean;
    status?: number;
  },
  body: Html,
): FastifyReply {
  return reply
    .code(page.status ?? (page.errors && Object.keys(page.errors).length > 0 ? 400 : 200))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      portalPage(
        {
          t: p.t,
          lang: p.lang,
          forceName: ctx.settings.force_name,
          title: page.title,
          path: page.path,
          ...(page.errors ? { errors: page.errors } : {}),
          ...(page.back ? { back: page.back } : {}),
          ...(page.ownHeading ? { ownHeading: true } : {}),
          ...(page.signedIn ? { signedIn: { csrf: p.csrf } } : {}),
        },
        body,
      ),
    );
}

/** The report this request's cookie opens, or null after sending the victim to sign in again. */
export async function ownReport(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: PortalCtx,
): Promise<number | null> {
  const token = req.cookies[REPORT_COOKIE];
  const id = token ? await sessionReport(ctx.ops, token, ctx.fx.now()) : null;
  if (id === null) {
    void reply.redirect('/report/start?expired=1', 303);
    return null;
  }
  return id;
}
