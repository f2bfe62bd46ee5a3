/**
 * Timelines (timeline.ts): the case's (`/timeline`; a partner's: its country's suspects), a
 * suspect's (`/suspects/:id/timeline`) and a victim's (`/victims/:token/timeline`, the number
 * sealed as on the victim's page). Each is a chart of calls, payments, logins and captures in
 * the case's time zone, zoomed by `?from=&to=`, with the counts as a table beside it.
 */
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../audit/audit.ts';
import { maskNumber, scope } from '../../authz/policy.ts';
import { html, raw, type Html } from '../../shared/html.ts';
import { svgOf } from '../../report/charts.ts';
import type { User } from '../../users/roles.ts';
import { AccountId, suspectInScope } from '../data.ts';
import { needs, sendPage, userOf, type Ctx } from '../http.ts';
import { fmt } from '../layout.ts';
import {
  caseTimeZone,
  KINDS,
  moves,
  RangeQuery,
  timeline,
  timelineSpec,
  type Subject,
  type Timeline,
} from '../timeline.ts';
import { victimRow } from '../../readout/victims-table.ts';

/** The chart, the zoom links and the counts as a table, for `path` (the page's own address). */
async function timelineBody(t: Timeline, path: string): Promise<Html> {
  if (t.extent === null) return html`<p>No calls, payments, logins or captures to show.</p>`;
  const link = (from: string, to: string) =>
    `${path}?${new URLSearchParams({ from: from.slice(0, 16), to: to.slice(0, 16) }).toString()}`;
  const m = moves(t);
  const day = (s: string) => s.slice(0, 16).replace('T', ' ');
  const svg = t.rows.length ? await svgOf(timelineSpec(t, link)) : '';
  return html`<p>
      ${day(t.from)} to ${day(t.to)} (${t.timeZone}), each bar ${t.bin}:
      ${KINDS.map((k) => `${fmt(t.totals[k])} ${k}`).join(', ')}. Click a bar to zoom into it.
    </p>
    <nav class="timeline-moves" aria-label="Move the timeline">
      <a href="${link(m.earlier.from, m.earlier.to)}">Earlier</a>
      <a href="${link(m.out.from, m.out.to)}">Zoom out</a>
      <a href="${link(m.later.from, m.later.to)}">Later</a>
      ${t.extent ? html`<a href="${path}">Whole range</a>` : ''}
    </nav>
    <form method="get" action="${path}" class="filters">
      <label for="from">From</label>
      <input id="from" name="from" type="datetime-local" value="${t.from.slice(0, 16)}" />
      <label for="to">To</label>
      <input id="to" name="to" type="datetime-local" value="${t.to.slice(0, 16)}" />
      <button type="submit">Show</button>
    </form>
    ${
      t.rows.length
        ? html`<figure class="chart timeline-chart" data-chart="timeline">
            ${raw(svg)}
            <figcaption>
              Calls, payments, logins and captures over time, one row each, in ${t.timeZone}.
            </figcaption>
          </figure>`
        : html`<p>No events in this range.</p>`
    }
    <details>
      <summary>The counts as a table</summary>
      <table class="data" id="timeline-counts">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Count</th>
          </tr>
        </thead>
        <tbody>
          ${t.rows.map(
            (r) =>
              html`<tr>
                <td>${r.kind}</td>
                <td>${day(r.start)}</td>
                <td>${day(r.end)}</td>
                <td class="num">${fmt(r.n)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>`;
}

export async function timelineRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  let zone: Promise<string> | undefined;
  const timeZone = () => (zone ??= caseTimeZone(ctx.analysis, ctx.timeZone));

  /** A timeline page, its body kept per subject and range (the analysis cannot change). */
  const page = async (
    user: User,
    key: string,
    subject: Subject,
    path: string,
    title: string,
    query: unknown,
    current: string,
  ) => {
    const range = RangeQuery.parse(query);
    const tz = await timeZone();
    const body = (await ctx.caches.page(
      `timeline|${key}|${range.from ?? ''}|${range.to ?? ''}`,
      async () => timelineBody(await timeline(ctx.analysis, subject, tz, range), path),
    )) as Html;
    return { frame: { title, user, current }, body };
  };

  app.get('/timeline', needs(ctx, 'suspects:read'), async (req, reply) => {
    const user = userOf(req);
    const s = scope(user);
    const p = await page(
      user,
      `case|${s ?? ''}`,
      { kind: 'case', scope: s },
      '/timeline',
      s ? `Timeline of ${s}'s suspects` : 'Timeline of the case',
      req.query,
      '/timeline',
    );
    return sendPage(ctx, reply, p.frame, p.body);
  });

  app.get('/suspects/:id/timeline', needs(ctx, 'suspects:read'), async (req, reply) => {
    const user = userOf(req);
    const id = AccountId.parse((req.params as { id: string }).id);
    // No such suspect, or one outside a partner's country: not found alike.
    if (!(await suspectInScope(ctx.analysis, id, scope(user)))) return reply.callNotFound();
    const path = `/suspects/${encodeURIComponent(id)}/timeline`;
    const p = await page(
      user,
      `suspect|${id}`,
      { kind: 'suspect', accountId: id },
      path,
      `Timeline of suspect ${id}`,
      req.query,
      '/suspects',
    );
    return sendPage(ctx, reply, p.frame, [
      html`<p><a href="/suspects/${encodeURIComponent(id)}">Back to the suspect</a></p>`,
      p.body,
    ]);
  });

  app.get('/victims/:token/timeline', needs(ctx, 'victims:read'), async (req, reply) => {
    const user = userOf(req);
    const token = (req.params as { token: string }).token;
    const number = ctx.sealer.open(token);
    if (!number || !(await victimRow(ctx.analysis, number, scope(user))))
      return reply.callNotFound();
    // A view of one victim's calls: audited as opening the victim's page is.
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: 'victim_view',
        target: `victim:${ctx.sealer.stableId(number)}`,
        detail: { view: 'timeline' },
      },
      ctx.fx.now(),
    );
    const p = await page(
      user,
      `victim|${ctx.sealer.stableId(number)}`,
      { kind: 'victim', number },
      `/victims/${token}/timeline`,
      `Timeline of victim ${maskNumber(number)}`,
      req.query,
      '/victims',
    );
    return sendPage(ctx, reply, p.frame, [
      html`<p><a href="/victims/${token}">Back to the victim</a></p>`,
      p.body,
    ]);
  });
}
