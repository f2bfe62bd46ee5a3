/**
 * The portal's way in: the start page, "is this text from us?" and signing in to a report
 * with the code and the last four digits. A wrong code and wrong digits get the same page.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { html } from '../../shared/html.ts';
import { checkCode, deviceToken, signIn } from '../access.ts';
import { formatDate, formatMinutes, type Key, type Lang } from '../i18n/i18n.ts';
import { endSession, missingAnswers, loadReport, openReport, startSession } from '../reports.ts';
import { button, csrfInput, textInput, type Errors } from './components.ts';
import {
  pageReq,
  REPORT_COOKIE,
  send,
  withTextLanguage,
  type PageReq,
  type PortalCtx,
} from './context.ts';
import { firstPage } from './questions.ts';

// Whatever arrives (too long, repeated, missing) is read as text and answered like any wrong
// code, never refused with an error of its own.
const text = z
  .unknown()
  .transform((v) => (Array.isArray(v) ? v[0] : v))
  .transform((v) => (typeof v === 'string' ? v.trim().slice(0, 64) : ''));
const CodeForm = z.object({ code: text });
const SignInForm = z.object({ code: text, digits: text });

/** The reference-code field of both ways in (as typed, never autocompleted or spell-checked). */
const codeField = (p: PageReq, label: Key, code: string, errors: Errors) =>
  textInput({
    id: 'code',
    label: p.t(label),
    hint: p.t('check.codeHint'),
    value: code,
    errorPrefix: p.t('error.prefix'),
    ...(errors.code ? { error: errors.code } : {}),
    width: '20',
    autocomplete: 'off',
    spellcheck: false,
  });

/** A wait in whole minutes (at least one), in words in the page's language: "1 minute". */
const minutes = (lang: Lang, seconds: number) =>
  formatMinutes(lang, Math.max(1, Math.ceil(seconds / 60)));

/** The cookie that keeps a victim's browser trusted for their code (access.ts deviceToken). */
const DEVICE_COOKIE = 'unspoof_device';

export async function entryRoutes(app: FastifyInstance, ctx: PortalCtx): Promise<void> {
  app.get('/', async (req, reply) => {
    const p = pageReq(req, reply, ctx);
    const force = ctx.settings.force_name;
    return send(
      ctx,
      reply,
      p,
      { title: p.t('start.title', { force }), path: '/report' },
      html`<p class="govuk-body-l">${p.t('start.lead', { force })}</p>
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
          <strong class="govuk-warning-text__text">${p.t('start.safe')}</strong>
        </div>
        <h2 class="govuk-heading-m">
          <a class="govuk-link" href="/report/check">${p.t('start.check')}</a>
        </h2>
        <p class="govuk-body">${p.t('start.checkHint')}</p>
        <h2 class="govuk-heading-m">
          <a class="govuk-link" href="/report/start">${p.t('start.report')}</a>
        </h2>
        <p class="govuk-body">${p.t('start.reportHint')}</p>`,
    );
  });

  const checkForm = (p: PageReq, code: string, errors: Errors = {}) =>
    html`<form method="post" action="/report/check" novalidate>
      ${csrfInput(p.csrf)} ${codeField(p, 'check.code', code, errors)}
      ${button(p.t('check.button'))}
    </form>`;

  app.get('/check', async (req, reply) => {
    const p = pageReq(req, reply, ctx);
    return send(
      ctx,
      reply,
      p,
      { title: p.t('check.title'), path: '/report/check', back: '/report' },
      checkForm(p, ''),
    );
  });

  app.post('/check', async (req, reply) => {
    const p = pageReq(req, reply, ctx);
    const { code } = CodeForm.parse(req.body ?? {});
    const base = { path: '/report/check', back: '/report/check' };
    if (!code) {
      const errors = { code: p.t('check.codeMissing') };
      return send(
        ctx,
        reply,
        p,
        { ...base, title: p.t('check.title'), errors },
        checkForm(p, code, errors),
      );
    }
    const result = await checkCode(ctx.access, req.ip, code);
    if (result.kind === 'wait') {
      const errors = { code: p.t('error.wait', { minutes: minutes(p.lang, result.seconds) }) };
      reply.header('retry-after', String(result.seconds));
      return send(
        ctx,
        reply,
        p,
        { ...base, title: p.t('check.title'), errors, status: 429 },
        checkForm(p, code, errors),
      );
    }
    if (result.kind === 'genuine') {
      // The answer in the language the text was sent in, unless the visitor chose one.
      const g = withTextLanguage(reply, ctx, p, result.country);
      const date = result.callDate ? formatDate(g.lang, result.callDate) : '';
      return send(
        ctx,
        reply,
        g,
        { ...base, title: g.t('check.genuineTitle') },
        html`<div class="govuk-panel govuk-panel--confirmation">
            <div class="govuk-panel__body">
              ${
                result.brand
                  ? g.t('check.genuineBody', { brand: result.brand, date })
                  : g.t('check.genuineNoBrand', { date })
              }
            </div>
          </div>
          <p class="govuk-body">${g.t('check.genuineCheck')}</p>
          <a href="/report/start" class="govuk-button" role="button" draggable="false"
            >${g.t('check.genuineNext')}</a
          >`,
      );
    }
    return send(
      ctx,
      reply,
      p,
      { ...base, title: p.t('check.unknownTitle') },
      html`<p class="govuk-body">${p.t('check.unknownBody')}</p>
        <h2 class="govuk-heading-m">${p.t('check.adviceTitle')}</h2>
        <ul class="govuk-list govuk-list--bullet">
          <li>${p.t('check.advice1')}</li>
          <li>${p.t('check.advice2')}</li>
          <li>${p.t('check.advice3')}</li>
        </ul>
        <p class="govuk-body">
          <a class="govuk-link" href="/report/check">${p.t('check.again')}</a>
        </p>`,
    );
  });

  const signInForm = (p: PageReq, code: string, errors: Errors = {}, notice?: string) =>
    html`${notice ? html`<div class="govuk-inset-text">${notice}</div>` : ''}
      <form method="post" action="/report/start" novalidate>
        ${csrfInput(p.csrf)} ${codeField(p, 'signin.code', code, errors)}
        ${textInput({
          id: 'digits',
          label: p.t('signin.digits'),
          hint: p.t('signin.digitsHint'),
          errorPrefix: p.t('error.prefix'),
          ...(errors.digits ? { error: errors.digits } : {}),
          width: '4',
          inputmode: 'numeric',
          autocomplete: 'off',
        })}
        ${button(p.t('signin.button'))}
      </form>`;

  app.get('/start', async (req, reply) => {
    const p = pageReq(req, reply, ctx);
    const expired = (req.query as Record<string, unknown>).expired === '1';
    return send(
      ctx,
      reply,
      p,
      { title: p.t('signin.title'), path: '/report/start', back: '/report' },
      signInForm(p, '', {}, expired ? p.t('error.session') : undefined),
    );
  });

  app.post('/start', async (req, reply) => {
    const p = pageReq(req, reply, ctx);
    const { code, digits } = SignInForm.parse(req.body ?? {});
    const page = { title: p.t('signin.title'), path: '/report/start', back: '/report' };
    const errors: Errors = {};
    if (!code) errors.code = p.t('check.codeMissing');
    if (!/^\d{4}$/.test(digits)) errors.digits = p.t('signin.digitsMissing');
    if (Object.keys(errors).length > 0)
      return send(ctx, reply, p, { ...page, errors }, signInForm(p, code, errors));
    const result = await signIn(ctx.access, req.ip, code, digits, req.cookies[DEVICE_COOKIE]);
    if (result.kind !== 'ok') {
      const wait = result.kind === 'wait';
      const refused = {
        code: wait
          ? p.t('error.wait', { minutes: minutes(p.lang, result.seconds) })
          : p.t('signin.refused'),
      };
      if (wait) reply.header('retry-after', String(result.seconds));
      return send(
        ctx,
        reply,
        p,
        { ...page, errors: refused, status: wait ? 429 : 400 },
        signInForm(p, code, refused),
      );
    }
    // The victim's pages in the language their text was sent in, unless they chose one.
    const q = withTextLanguage(reply, ctx, p, result.country);
    const opened = await openReport(ctx.ops, result.messageId, q.lang, ctx.fx.now());
    if (opened.kind === 'closed')
      return send(
        ctx,
        reply,
        q,
        { ...page, title: q.t('signin.title') },
        html`<div class="govuk-inset-text">${q.t('signin.closed', { ref: opened.crimeRef })}</div>`,
      );
    // This browser may sign in with this code again whatever others try with it (access.ts).
    void reply.setCookie(DEVICE_COOKIE, deviceToken(ctx.access.guardSecret, code), {
      path: '/report',
      httpOnly: true,
      secure: ctx.secure,
      sameSite: 'strict',
      maxAge: 180 * 24 * 3600,
    });
    const token = await startSession(ctx.ops, opened.reportId, ctx.fx.now());
    void reply.setCookie(REPORT_COOKIE, token, {
      path: '/report',
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secure,
    });
    const report = await loadReport(ctx.ops, opened.reportId);
    const next =
      report.state === 'submitted'
        ? '/report/done'
        : missingAnswers(report.answers).length === 0
          ? '/report/check-answers'
          : `/report/q/${firstPage(report.answers)}`;
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', async (req, reply) => {
    const token = req.cookies[REPORT_COOKIE];
    if (token) await endSession(ctx.ops, token);
    void reply.clearCookie(REPORT_COOKIE, { path: '/report' });
    return reply.redirect('/report', 303);
  });
}
