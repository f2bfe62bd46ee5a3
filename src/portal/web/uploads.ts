/**
 * The evidence page: one file per form (it works without JavaScript), listed once accepted.
 * The body is read as multipart with hard limits; the file's content decides what it is
 * (evidence.ts), never its name or the Content-Type the browser claims. The CSRF token of
 * this form travels in its action's query, as a multipart body is read only after the check.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { html } from '../../shared/html.ts';
import { isUnspoofError } from '../../shared/errors.ts';
import { EVIDENCE_LIMITS, inspectEvidence } from '../evidence.ts';
import { addEvidence, listEvidence, removeEvidence } from '../evidence-store.ts';
import { loadReport } from '../reports.ts';
import { button, csrfInput, type Errors } from './components.ts';
import { ownReport, pageReq, send, type PageReq, type PortalCtx } from './context.ts';
import { nextPage, one, type Body } from './questions.ts';

const MB = EVIDENCE_LIMITS.maxBytes / 1024 / 1024;

/** Why an upload was refused: each has its words (`evidence.<why>`) in every language. */
const Refused = z.enum([
  'too_big',
  'missing',
  'tooMany',
  'empty',
  'not_allowed',
  'malformed',
  'active_content',
  'polyglot',
]);
type Refused = z.infer<typeof Refused>;

const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export async function uploadRoutes(app: FastifyInstance, ctx: PortalCtx): Promise<void> {
  const page = async (
    p: PageReq,
    reply: FastifyReply,
    id: number,
    change: boolean,
    errors: Errors = {},
  ) => {
    const files = await listEvidence(ctx.ops, id);
    const q = change ? '&change=1' : '';
    return send(
      ctx,
      reply,
      p,
      {
        title: p.t('evidence.title'),
        path: '/report/q/evidence',
        errors,
        signedIn: true,
        back: change ? '/report/check-answers' : '/report/q/story',
      },
      html`<p class="govuk-body">
          ${p.t('evidence.hint', { files: EVIDENCE_LIMITS.maxFiles, mb: MB })}
        </p>
        <h2 class="govuk-heading-m">${p.t('evidence.added')}</h2>
        ${
          files.length === 0
            ? html`<p class="govuk-body">${p.t('evidence.none')}</p>`
            : html`<dl class="govuk-summary-list">
                ${files.map(
                  (f) =>
                    html`<div class="govuk-summary-list__row">
                      <dt class="govuk-summary-list__key">${f.name}</dt>
                      <dd class="govuk-summary-list__value">${f.type} · ${size(f.bytes)}</dd>
                      <dd class="govuk-summary-list__actions">
                        <form
                          method="post"
                          action="/report/q/evidence/remove${change ? '?change=1' : ''}"
                        >
                          ${csrfInput(p.csrf)}
                          <input type="hidden" name="id" value="${f.id}" />
                          <button
                            type="submit"
                            class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                          >
                            ${p.t('evidence.remove')}
                            <span class="govuk-visually-hidden">${f.name}</span>
                          </button>
                        </form>
                      </dd>
                    </div>`,
                )}
              </dl>`
        }
        <form
          method="post"
          action="/report/q/evidence?_csrf=${p.csrf}${q}"
          enctype="multipart/form-data"
        >
          <div class="govuk-form-group ${errors.file ? 'govuk-form-group--error' : ''}">
            <label class="govuk-label govuk-label--m" for="file">${p.t('evidence.label')}</label>
            ${
              errors.file
                ? html`<p id="file-error" class="govuk-error-message">
                    <span class="govuk-visually-hidden">${p.t('error.prefix')}</span> ${errors.file}
                  </p>`
                : ''
            }
            <input
              class="govuk-file-upload ${errors.file ? 'govuk-file-upload--error' : ''}"
              id="file"
              name="file"
              type="file"
              accept="image/jpeg,image/png,image/webp,application/pdf"
              data-max-bytes="${EVIDENCE_LIMITS.maxBytes}"
              data-too-big="${p.t('evidence.too_big', { mb: MB })}"
              ${errors.file ? html`aria-describedby="file-error"` : ''}
            />
          </div>
          ${button(p.t('evidence.upload'), { secondary: true })}
        </form>
        <form method="post" action="/report/q/evidence/done${change ? '?change=1' : ''}">
          ${csrfInput(p.csrf)} ${button(p.t('q.continue'))}
        </form>`,
    );
  };

  app.get<{ Querystring: { change?: string; refused?: string } }>(
    '/q/evidence',
    async (req, reply) => {
      const id = await ownReport(req, reply, ctx);
      if (id === null) return reply;
      const r = await loadReport(ctx.ops, id);
      if (r.state === 'submitted') return reply.redirect('/report/done', 303);
      const p = pageReq(req, reply, ctx);
      // A refused upload comes back here (POST, redirect, GET) with why, and nothing else.
      const why = Refused.safeParse(req.query.refused);
      const errors: Errors = why.success
        ? { file: p.t(`evidence.${why.data}`, { mb: MB, files: EVIDENCE_LIMITS.maxFiles }) }
        : {};
      return page(p, reply, id, req.query.change === '1', errors);
    },
  );

  app.post<{ Querystring: { change?: string } }>('/q/evidence', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const change = req.query.change === '1';
    // The form's address carries its CSRF token (a multipart body is read after the check):
    // a refusal redirects to the page's own address, so the token never stays in the bar.
    const refuse = (why: Refused) =>
      reply.redirect(
        `/report/q/evidence?${new URLSearchParams({ refused: why, ...(change ? { change: '1' } : {}) }).toString()}`,
        303,
      );
    let file: { name: string; bytes: Buffer } | null = null;
    try {
      const part = await req.file({
        limits: { fileSize: EVIDENCE_LIMITS.maxBytes, files: 1, fields: 2 },
      });
      if (part && part.filename) {
        const bytes = await part.toBuffer();
        file = { name: part.filename, bytes };
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (
        code === 'FST_REQ_FILE_TOO_LARGE' ||
        code === 'FST_FILES_LIMIT' ||
        code === 'FST_PARTS_LIMIT'
      )
        return refuse('too_big');
      if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return refuse('missing');
      throw e;
    }
    if (!file) return refuse('missing');
    const inspected = await inspectEvidence(file.bytes);
    if (!inspected.ok) return refuse(inspected.reason);
    try {
      await addEvidence(ctx.ops, id, file.name, inspected.evidence, ctx.fx.now());
    } catch (e) {
      if (isUnspoofError(e) && e.code === 'EVIDENCE_REFUSED') return refuse('tooMany');
      if (isUnspoofError(e) && e.code === 'REPORT_SENT') return reply.redirect('/report/done', 303);
      throw e;
    }
    return reply.redirect(`/report/q/evidence${change ? '?change=1' : ''}`, 303);
  });

  app.post<{ Querystring: { change?: string } }>('/q/evidence/remove', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const evidenceId = Number(one((req.body ?? {}) as Body, 'id'));
    if (Number.isSafeInteger(evidenceId))
      await removeEvidence(ctx.ops, id, evidenceId, ctx.fx.now());
    return reply.redirect(`/report/q/evidence${req.query.change === '1' ? '?change=1' : ''}`, 303);
  });

  app.post<{ Querystring: { change?: string } }>('/q/evidence/done', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const r = await loadReport(ctx.ops, id);
    return reply.redirect(
      req.query.change === '1' ? '/report/check-answers' : nextPage('evidence', r.answers),
      303,
    );
  });
}
