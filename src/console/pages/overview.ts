/** Overview: the headline figures and the charts of the report, rendered once per server start. */
import type { FastifyInstance } from 'fastify';
import {
  callsPerDay,
  horizontalBars,
  revenuePerMonth,
  svgOf,
  victimsByTierAndCountry,
} from '../../report/charts.ts';
import { reportData } from '../../report/data.ts';
import { html, raw, type Html } from '../../shared/html.ts';
import { fmt } from '../layout.ts';
import { guard, sendPage, type Ctx } from '../http.ts';
import { can } from '../../authz/policy.ts';
import { NAV } from '../layout.ts';

export async function overviewRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  // One overview with the figures about suspects, one without (for roles that may not see them).
  const bodies = new Map<boolean, Promise<Html>>();
  app.get('/', async (req, reply) => {
    const signedIn = req.session?.user;
    // A role without the overview lands on the first page it may open.
    if (signedIn && !can(signedIn, 'overview:read')) {
      const first = NAV.find(([, , action]) => can(signedIn, action));
      if (first) return reply.redirect(first[0], 303);
    }
    const user = guard(ctx, req, reply, 'overview:read');
    if (!user) return reply;
    const intelligence = can(user, 'suspects:read');
    let body = bodies.get(intelligence);
    if (!body) {
      body = render(ctx, intelligence).catch((e: unknown) => {
        bodies.delete(intelligence);
        throw e;
      });
      bodies.set(intelligence, body);
    }
    return sendPage(ctx, reply, { title: 'Overview', user, current: '/' }, await body);
  });
}

async function render(ctx: Ctx, intelligence: boolean): Promise<Html> {
  const d = await ctx.analysis.read((conn) => reportData(conn, 0, 0));
  const h = d.headline;
  const s = d.stats;
  const figures: Array<[string, string, Promise<string>]> = [
    ['calls-per-day', 'Calls per day', svgOf(callsPerDay(s.days ?? []))],
    [
      'destination-countries',
      'Calls by destination country',
      svgOf(horizontalBars(s.calls_by_country ?? [], 'country', 'calls', 'calls')),
    ],
    [
      'brands',
      'Brands impersonated',
      svgOf(horizontalBars((s.brands ?? []).slice(0, 20), 'brand', 'calls', 'calls')),
    ],
    ...(intelligence
      ? ([
          [
            'revenue-per-month',
            'Revenue of the service per month',
            svgOf(revenuePerMonth(s.months ?? [])),
          ],
        ] as Array<[string, string, Promise<string>]>)
      : []),
    [
      'victims-by-tier',
      'Victims by tier and country',
      svgOf(victimsByTierAndCountry(d.tiersByCountry)),
    ],
  ];
  const headline: Array<[string, unknown]> = [
    ['Calls', h.calls],
    ['Answered calls', h.answered_calls],
    ['Service accounts', h.accounts],
    ['Victims (every tier)', h.victims],
    ['Harmed: a code was captured', h.harmed],
    ['Likely victims', h.likely],
    ...(intelligence
      ? ([
          ['Priority suspects', h.priority_suspects],
          ['Crews', h.crews],
          ['Service revenue (GBP)', h.revenue_gbp],
          ['Rows quarantined at ingest', h.quarantined],
        ] as Array<[string, unknown]>)
      : []),
  ];
  return html`<dl class="headline">
      ${headline.map(
        ([k, v]) =>
          html`<div>
            <dt>${k}</dt>
            <dd>${fmt(v)}</dd>
          </div>`,
      )}
    </dl>
    <p>Calls from ${fmt(h.first_call)} to ${fmt(h.last_call)}.</p>
    <div class="figures">
      ${await Promise.all(
        figures.map(
          async ([id, title, svg]) =>
            html`<figure id="${id}" class="chart">
              <figcaption>${title}</figcaption>
              ${raw(await svg)}
            </figure>`,
        ),
      )}
    </div>`;
}
