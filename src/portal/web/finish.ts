/**
 * The end of a report: "check your answers" (each with a change link), sending it, the
 * confirmation with the crime reference and what happens next, and the victim's record (PDF
 * and plain text) to keep.
 */
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../audit/audit.ts';
import { nationalRoute } from '../../case/settings.ts';
import { victimCallsOf } from '../../readout/victim-calls.ts';
import { html, type Html } from '../../shared/html.ts';
import type { RecordCall, VictimRecord } from '../answers.ts';
import { listEvidence } from '../evidence-store.ts';
import { formatDate, formatMoney, type Key } from '../i18n/i18n.ts';
import { recordPdf, recordText } from '../record.ts';
import { loadReport, missingAnswers, setLang, submitReport, type Report } from '../reports.ts';
import { button, csrfInput, type Errors } from './components.ts';
import { langOf, ownReport, pageReq, send, type PageReq, type PortalCtx } from './context.ts';

function summary(p: PageReq, r: Report, files: string[], errors: Errors): Html {
  const a = r.answers;
  const kinds = (list: string[] | undefined, prefix: string) =>
    list ? list.map((k) => p.t(`${prefix}.${k}` as Key)).join(', ') : undefined;
  const rows: Array<[string, Key, string | Html | undefined]> = [
    [
      'when',
      'cya.when',
      a.when
        ? `${formatDate(p.lang, a.when.date)}${a.when.time ? ` ${a.when.time}` : ''}`
        : undefined,
    ],
    ['organisation', 'cya.organisation', a.organisation],
    ['asked', 'cya.asked', kinds(a.asked, 'secret')],
    ['given', 'cya.given', kinds(a.given, 'secret')],
    [
      'money',
      'cya.lostMoney',
      a.lostMoney === undefined ? undefined : p.t(a.lostMoney ? 'yes' : 'no'),
    ],
  ];
  if (a.lostMoney) {
    rows.push([
      'transactions',
      'cya.transactions',
      a.transactions?.length
        ? html`<ul class="govuk-list">
            ${a.transactions.map(
              (t) =>
                html`<li>
                  ${formatDate(p.lang, t.date)}:
                  ${formatMoney(p.lang, t.amountMinor, t.currency)}${t.payee ? ` → ${t.payee}` : ''}
                </li>`,
            )}
          </ul>`
        : undefined,
    ]);
    rows.push(['paid-by', 'cya.paidBy', kinds(a.paidBy, 'paid')]);
  }
  rows.push(['story', 'cya.story', a.story || undefined]);
  rows.push(['evidence', 'cya.evidence', files.length ? files.join(', ') : undefined]);
  rows.push([
    'contact',
    'cya.contact',
    a.contact
      ? `${p.t(`contact.${a.contact.way}` as Key)}${a.contact.email ? `: ${a.contact.email}` : ''}`
      : undefined,
  ]);
  return html`<dl class="govuk-summary-list">
    ${rows.map(
      ([slug, label, value]) =>
        html`<div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">${p.t(label)}</dt>
          <dd class="govuk-summary-list__value portal-answer" id="${slug}">
            ${
              value === undefined
                ? html`${errors[slug] ? html`<p class="govuk-error-message">${errors[slug]}</p>` : ''}${p.t('cya.notAnswered')}`
                : value
            }
          </dd>
          <dd class="govuk-summary-list__actions">
            <a class="govuk-link" href="/report/q/${slug}?change=1"
              >${p.t('cya.change')}<span class="govuk-visually-hidden"> ${p.t(label)}</span></a
            >
          </dd>
        </div>`,
    )}
  </dl>`;
}

/** The calls the seized records show reaching the victim's number (oldest first). */
async function callsOf(ctx: PortalCtx, number: string): Promise<RecordCall[]> {
  if (!ctx.analysis) return [];
  // Those that count for the number, as the victims table counts them (a confirmed reading).
  const rows = await ctx.analysis.rows(
    `${await victimCallsOf(ctx.analysis, [number])}
     SELECT strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS at,
       -- Billed seconds of a call that never connected are no time on the phone.
       CASE WHEN connected THEN coalesce(billsec, 0) ELSE 0 END AS s, presented_e164 AS shown
       FROM victim_calls ORDER BY started_at LIMIT 200`,
  );
  return rows.map((c) => ({
    at: String(c.at),
    connectedSeconds: Number(c.s),
    shown: (c.shown as string | null) ?? null,
  }));
}

export async function victimRecord(ctx: PortalCtx, r: Report): Promise<VictimRecord> {
  return {
    lang: r.lang,
    forceName: ctx.settings.force_name,
    officialSite: ctx.settings.official_site,
    contact: ctx.settings.contact,
    nationalRoute: nationalRoute(ctx.settings, r.country),
    crimeReference: r.crimeRef ?? '',
    submittedAt: r.submittedAt,
    timeZone: r.zones.split(',')[0] || 'UTC',
    brand: r.brand,
    calls: await callsOf(ctx, r.number),
    answers: r.answers,
    evidence: await listEvidence(ctx.ops, r.id),
  };
}

export async function finishRoutes(app: FastifyInstance, ctx: PortalCtx): Promise<void> {
  const cya = async (
    p: PageReq,
    reply: import('fastify').FastifyReply,
    r: Report,
    errors: Errors = {},
  ) => {
    const files = (await listEvidence(ctx.ops, r.id)).map((f) => f.name);
    return send(
      ctx,
      reply,
      p,
      {
        title: p.t('cya.title'),
        path: '/report/check-answers',
        errors,
        signedIn: true,
        back: '/report/q/contact',
      },
      html`${summary(p, r, files, errors)}
        <h2 class="govuk-heading-m">${p.t('cya.send')}</h2>
        <p class="govuk-body">${p.t('cya.declaration')}</p>
        <form method="post" action="/report/submit" novalidate>
          ${csrfInput(p.csrf)} ${button(p.t('cya.send'))}
        </form>`,
    );
  };

  app.get('/check-answers', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const r = await loadReport(ctx.ops, id);
    if (r.state === 'submitted') return reply.redirect('/report/done', 303);
    return cya(pageReq(req, reply, ctx), reply, r);
  });

  app.post('/submit', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const p = pageReq(req, reply, ctx);
    const r = await loadReport(ctx.ops, id);
    const missing = missingAnswers(r.answers);
    if (r.state === 'draft' && missing.length > 0) {
      const errors = Object.fromEntries(
        missing.map((m) => [m === 'paid-by' ? 'paid-by' : m, p.t('cya.incomplete')]),
      );
      return cya(p, reply, r, errors);
    }
    // The report keeps the language it was sent in (the inbox shows it).
    if (r.state === 'draft') await setLang(ctx.ops, id, p.lang);
    await submitReport(ctx.ops, id, ctx.fx.now());
    return reply.redirect('/report/done', 303);
  });

  app.get('/done', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const p = pageReq(req, reply, ctx);
    const r = await loadReport(ctx.ops, id);
    if (r.state !== 'submitted') return reply.redirect('/report/check-answers', 303);
    const s = ctx.settings;
    return send(
      ctx,
      reply,
      p,
      { title: p.t('done.title'), path: '/report/done', ownHeading: true, signedIn: true },
      html`<div class="govuk-panel govuk-panel--confirmation">
          <h1 class="govuk-panel__title">${p.t('done.title')}</h1>
          <div class="govuk-panel__body">
            ${p.t('done.ref')}<br /><strong id="crime-ref">${r.crimeRef}</strong>
          </div>
        </div>
        <h2 class="govuk-heading-m">${p.t('done.next')}</h2>
        <p class="govuk-body">${p.t('done.next1')}</p>
        <p class="govuk-body">${p.t('done.next2')}</p>
        <p class="govuk-body">${p.t('done.reach', { contact: s.contact })}</p>
        <h2 class="govuk-heading-m">${p.t('done.national')}</h2>
        <p class="govuk-body">
          ${p.t('done.nationalBody', { route: nationalRoute(s, r.country) })}
        </p>
        <h2 class="govuk-heading-m">${p.t('done.record')}</h2>
        <p class="govuk-body">${p.t('done.recordBody')}</p>
        <ul class="govuk-list">
          <li><a class="govuk-link" href="/report/record.pdf" download>${p.t('done.pdf')}</a></li>
          <li><a class="govuk-link" href="/report/record.txt">${p.t('done.text')}</a></li>
        </ul>`,
    );
  });

  for (const kind of ['pdf', 'txt'] as const) {
    app.get(`/record.${kind}`, async (req, reply) => {
      const id = await ownReport(req, reply, ctx);
      if (id === null) return reply;
      const r = await loadReport(ctx.ops, id);
      if (r.state !== 'submitted') return reply.redirect('/report/check-answers', 303);
      // In the language the victim reads the portal in now.
      const record = { ...(await victimRecord(ctx, r)), lang: langOf(req, reply, ctx) };
      await recordAudit(
        ctx.ops,
        { actor: 'portal', action: 'record_download', target: `report:${id}`, detail: { kind } },
        ctx.fx.now(),
      );
      const name = `${r.crimeRef}.${kind}`;
      reply.header('cache-control', 'no-store');
      if (kind === 'pdf')
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(await recordPdf(record));
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `inline; filename="${name}"`)
        .send(recordText(record));
    });
  }
}
