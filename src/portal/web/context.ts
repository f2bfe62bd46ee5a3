/**
 * What every portal handler gets: the stores, the settings, and per request the language and
 * (once signed in with code and digits) the victim's own report.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PortalSettings } from '../../case/settings.ts';
import { csrfToken } from '../../web/security.ts';
import type { Analysis } from '../../readout/analysis.ts';
import type { OpsDb } from '../../ops/db.ts';
import type { Effects } from '../../shared/effects.ts';
import type { Html } from '../../shared/html.ts';
import { languageOf } from '../../outreach/languages.ts';
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

/**
 * The language a request asks for itself: `?lang=` (the switcher's links; remembered in a
 * cookie), then that cookie, then the first of ours in Accept-Language; null when none.
 */
function askedLang(req: FastifyRequest, reply: FastifyReply, ctx: PortalCtx): Lang | null {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(asked)) {
    keepLang(reply, ctx, asked);
    return asked;
  }
  const kept = req.cookies[LANG_COOKIE];
  if (isLang(kept)) return kept;
  const accept = String(req.headers['accept-language'] ?? '').toLowerCase();
  for (const part of accept.split(',')) {
    const code = part.trim().slice(0, 2);
    if (LANGS.includes(code as Lang)) return code as Lang;
  }
  return null;
}

function keepLang(reply: FastifyReply, ctx: PortalCtx, lang: Lang): void {
  void reply.setCookie(LANG_COOKIE, lang, {
    path: '/report',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    maxAge: 30 * 86_400,
  });
}

/** The language of a request: `?lang=`, then the cookie, then Accept-Language, then English. */
export function langOf(req: FastifyRequest, reply: FastifyReply, ctx: PortalCtx): Lang {
  return askedLang(req, reply, ctx) ?? 'en';
}

export interface PageReq {
  lang: Lang;
  t: Translate;
  csrf: string;
  /** The request chose its language (link, cookie or Accept-Language), not the default. */
  chosen?: boolean;
}

export function pageReq(req: FastifyRequest, reply: FastifyReply, ctx: PortalCtx): PageReq {
  const asked = askedLang(req, reply, ctx);
  const lang = asked ?? 'en';
  return { lang, t: translator(lang), csrf: csrfToken(reply), chosen: asked !== null };
}

/**
 * Once a genuine code tells the country of the number its text went to: a visitor who chose
 * no language (no link, no cookie, no language of ours in Accept-Language) reads on in the
 * language that country's victims are texted in (`languageOf`: Dutch for NL and BE, French
 * for FR, LU and MC), remembered for their next pages like a choice. The switcher still
 * changes it.
 */
export function withTextLanguage(
  reply: FastifyReply,
  ctx: PortalCtx,
  p: PageReq,
  country: string,
): PageReq {
  if (p.chosen) return p;
  const lang = languageOf(country);
  if (lang === p.lang) return p;
  keepLang(reply, ctx, lang);
  return { ...p, lang, t: translator(lang), chosen: true };
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
