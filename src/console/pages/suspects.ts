/** Suspects: the sortable, filterable list (paged on the server) and the suspect page. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { can, maskNumber, scope } from '../../authz/policy.ts';
import { SCORE_FORMULA } from '../../report/report.ts';
import { html, type Html } from '../../shared/html.ts';
import { notesSection } from '../annotations.ts';
import { AccountId, listSuspects, PAGE_SIZE, suspect, SUSPECT_SORTS } from '../data.ts';
import { crewGraph, neighbours, NODE_TYPES } from '../graph.ts';
import { fmt, PageNumber, pager, thead } from '../layout.ts';
import { csrfToken, needs, sendPage, userOf, type Ctx } from '../http.ts';
import { Country } from '../../users/roles.ts';

const ListQuery = z.object({
  country: Country.optional().catch(undefined),
  priority: z.enum(['1']).optional().catch(undefined),
  crew: z.string().max(40).optional().catch(undefined),
  sort: z.enum(SUSPECT_SORTS).catch('score'),
  dir: z.enum(['asc', 'desc']).catch('desc'),
  page: PageNumber,
});

export async function suspectRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/suspects', needs(ctx, 'suspects:read'), async (req, reply) => {
    const user = userOf(req);
    const q = ListQuery.parse(req.query);
    const filter = {
      country: q.country ?? null,
      priority: q.priority === '1',
      crew: q.crew || null,
      sort: q.sort,
      dir: q.dir,
    };
    const key = `suspects|${scope(user) ?? ''}|${can(user, 'crews:read')}|${JSON.stringify(q)}`;
    const body = (await ctx.caches.page(key, async () => {
      const { rows, total } = await listSuspects(
        ctx.analysis,
        filter,
        scope(user),
        q.page,
        can(user, 'crews:read'),
      );
      const query = {
        country: q.country ?? null,
        priority: q.priority ?? null,
        crew: q.crew ?? null,
        sort: q.sort,
        dir: q.dir,
      };
      const sortLink = (col: (typeof SUSPECT_SORTS)[number], label: string) => {
        const dir = q.sort === col && q.dir === 'desc' ? 'asc' : 'desc';
        const p = new URLSearchParams(
          Object.entries({ ...query, sort: col, dir }).filter(([, v]) => v) as Array<
            [string, string]
          >,
        );
        return html`<th
          scope="col"
          aria-sort="${q.sort === col ? (q.dir === 'desc' ? 'descending' : 'ascending') : 'none'}"
        >
          <a href="/suspects?${p.toString()}">${label}</a>
        </th>`;
      };
      return html` <form method="get" action="/suspects" class="filters">
          <label for="country">Country</label>
          <input
            id="country"
            name="country"
            value="${q.country ?? ''}"
            size="3"
            maxlength="2"
            pattern="[A-Z]{2}"
          />
          <label for="crew">Crew</label>
          <input id="crew" name="crew" value="${q.crew ?? ''}" size="10" />
          <label
            ><input type="checkbox" name="priority" value="1" ${q.priority ? html`checked` : ''} />
            Priority only</label
          >
          <input type="hidden" name="sort" value="${q.sort}" /><input
            type="hidden"
            name="dir"
            value="${q.dir}"
          />
          <button type="submit">Filter</button>
        </form>
        <table class="data" id="suspects">
          <caption>
            Suspects, by ${q.sort.replaceAll('_', ' ')} (${q.dir === 'desc' ? 'highest' : 'lowest'}
            first)
          </caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              ${sortLink('score', 'Score')}
              <th scope="col">Priority</th>
              <th scope="col">Country</th>
              ${sortLink('paid_gbp', 'Paid (GBP)')}${sortLink('calls', 'Calls')}${sortLink('likely_victims', 'Likely victims')}
              ${sortLink('harmed_victims', 'Harmed')}${sortLink('linked_accounts', 'Linked')}
              <th scope="col">Crew</th>
              ${sortLink('last_activity', 'Last active')}
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td>
                    <a href="/suspects/${encodeURIComponent(String(r.account_id))}"
                      >${r.account_id}</a
                    >
                  </td>
                  <td class="num">${fmt(r.score)}</td>
                  <td>${r.priority}</td>
                  <td>${r.country}</td>
                  <td class="num">${fmt(r.paid_gbp)}</td>
                  <td class="num">${fmt(r.calls)}</td>
                  <td class="num">${fmt(r.likely_victims)}</td>
                  <td class="num">${fmt(r.harmed_victims)}</td>
                  <td class="num">${fmt(r.linked_accounts)}</td>
                  <td>
                    ${r.crew_id ? (can(user, 'crews:read') ? html`<a href="/crews/${encodeURIComponent(String(r.crew_id))}">${r.crew_id}</a>` : r.crew_id) : ''}
                  </td>
                  <td>${fmt(r.last_activity).slice(0, 10)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${pager('/suspects', query, q.page, total, PAGE_SIZE)}`;
    })) as Html;
    return sendPage(ctx, reply, { title: 'Suspects', user, current: '/suspects' }, body);
  });

  app.get('/suspects/:id', needs(ctx, 'suspects:read'), async (req, reply) => {
    const user = userOf(req);
    const id = AccountId.parse((req.params as { id: string }).id);
    // `?page=N`: the page of the victims it reached.
    const page = PageNumber.parse((req.query as { page?: unknown }).page);
    const crewsVisible = can(user, 'crews:read');
    const key = `suspect|${id}|${scope(user) ?? ''}|${crewsVisible}|${can(user, 'victims:read')}|${page}`;
    const body = await ctx.caches.page(key, async () => {
      const s = await suspect(ctx.analysis, id, scope(user), page, can(user, 'crews:read'));
      if (!s) return null;
      const r = s.suspect;
      const maxPoints = Math.max(1e-9, ...s.breakdown.map((b) => b.points));
      const crews = can(user, 'crews:read');
      return html` <p class="lede">
          Score
          <strong>${fmt(r.score)}</strong
          >${r.priority ? html` · priority: <strong>${r.priority}</strong>` : ''} · registered in
          ${r.country || 'an unknown country'} as “${r.username}” on
          ${fmt(r.created_at).slice(0, 10)}, plan ${r.plan}
          ${r.crew_id && crews ? html` · crew <a href="/crews/${encodeURIComponent(String(r.crew_id))}">${r.crew_id}</a>` : ''}
        </p>
        <section aria-labelledby="score-h">
          <h2 id="score-h">Score, component by component</h2>
          <p class="note">${SCORE_FORMULA}</p>
          <table class="data breakdown">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Value</th>
                <th scope="col">Points</th>
                <th scope="col"><span class="visually-hidden">Share</span></th>
              </tr>
            </thead>
            <tbody>
              ${s.breakdown.map(
                (b) =>
                  html`<tr>
                    <th scope="row">${b.component}</th>
                    <td class="num">${fmt(b.value)}</td>
                    <td class="num">${fmt(b.points)}</td>
                    <td>
                      <meter
                        min="0"
                        max="${maxPoints}"
                        value="${b.points}"
                        aria-label="${b.component} points"
                      >
                        ${fmt(b.points)}
                      </meter>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </section>
        ${
          crews && r.crew_id
            ? html`<section aria-labelledby="graph-h">
                <h2 id="graph-h">Crew ${r.crew_id}</h2>
                <p class="note">
                  Accounts and the identifiers they share. Scroll to zoom, drag to pan, click an
                  account to open it; “Expand” adds its links outside the crew.
                </p>
                <div
                  class="graph"
                  id="crew-graph"
                  data-src="/crews/${encodeURIComponent(String(r.crew_id))}/graph.json"
                  data-focus="account:${id}"
                  role="img"
                  aria-label="Graph of crew ${r.crew_id}"
                ></div>
                <ul class="legend">
                  ${NODE_TYPES.map((t) => html`<li><span class="swatch swatch-${t}"></span>${t}</li>`)}
                </ul>
              </section>`
            : ''
        }
        <section aria-labelledby="timeline-h">
          <h2 id="timeline-h">Over time</h2>
          <p>
            ${s.hoursWithCalls.toLocaleString('en-GB')} hours with calls; peak
            ${fmt(r.peak_calls_per_minute)} calls in a minute.
            <a href="/suspects/${encodeURIComponent(id)}/timeline"
              >Its calls, payments, logins and captures on a timeline</a
            >.
          </p>
        </section>
        <section aria-labelledby="pay-h">
          <h2 id="pay-h">Payments</h2>
          <table class="data">
            ${thead(['Paid at', 'GBP', 'BTC', 'Wallet', 'Plan'])}
            <tbody>
              ${s.payments.map(
                (p) =>
                  html`<tr>
                    <td>${fmt(p.paid_at)}</td>
                    <td class="num">${fmt(p.value_gbp)}</td>
                    <td class="num">${fmt(p.amount_btc)}</td>
                    <td><code>${p.btc_address}</code></td>
                    <td>${p.plan}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="logins-h">
          <h2 id="logins-h">Logins</h2>
          <table class="data">
            ${thead(['IP', 'User agent', 'Logins', 'First', 'Last'])}
            <tbody>
              ${s.logins.map(
                (l) =>
                  html`<tr>
                    <td><code>${l.ip}</code></td>
                    <td>${l.user_agent}</td>
                    <td class="num">${fmt(l.logins)}</td>
                    <td>${fmt(l.first_seen)}</td>
                    <td>${fmt(l.last_seen)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </section>
        ${
          crews
            ? html`<section aria-labelledby="links-h">
                <h2 id="links-h">Linked accounts and the evidence of each link</h2>
                <table class="data">
                  ${thead(['Account', 'Shared', 'Identifier', 'First seen', 'Last seen'])}
                  <tbody>
                    ${s.links.map(
                      (l) =>
                        html`<tr>
                          <td>
                            <a href="/suspects/${encodeURIComponent(String(l.account_id))}"
                              >${l.account_id}</a
                            >
                          </td>
                          <td>${l.type}</td>
                          <td><code>${l.value}</code></td>
                          <td>${fmt(l.first_seen)}</td>
                          <td>${fmt(l.last_seen)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </section>`
            : ''
        }
        <section aria-labelledby="victims-h">
          <h2 id="victims-h">Victims it reached</h2>
          <table class="data">
            ${thead(['Number', 'Country', 'Tier', 'Calls', 'Connected (s)', 'First call'])}
            <tbody>
              ${s.victims.map(
                (v) =>
                  html`<tr>
                    <td>
                      ${can(user, 'victims:read') ? html`<a href="/victims/${ctx.sealer.seal(String(v.number))}">${maskNumber(String(v.number))}</a>` : maskNumber(String(v.number))}
                    </td>
                    <td>${v.country}</td>
                    <td>${v.tier}</td>
                    <td class="num">${fmt(v.calls)}</td>
                    <td class="num">${fmt(v.connected_seconds)}</td>
                    <td>${fmt(v.first_call_at)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${pager(`/suspects/${encodeURIComponent(id)}`, {}, page, s.victimsTotal, PAGE_SIZE)}
        </section>`;
    });
    if (!body) return reply.callNotFound();
    const csrf = csrfToken(reply);
    // Notes change while the console runs: never part of the cached fragment.
    const notes = await notesSection(
      ctx,
      user,
      csrf,
      'suspect',
      id,
      `/suspects/${encodeURIComponent(id)}`,
    );
    return sendPage(ctx, reply, { title: `Suspect ${id}`, user, csrf, current: '/suspects' }, [
      body,
      notes,
    ]);
  });

  app.get('/crews/:id/graph.json', needs(ctx, 'crews:read'), async (req, reply) => {
    const graph = await crewGraph(ctx.analysis, AccountId.parse((req.params as { id: string }).id));
    // No such crew: not found, as its page is (an empty graph would pass for a crew of none).
    if (graph.nodes.length === 0) return reply.callNotFound();
    return graph;
  });

  app.get('/accounts/:id/neighbours.json', needs(ctx, 'crews:read'), async (req) => {
    return neighbours(ctx.analysis, AccountId.parse((req.params as { id: string }).id));
  });
}
