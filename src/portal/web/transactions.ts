/**
 * The payments page: GOV.UK's "add another" pattern without JavaScript. Each payment is
 * added with its own form (date, amount, currency, payee) and listed with a remove button;
 * "Save and continue" goes on once at least one payment is listed.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { html } from '../../shared/html.ts';
import { Transaction } from '../answers.ts';
import { formatDate, formatMoney } from '../i18n/i18n.ts';
import { loadReport, saveAnswers, type Report } from '../reports.ts';
import { button, choices, csrfInput, dateInput, textInput, type Errors } from './components.ts';
import { ownReport, pageReq, send, type PageReq, type PortalCtx } from './context.ts';
import { checkDate, partsOf } from './dates.ts';
import { nextPage, one, type Body } from './questions.ts';

const MAX = 20;
const CURRENCIES = ['GBP', 'EUR', 'USD', 'AUD', 'CAD'] as const;

/** "1,250.50", "1250,50", "£250" → minor units; null when it is not an amount. */
export function parseAmount(typed: string): number | null {
  const s = typed.replace(/[£€$\s]/g, '');
  const m = /^(\d{1,3}(?:[,.' ]\d{3})*|\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const whole = Number((m[1] as string).replace(/[,.' ]/g, ''));
  const minor = whole * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return minor > 0 && minor <= 100_000_000_00 ? minor : null;
}

/** After the payments: the next question, or back to checking — via "how did you pay" if unanswered. */
const after = (change: boolean, r: Report) =>
  !change
    ? nextPage('transactions', r.answers)
    : r.answers.paidBy
      ? '/report/check-answers'
      : '/report/q/paid-by?change=1';

export async function transactionRoutes(app: FastifyInstance, ctx: PortalCtx): Promise<void> {
  const page = (
    p: PageReq,
    reply: FastifyReply,
    r: Report,
    change: boolean,
    errors: Errors = {},
    posted: Body | null = null,
  ) => {
    const list = r.answers.transactions ?? [];
    const suffix = change ? '?change=1' : '';
    const currency = posted
      ? one(posted, 'currency')
      : (list.at(-1)?.currency ?? (r.country === 'GB' ? 'GBP' : 'EUR'));
    return send(
      ctx,
      reply,
      p,
      {
        title: p.t('tx.title'),
        path: '/report/q/transactions',
        errors,
        signedIn: true,
        back: change ? '/report/check-answers' : '/report/q/money',
      },
      html`<p class="govuk-body">${p.t('tx.hint')}</p>
        ${
          list.length === 0
            ? html`<p class="govuk-body">${p.t('tx.none')}</p>`
            : html`<table class="govuk-table">
                <thead class="govuk-table__head">
                  <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">${p.t('tx.headDate')}</th>
                    <th scope="col" class="govuk-table__header">${p.t('tx.headAmount')}</th>
                    <th scope="col" class="govuk-table__header">${p.t('tx.headPayee')}</th>
                    <td class="govuk-table__header"></td>
                  </tr>
                </thead>
                <tbody class="govuk-table__body">
                  ${list.map(
                    (tx, i) =>
                      html`<tr class="govuk-table__row">
                        <td class="govuk-table__cell">${formatDate(p.lang, tx.date)}</td>
                        <td class="govuk-table__cell">
                          ${formatMoney(p.lang, tx.amountMinor, tx.currency)}
                        </td>
                        <td class="govuk-table__cell">${tx.payee}</td>
                        <td class="govuk-table__cell">
                          <form method="post" action="/report/q/transactions/remove${suffix}">
                            ${csrfInput(p.csrf)}
                            <input type="hidden" name="index" value="${i}" />
                            <button
                              type="submit"
                              class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                            >
                              ${p.t('tx.remove')}
                              <span class="govuk-visually-hidden"
                                >${p.t('tx.removeHidden', {
                                  amount: formatMoney(p.lang, tx.amountMinor, tx.currency),
                                  date: formatDate(p.lang, tx.date),
                                })}</span
                              >
                            </button>
                          </form>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
        <form method="post" action="/report/q/transactions${suffix}" novalidate>
          ${csrfInput(p.csrf)}
          ${dateInput({
            id: 'txdate',
            label: p.t('tx.date'),
            errorPrefix: p.t('error.prefix'),
            ...(errors.txdate ? { error: errors.txdate } : {}),
            parts: posted ? partsOf(posted, 'txdate') : {},
            names: { day: p.t('q.day'), month: p.t('q.month'), year: p.t('q.year') },
          })}
          ${textInput({
            id: 'amount',
            label: p.t('tx.amount'),
            value: posted ? one(posted, 'amount') : '',
            errorPrefix: p.t('error.prefix'),
            ...(errors.amount ? { error: errors.amount } : {}),
            width: '10',
            inputmode: 'decimal',
          })}
          ${choices('radio', {
            id: 'currency',
            label: p.t('tx.currency'),
            errorPrefix: p.t('error.prefix'),
            items: CURRENCIES.map((c) => ({ value: c, label: c, checked: c === currency })),
          })}
          ${textInput({
            id: 'payee',
            label: p.t('tx.payee'),
            hint: p.t('tx.payeeHint'),
            value: posted ? one(posted, 'payee') : '',
            errorPrefix: p.t('error.prefix'),
            spellcheck: false,
          })}
          <div class="govuk-button-group">
            ${button(p.t('tx.add'), { secondary: true, name: 'action', value: 'add' })}
            ${button(p.t('q.continue'), { name: 'action', value: 'continue' })}
          </div>
        </form>`,
    );
  };

  app.get<{ Querystring: { change?: string } }>('/q/transactions', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const r = await loadReport(ctx.ops, id);
    if (r.state === 'submitted') return reply.redirect('/report/done', 303);
    return page(pageReq(req, reply, ctx), reply, r, req.query.change === '1');
  });

  app.post<{ Querystring: { change?: string } }>('/q/transactions', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const p = pageReq(req, reply, ctx);
    const body = (req.body ?? {}) as Body;
    const r = await loadReport(ctx.ops, id);
    if (r.state === 'submitted') return reply.redirect('/report/done', 303);
    const change = req.query.change === '1';
    const list = r.answers.transactions ?? [];
    const typedAnything = ['txdate-day', 'txdate-month', 'txdate-year', 'amount', 'payee'].some(
      (k) => one(body, k),
    );
    if (one(body, 'action') === 'continue' && !typedAnything) {
      if (list.length === 0) return page(p, reply, r, change, { txdate: p.t('tx.needOne') }, body);
      return reply.redirect(after(change, r), 303);
    }
    const errors: Errors = {};
    const date = checkDate(partsOf(body, 'txdate'), ctx.fx.now());
    if (!date.ok) errors.txdate = p.t(date.why === 'missing' ? 'tx.dateMissing' : 'tx.dateInvalid');
    const amountTyped = one(body, 'amount');
    const amount = parseAmount(amountTyped);
    if (amount === null) errors.amount = p.t(amountTyped ? 'tx.amountInvalid' : 'tx.amountMissing');
    if (list.length >= MAX) errors.txdate = p.t('tx.tooMany');
    const currency = CURRENCIES.find((c) => c === one(body, 'currency')) ?? 'GBP';
    if (!date.ok || amount === null || errors.txdate)
      return page(p, reply, r, change, errors, body);
    const tx = Transaction.parse({
      date: date.iso,
      amountMinor: amount,
      currency,
      payee: one(body, 'payee').slice(0, 80),
    });
    await saveAnswers(ctx.ops, id, { transactions: [...list, tx] }, ctx.fx.now());
    if (one(body, 'action') === 'continue') return reply.redirect(after(change, r), 303);
    return reply.redirect(`/report/q/transactions${change ? '?change=1' : ''}`, 303);
  });

  app.post<{ Querystring: { change?: string } }>('/q/transactions/remove', async (req, reply) => {
    const id = await ownReport(req, reply, ctx);
    if (id === null) return reply;
    const r = await loadReport(ctx.ops, id);
    const index = Number(one((req.body ?? {}) as Body, 'index'));
    const list = r.answers.transactions ?? [];
    if (r.state === 'draft' && Number.isInteger(index) && index >= 0 && index < list.length)
      await saveAnswers(
        ctx.ops,
        id,
        { transactions: list.filter((_, i) => i !== index) },
        ctx.fx.now(),
      );
    return reply.redirect(
      `/report/q/transactions${req.query.change === '1' ? '?change=1' : ''}`,
      303,
    );
  });
}
