/**
 * One question per page (GOV.UK's pattern): each page shows its question with what was
 * answered before, validates what is posted (its errors listed in the summary and beside the
 * field) and saves it to the draft, then goes to the next question, or back to "check your
 * answers" when the victim came from there to change it.
 */
import type { FastifyInstance } from 'fastify';
import { html, type Html } from '../../shared/html.ts';
import {
  PAYMENT_METHODS,
  SECRET_KINDS,
  type Answers,
  type PaymentMethod,
  type SecretKind,
} from '../answers.ts';
import type { Key } from '../i18n/i18n.ts';
import { loadReport, saveAnswers, type Report } from '../reports.ts';
import {
  button,
  choices,
  csrfInput,
  dateInput,
  textarea,
  textInput,
  type Errors,
} from './components.ts';
import { ownReport, pageReq, send, type PageReq, type PortalCtx } from './context.ts';
import { checkDate, partsFromIso, partsOf } from './dates.ts';

export const ORDER = [
  'when',
  'organisation',
  'asked',
  'given',
  'money',
  'transactions',
  'paid-by',
  'story',
  'evidence',
  'contact',
] as const;
export type Slug = (typeof ORDER)[number];

const skipped = (slug: Slug, a: Answers) =>
  (slug === 'transactions' || slug === 'paid-by') && a.lostMoney !== true;

/** The page after `slug` (skipping the money pages when no money was lost). */
export function nextPage(slug: Slug, a: Answers): string {
  for (let i = ORDER.indexOf(slug) + 1; i < ORDER.length; i++) {
    const s = ORDER[i] as Slug;
    if (!skipped(s, a)) return `/report/q/${s}`;
  }
  return '/report/check-answers';
}

const answered: Record<Slug, (a: Answers) => boolean> = {
  when: (a) => !!a.when,
  organisation: (a) => !!a.organisation,
  asked: (a) => !!a.asked,
  given: (a) => !!a.given,
  money: (a) => a.lostMoney !== undefined,
  transactions: (a) => (a.transactions?.length ?? 0) > 0,
  'paid-by': (a) => !!a.paidBy,
  story: (a) => a.story !== undefined,
  evidence: (a) => a.story !== undefined,
  contact: (a) => !!a.contact,
};

/** Where a returning victim resumes: the first question not yet answered. */
export function firstPage(a: Answers): Slug {
  return ORDER.find((s) => !skipped(s, a) && !answered[s](a)) ?? 'when';
}

export type Body = Record<string, string | string[] | undefined>;
export const one = (b: Body, k: string): string => {
  const v = b[k];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const many = (b: Body, k: string): string[] => {
  const v = b[k];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

interface Question {
  title: (p: PageReq, r: Report) => string;
  /** The form's fields (inside the form, before the button). */
  fields: (p: PageReq, r: Report, errors: Errors, posted: Body | null) => Html;
  /** What the posted form means: the answers to save, or the errors to show. */
  read: (p: PageReq, body: Body, now: Date) => { patch: Partial<Answers> } | { errors: Errors };
}

const secretsQuestion = (key: 'asked' | 'given', title: Key): Question => ({
  title: (p) => p.t(title),
  fields: (p, r, errors, posted) => {
    const chosen = posted ? many(posted, key) : (r.answers[key] ?? []);
    return choices('checkbox', {
      id: key,
      label: p.t(title),
      heading: true,
      hint: p.t('secrets.hint'),
      errorPrefix: p.t('error.prefix'),
      ...(errors[key] ? { error: errors[key] } : {}),
      items: SECRET_KINDS.map((k) => ({
        value: k,
        label: p.t(`secret.${k}` as Key),
        checked: chosen.includes(k),
        exclusive: k === 'nothing',
      })),
    });
  },
  read: (p, body) => {
    const picked = many(body, key).filter((v): v is SecretKind =>
      SECRET_KINDS.includes(v as SecretKind),
    );
    if (picked.length === 0) return { errors: { [key]: p.t('secrets.missing') } };
    if (picked.includes('nothing') && picked.length > 1)
      return { errors: { [key]: p.t('secrets.nothingAlone') } };
    return { patch: { [key]: picked } };
  },
});

export const QUESTIONS: Partial<Record<Slug, Question>> = {
  when: {
    title: (p) => p.t('when.title'),
    fields: (p, r, errors, posted) =>
      html`${dateInput({
        id: 'when',
        label: p.t('when.title'),
        heading: true,
        hint: p.t('when.hint'),
        errorPrefix: p.t('error.prefix'),
        ...(errors.when ? { error: errors.when } : {}),
        parts: posted
          ? partsOf(posted, 'when')
          : partsFromIso(r.answers.when?.date ?? r.callDate ?? undefined),
        names: { day: p.t('q.day'), month: p.t('q.month'), year: p.t('q.year') },
      })}
      ${textInput({
        id: 'time',
        label: p.t('when.time'),
        hint: p.t('when.timeHint'),
        value: posted ? one(posted, 'time') : (r.answers.when?.time ?? ''),
        errorPrefix: p.t('error.prefix'),
        ...(errors.time ? { error: errors.time } : {}),
        width: '5',
      })}`,
    read: (p, body, now) => {
      const date = checkDate(partsOf(body, 'when'), now);
      const time = one(body, 'time');
      const errors: Errors = {};
      if (!date.ok)
        errors.when = p.t(
          `when.${date.why === 'missing' ? 'missing' : date.why === 'future' ? 'future' : 'invalid'}`,
        );
      if (time && !/^([01]?\d|2[0-3])[:.][0-5]\d$/.test(time)) errors.time = p.t('when.badTime');
      if (!date.ok || errors.time) return { errors };
      const hhmm = time ? time.replace('.', ':').padStart(5, '0') : undefined;
      return { patch: { when: { date: date.iso, ...(hhmm ? { time: hhmm } : {}) } } };
    },
  },
  organisation: {
    title: (p) => p.t('org.title'),
    fields: (p, r, errors, posted) =>
      html`<h1 class="govuk-heading-l">${p.t('org.title')}</h1>
        ${textInput({
          id: 'organisation',
          label: p.t('org.label'),
          hint: p.t('org.hint'),
          value: posted ? one(posted, 'organisation') : (r.answers.organisation ?? r.brand ?? ''),
          errorPrefix: p.t('error.prefix'),
          ...(errors.organisation ? { error: errors.organisation } : {}),
        })}`,
    read: (p, body) => {
      const org = one(body, 'organisation').slice(0, 120);
      return org
        ? { patch: { organisation: org } }
        : { errors: { organisation: p.t('org.missing') } };
    },
  },
  asked: secretsQuestion('asked', 'asked.title'),
  given: secretsQuestion('given', 'given.title'),
  money: {
    title: (p) => p.t('money.title'),
    fields: (p, r, errors, posted) => {
      const v = posted
        ? one(posted, 'lostMoney')
        : r.answers.lostMoney === undefined
          ? ''
          : String(r.answers.lostMoney);
      return choices('radio', {
        id: 'lostMoney',
        label: p.t('money.title'),
        heading: true,
        errorPrefix: p.t('error.prefix'),
        ...(errors.lostMoney ? { error: errors.lostMoney } : {}),
        items: [
          { value: 'true', label: p.t('money.yes'), checked: v === 'true' },
          { value: 'false', label: p.t('money.no'), checked: v === 'false' },
        ],
      });
    },
    read: (p, body) => {
      const v = one(body, 'lostMoney');
      if (v !== 'true' && v !== 'false') return { errors: { lostMoney: p.t('money.missing') } };
      return { patch: { lostMoney: v === 'true' } };
    },
  },
  'paid-by': {
    title: (p) => p.t('paid.title'),
    fields: (p, r, errors, posted) => {
      const chosen = posted ? many(posted, 'paidBy') : (r.answers.paidBy ?? []);
      return choices('checkbox', {
        id: 'paidBy',
        label: p.t('paid.title'),
        heading: true,
        errorPrefix: p.t('error.prefix'),
        ...(errors.paidBy ? { error: errors.paidBy } : {}),
        items: PAYMENT_METHODS.map((m) => ({
          value: m,
          label: p.t(`paid.${m}` as Key),
          checked: chosen.includes(m),
        })),
      });
    },
    read: (p, body) => {
      const picked = many(body, 'paidBy').filter((v): v is PaymentMethod =>
        PAYMENT_METHODS.includes(v as PaymentMethod),
      );
      return picked.length
        ? { patch: { paidBy: picked } }
        : { errors: { paidBy: p.t('paid.missing') } };
    },
  },
  story: {
    title: (p) => p.t('story.title'),
    fields: (p, r, errors, posted) =>
      textarea({
        id: 'story',
        label: p.t('story.title'),
        heading: true,
        hint: `${p.t('story.hint')} ${p.t('story.count')}`,
        value: posted ? one(posted, 'story') : (r.answers.story ?? ''),
        errorPrefix: p.t('error.prefix'),
        ...(errors.story ? { error: errors.story } : {}),
        rows: 10,
      }),
    read: (p, body) => {
      const story = one(body, 'story').replace(/\r\n/g, '\n');
      return story.length > 5000
        ? { errors: { story: p.t('story.tooLong') } }
        : { patch: { story } };
    },
  },
  contact: {
    title: (p) => p.t('contact.title'),
    fields: (p, r, errors, posted) => {
      const way = posted ? one(posted, 'way') : (r.answers.contact?.way ?? '');
      const consent = posted
        ? one(posted, 'consent') === 'yes'
        : (r.answers.contact?.consent ?? false);
      return html`${choices('radio', {
        id: 'way',
        label: p.t('contact.title'),
        heading: true,
        errorPrefix: p.t('error.prefix'),
        ...(errors.way ? { error: errors.way } : {}),
        items: [
          { value: 'phone', label: p.t('contact.phone'), checked: way === 'phone' },
          { value: 'email', label: p.t('contact.email'), checked: way === 'email' },
          { value: 'none', label: p.t('contact.none'), checked: way === 'none' },
        ],
      })}
      ${textInput({
        id: 'email',
        label: p.t('contact.emailLabel'),
        value: posted ? one(posted, 'email') : (r.answers.contact?.email ?? ''),
        errorPrefix: p.t('error.prefix'),
        ...(errors.email ? { error: errors.email } : {}),
        autocomplete: 'email',
        spellcheck: false,
      })}
      ${choices('checkbox', {
        id: 'consent',
        label: p.t('contact.consent'),
        errorPrefix: p.t('error.prefix'),
        ...(errors.consent ? { error: errors.consent } : {}),
        items: [{ value: 'yes', label: p.t('yes'), checked: consent }],
      })}`;
    },
    read: (p, body) => {
      const way = one(body, 'way');
      const email = one(body, 'email').slice(0, 254);
      const errors: Errors = {};
      if (way !== 'phone' && way !== 'email' && way !== 'none') errors.way = p.t('contact.missing');
      if (way === 'email' && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email))
        errors.email = p.t('contact.emailMissing');
      if (one(body, 'consent') !== 'yes') errors.consent = p.t('contact.consentMissing');
      if (Object.keys(errors).length > 0) return { errors };
      return {
        patch: {
          contact: {
            way: way as 'phone' | 'email' | 'none',
            ...(way === 'email' ? { email } : {}),
            consent: true,
          },
        },
      };
    },
  },
};

const isSlug = (s: string): s is Slug => (ORDER as readonly string[]).includes(s);

export async function questionRoutes(app: FastifyInstance, ctx: PortalCtx): Promise<void> {
  const render = (
    p: PageReq,
    reply: import('fastify').FastifyReply,
    slug: Slug,
    q: Question,
    r: Report,
    change: boolean,
    errors: Errors = {},
    posted: Body | null = null,
  ) => {
    const action = `/report/q/${slug}${change ? '?change=1' : ''}`;
    const prev = ORDER.slice(0, ORDER.indexOf(slug))
      .filter((s) => !skipped(s, r.answers))
      .pop();
    return send(
      ctx,
      reply,
      p,
      {
        title: q.title(p, r),
        path: `/report/q/${slug}`,
        errors,
        ownHeading: true,
        signedIn: true,
        back: change ? '/report/check-answers' : prev ? `/report/q/${prev}` : '/report/start',
      },
      html`<form method="post" action="${action}" novalidate>
        ${csrfInput(p.csrf)} ${q.fields(p, r, errors, posted)} ${button(p.t('q.continue'))}
      </form>`,
    );
  };

  app.get<{ Params: { slug: string }; Querystring: { change?: string } }>(
    '/q/:slug',
    async (req, reply) => {
      const q = isSlug(req.params.slug) ? QUESTIONS[req.params.slug] : undefined;
      if (!q) return reply.callNotFound();
      const id = await ownReport(req, reply, ctx);
      if (id === null) return reply;
      const r = await loadReport(ctx.ops, id);
      if (r.state === 'submitted') return reply.redirect('/report/done', 303);
      return render(
        pageReq(req, reply, ctx),
        reply,
        req.params.slug as Slug,
        q,
        r,
        req.query.change === '1',
      );
    },
  );

  app.post<{ Params: { slug: string }; Querystring: { change?: string } }>(
    '/q/:slug',
    async (req, reply) => {
      const slug = req.params.slug;
      const q = isSlug(slug) ? QUESTIONS[slug] : undefined;
      if (!q) return reply.callNotFound();
      const id = await ownReport(req, reply, ctx);
      if (id === null) return reply;
      const p = pageReq(req, reply, ctx);
      const body = (req.body ?? {}) as Body;
      const r = await loadReport(ctx.ops, id);
      if (r.state === 'submitted') return reply.redirect('/report/done', 303);
      const change = req.query.change === '1';
      const read = q.read(p, body, ctx.fx.now());
      if ('errors' in read) return render(p, reply, slug as Slug, q, r, change, read.errors, body);
      await saveAnswers(ctx.ops, id, read.patch, ctx.fx.now());
      const answers = { ...r.answers, ...read.patch };
      if (slug === 'money' && answers.lostMoney && !(answers.transactions?.length ?? 0))
        return reply.redirect(`/report/q/transactions${change ? '?change=1' : ''}`, 303);
      return reply.redirect(
        change ? '/report/check-answers' : nextPage(slug as Slug, answers),
        303,
      );
    },
  );
}
