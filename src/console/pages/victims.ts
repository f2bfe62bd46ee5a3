/**
 * Victims: the filtered, sortable list (paged on the server over every victim: victims-list.ts),
 * each number masked; the look-up of a victim by number (given with a reason, audited, turned
 * into the victim's sealed address and never kept); the victim page with the calls that reached
 * them, a page at a time; unmasking, which needs a reason and writes it to the audit log. Every
 * view is audited. A victim whose number needs review is marked, and its page has the readings
 * and the Confirm form (number-review.ts).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { can, demand, maskNumber, scope } from '../../authz/policy.ts';
import { recordAudit } from '../../audit/audit.ts';
import { UnspoofError } from '../../shared/errors.ts';
import { html, type Html } from '../../shared/html.ts';
import { Country, type User } from '../../users/roles.ts';
import { listedFrom, pendingCount } from '../../review/confirmations.ts';
import { notesSection } from '../annotations.ts';
import { normaliseNumber } from '../../numbers/normalise.ts';
import { brandNames, PAGE_SIZE, TIERS, victimCountries } from '../data.ts';
import { csrfField, fmt, layout, PageNumber, pager } from '../layout.ts';
import { csrfToken, needs, sendPage, userOf, type Ctx } from '../http.ts';
import { SortDir, sortHeader } from '../paging.ts';
import { CALLS_PAGE_SIZE, victimCallsPage } from '../victim-calls-page.ts';
import { SORT_WORDS, VictimSortParam, victimsPage } from '../victims-list.ts';
import { victimRow } from '../../readout/victims-table.ts';
import { reviewMarker, reviewSection } from './number-review.ts';

// A real calendar day (2021-02-30 is not one: DuckDB would refuse it as a 500).
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  });
const ListQuery = z.object({
  country: Country.optional().catch(undefined),
  tier: z.enum(TIERS).optional().catch(undefined),
  brand: z.string().max(80).optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
  review: z.literal('1').optional().catch(undefined),
  sort: VictimSortParam,
  dir: SortDir,
  page: PageNumber,
});
const PageQuery = z.object({
  confirmed: z.literal('1').optional().catch(undefined),
  page: PageNumber,
});
const Reason = z.string().trim().min(5).max(500);
const Unmask = z.object({ reason: Reason });
/** A number as typed (any separators; national form with its country), and why it is looked up. */
const Lookup = z.object({
  number: z.string().trim().min(3).max(40),
  country: Country.optional().catch(undefined),
  reason: Reason,
});

export async function victimRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  let choices: Promise<{ countries: string[]; brands: string[] }> | undefined;

  app.get('/victims', needs(ctx, 'victims:read'), async (req, reply) => {
    const user = userOf(req);
    const q = ListQuery.parse(req.query);
    const f = {
      country: q.country ?? null,
      tier: q.tier ?? null,
      brand: q.brand || null,
      from: q.from ?? null,
      to: q.to ?? null,
      review: q.review === '1',
    };
    const lists = (choices ??= Promise.all([
      victimCountries(ctx.analysis),
      brandNames(ctx.analysis),
    ]).then(([countries, brands]) => ({ countries, brands })));
    // The masked list shows no number: only opening a victim (and unmasking) is audited.
    const order = { sort: q.sort, dir: q.dir };
    const key = `victims|${scope(user) ?? ''}|${JSON.stringify(f)}|${q.sort}|${q.dir}|${q.page}`;
    const body = await ctx.caches.page(key, async () => {
      const [{ rows, total }, c] = await Promise.all([
        victimsPage(ctx.analysis, ctx.caches.memo, f, scope(user), order, q.page),
        lists,
      ]);
      const option = (v: string, current: string | null) =>
        html`<option value="${v}" ${v === current ? html`selected` : ''}>${v}</option>`;
      const query = {
        country: f.country,
        tier: f.tier,
        brand: f.brand,
        from: f.from,
        to: f.to,
        review: f.review ? '1' : null,
      };
      const sortable = (col: typeof q.sort, label: string) =>
        sortHeader('/victims', query, order, col, label);
      const plain = (label: string) => html`<th scope="col">${label}</th>`;
      return html`<p><a href="/victims/lookup">Look up a victim by number</a></p>
        <form method="get" action="/victims" class="filters">
          <label for="country">Country</label>
          <select id="country" name="country">
            <option value="">any</option>
            ${(scope(user) ? [scope(user) as string] : c.countries).map((v) => option(v, f.country))}
          </select>
          <label for="tier">Tier</label>
          <select id="tier" name="tier">
            <option value="">any</option>
            ${TIERS.map((v) => option(v, f.tier))}
          </select>
          <label for="brand">Brand</label>
          <select id="brand" name="brand">
            <option value="">any</option>
            ${c.brands.map((v) => option(v, f.brand))}
          </select>
          <label for="from">Called from</label
          ><input id="from" name="from" type="date" value="${f.from ?? ''}" />
          <label for="to">to</label><input id="to" name="to" type="date" value="${f.to ?? ''}" />
          <input
            id="review"
            name="review"
            type="checkbox"
            value="1"
            ${f.review ? html`checked` : ''}
          />
          <label for="review">Number needs review</label>
          <input type="hidden" name="sort" value="${q.sort}" /><input
            type="hidden"
            name="dir"
            value="${q.dir}"
          />
          <button type="submit">Filter</button>
        </form>
        <table class="data" id="victims">
          <caption>
            Victims, ${SORT_WORDS[q.sort][q.dir === 'desc' ? 0 : 1]}; numbers masked
          </caption>
          <thead>
            <tr>
              ${plain('Number')}${plain('Country')}${sortable('harm', 'Tier')}
              ${sortable('first_call', 'First call')}${sortable('last_call', 'Last call')}
              ${sortable('calls', 'Calls')}${sortable('connected', 'Connected (s)')}
              ${sortable('accounts', 'Accounts')}${plain('Brands')}
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td>
                    <a href="/victims/${ctx.sealer.seal(String(r.number))}"
                      >${maskNumber(String(r.number))}</a
                    >${reviewMarker(r, user)}
                  </td>
                  <td>${r.country}</td>
                  <td>${r.tier}</td>
                  <td>${fmt(r.first_call_at)}</td>
                  <td>${fmt(r.last_call_at)}</td>
                  <td class="num">${fmt(r.calls)}</td>
                  <td class="num">${fmt(r.connected_seconds)}</td>
                  <td class="num">${fmt(r.accounts)}</td>
                  <td>${String(r.brands ?? '').replaceAll(';', ', ')}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${pager('/victims', { ...query, sort: q.sort, dir: q.dir }, q.page, total, PAGE_SIZE)}`;
    });
    // Confirmations change while the console runs: counted per request, outside the cached
    // fragment, and only on the list of those that need review.
    const pending =
      f.review && can(user, 'victims:confirm') ? await pendingCount(ctx.ops, ctx.analysis) : 0;
    const parts = pending
      ? [
          html`<p role="status">
            ${fmt(pending)} confirmed reading${pending === 1 ? '' : 's'} pending: applied at the
            next analysis (<code>unspoof analyze</code>).
          </p>`,
          body as Html,
        ]
      : (body as Html);
    return sendPage(ctx, reply, { title: 'Victims', user, current: '/victims' }, parts);
  });

  // The look-up form, a page of its own: the list stays one cached fragment for every user.
  app.get('/victims/lookup', needs(ctx, 'victims:read'), async (req, reply) => {
    const user = userOf(req);
    const csrf = csrfToken(reply);
    const countries = scope(user) ? [scope(user) as string] : await victimCountries(ctx.analysis);
    return sendPage(
      ctx,
      reply,
      { title: 'Look up a victim by number', user, csrf, current: '/victims' },
      lookupForm(csrf, countries),
    );
  });

  // A victim by number: the number comes in a form (never in an address, which logs keep),
  // with a reason; the look-up is audited by the number's keyed hash whether or not it finds
  // anyone, and a victim outside the user's scope is not found.
  app.post('/victims/lookup', needs(ctx, 'victims:read'), async (req, reply) => {
    const user = userOf(req);
    const input = Lookup.safeParse(req.body);
    if (!input.success)
      throw new UnspoofError(
        'REASON_REQUIRED',
        'give the number and a reason of at least 5 characters to look a victim up',
      );
    const { number, country, reason } = input.data;
    const read = normaliseNumber(number, country ?? scope(user) ?? 'GB');
    if (read.status !== 'valid')
      throw new UnspoofError(
        'REQUEST_INVALID',
        'that is not a telephone number: give it in full, or choose its country',
      );
    const found = await victimRow(ctx.analysis, read.e164, scope(user));
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: 'victim_lookup',
        target: `victim:${ctx.sealer.stableId(read.e164)}`,
        reason,
        detail: { found: found !== null },
      },
      ctx.fx.now(),
    );
    if (!found) throw new UnspoofError('NOT_FOUND', 'no victim of this case has that number');
    return reply.redirect(`/victims/${ctx.sealer.seal(read.e164)}`, 303);
  });

  const victimPage = async (
    user: User,
    token: string,
    csrf: string,
    unmasked: boolean,
    confirmed = false,
    callsPage = 1,
  ) => {
    const number = ctx.sealer.open(token);
    const row = number ? await victimRow(ctx.analysis, number, scope(user)) : null;
    if (!number || !row) return null;
    const calls = await victimCallsPage(ctx.analysis, number, scope(user), callsPage);
    const v = { victim: row, calls: calls.rows };
    // The other numbers the page shows in full when unmasked (the rival reading): audited too.
    const others = new Set<string>();
    const shown = unmasked ? number : maskNumber(number);
    const accounts = can(user, 'suspects:read');
    // Filed under a keyed hash of the number: the page never carries the number itself.
    const notes = await notesSection(
      ctx,
      user,
      csrf,
      'victim',
      ctx.sealer.stableId(number),
      `/victims/${token}`,
    );
    const review = await reviewSection(
      ctx,
      user,
      csrf,
      token,
      listedFrom(v.victim),
      unmasked,
      confirmed,
      others,
    );
    const page = layout(
      {
        title: `Victim ${maskNumber(number)}`,
        user,
        csrf,
        synthetic: ctx.synthetic,
        current: '/victims',
      },
      html`<dl class="facts">
          ${(
            [
              ['Number', shown],
              ['Country', v.victim.country],
              ['Tier', v.victim.tier],
              [
                'Number read',
                v.victim.confidence
                  ? `${String(v.victim.confidence)} (rule: ${String(v.victim.rule)})`
                  : '',
              ],
              ['Calls', v.victim.calls],
              ['Connected seconds', v.victim.connected_seconds],
              ['Longest call (s)', v.victim.longest_call_seconds],
              ['First long call', v.victim.first_long_call_at],
              ['Brands impersonated', String(v.victim.brands ?? '').replaceAll(';', ', ')],
            ] as Array<[string, unknown]>
          ).map(
            ([k, val]) =>
              html`<div>
                <dt>${k}</dt>
                <dd>${fmt(val)}</dd>
              </div>`,
          )}
        </dl>
        ${review}
        ${
          !unmasked && can(user, 'victims:unmask')
            ? html`<form method="post" action="/victims/${token}/unmask" class="stack unmask">
                ${csrfField(csrf)}
                <label for="reason">Reason to see the full number (goes to the audit log)</label>
                <input id="reason" name="reason" minlength="5" maxlength="500" required />
                <button type="submit">Show the number</button>
              </form>`
            : ''
        }
        <h2>Calls that reached this number</h2>
        <p><a href="/victims/${token}/timeline">These calls on a timeline</a></p>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Answered</th>
              <th scope="col">Recorded as</th>
              <th scope="col">Seconds</th>
              <th scope="col">Shown as</th>
              ${accounts ? html`<th scope="col">Account</th>` : ''}
              <th scope="col">Captured</th>
            </tr>
          </thead>
          <tbody>
            ${v.calls.map(
              (c) =>
                html`<tr>
                  <td>${fmt(c.started_at)}</td>
                  <td>${c.answered ? 'yes' : 'no'}</td>
                  <td>${recordedAs(c)}</td>
                  <td class="num">${fmt(c.billsec)}</td>
                  <td>
                    ${c.brand ? `${String(c.brand)} (${String(c.presented_e164)})` : (c.presented_e164 ?? 'withheld')}
                  </td>
                  ${accounts ? html`<td>${c.account_id ? html`<a href="/suspects/${encodeURIComponent(String(c.account_id))}">${c.account_id}</a>` : 'another country’s account'}</td>` : ''}
                  <td>${c.captured ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${pager(`/victims/${token}`, {}, callsPage, calls.total, CALLS_PAGE_SIZE)} ${notes}`,
    );
    return { page, victim: v.victim, others: [...others] };
  };

  app.get('/victims/:token', needs(ctx, 'victims:read'), async (req, reply) => {
    const user = userOf(req);
    const token = (req.params as { token: string }).token;
    const { confirmed, page } = PageQuery.parse(req.query);
    const shown = await victimPage(user, token, csrfToken(reply), false, confirmed === '1', page);
    if (!shown) return reply.callNotFound();
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: 'victim_view',
        target: `victim:${ctx.sealer.stableId(ctx.sealer.open(token) ?? '')}`,
      },
      ctx.fx.now(),
    );
    return reply.type('text/html').send(shown.page);
  });

  app.post('/victims/:token/unmask', needs(ctx, 'victims:read'), async (req, reply) => {
    const user = userOf(req);
    demand(user, 'victims:unmask');
    const token = (req.params as { token: string }).token;
    const input = Unmask.safeParse(req.body);
    if (!input.success)
      throw new UnspoofError(
        'REASON_REQUIRED',
        'give a reason of at least 5 characters to see the full number',
      );
    const number = ctx.sealer.open(token);
    const shown = number ? await victimPage(user, token, csrfToken(reply), true) : null;
    if (!number || !shown) return reply.callNotFound();
    // Every number the page shows in full is audited, each by its keyed hash: the victim's,
    // and the rival reading (and a confirmation's other reading) of a number that needs review.
    const id = (n: string) => `victim:${ctx.sealer.stableId(n)}`;
    const listed = listedFrom(shown.victim);
    const rival = listed.alt_number && shown.others.includes(listed.alt_number);
    const more = shown.others.filter((n) => n !== listed.alt_number);
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: 'unmask',
        target: id(number),
        reason: input.data.reason,
        detail: {
          ...(rival ? { rival: id(listed.alt_number as string) } : {}),
          ...(more.length ? { readings: more.map(id) } : {}),
        },
      },
      ctx.fx.now(),
    );
    return reply.type('text/html').header('cache-control', 'no-store').send(shown.page);
  });
}

/**
 * A call's disposition as the switch recorded it, how many legs it had, and whether the record
 * contradicts itself (docs/switch-records.md §1, §2): the evidence behind "Answered".
 */
function recordedAs(c: Record<string, unknown>): string {
  const legs = Number(c.legs ?? 1);
  return [
    c.disposition == null ? 'no disposition' : String(c.disposition),
    legs > 1 ? `${legs} legs` : '',
    c.disposition_conflict ? 'contradicts its times' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The look-up form: a number (in any form; a national one with its country) and a reason. */
function lookupForm(csrf: string, countries: string[]): Html {
  return html`<form method="post" action="/victims/lookup" class="lookup">
    ${csrfField(csrf)}
    <label for="lookup-number">Look up a number</label>
    <input
      id="lookup-number"
      name="number"
      inputmode="tel"
      autocomplete="off"
      maxlength="40"
      required
    />
    <label for="lookup-country">Its country, if written nationally</label>
    <select id="lookup-country" name="country">
      <option value="">(written in full)</option>
      ${countries.map((c) => html`<option value="${c}">${c}</option>`)}
    </select>
    <label for="lookup-reason">Reason (goes to the audit log)</label>
    <input id="lookup-reason" name="reason" minlength="5" maxlength="500" required />
    <button type="submit">Look up</button>
  </form>`;
}
