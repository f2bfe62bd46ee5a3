/** Crews: the list, and one crew with its members, its graph and its notes. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { html } from '../../shared/html.ts';
import { notesSection } from '../annotations.ts';
import { crewMembers, listCrews, PAGE_SIZE } from '../data.ts';
import { NODE_TYPES } from '../graph.ts';
import { fmt, PageNumber, pager, thead } from '../layout.ts';
import { csrfToken, needs, sendPage, userOf, type Ctx } from '../http.ts';

const CrewId = z.string().min(1).max(40);
const Page = z.object({ page: PageNumber });

export async function crewRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/crews', needs(ctx, 'crews:read'), async (req, reply) => {
    const user = userOf(req);
    const { page } = Page.parse(req.query);
    const { rows: crews, total } = await listCrews(ctx.analysis, ctx.caches.memo, page);
    const body = html`<table class="data" id="crews">
        <caption>
          Crews: accounts linked by shared identifiers
        </caption>
        ${thead(['Crew', 'Members', 'Priority members', 'Top score', 'Paid (GBP)', 'Likely victims'])}
        <tbody>
          ${crews.map(
            (c) =>
              html`<tr>
                <td><a href="/crews/${encodeURIComponent(String(c.crew_id))}">${c.crew_id}</a></td>
                <td class="num">${fmt(c.members)}</td>
                <td class="num">${fmt(c.priority_members)}</td>
                <td class="num">${fmt(c.top_score)}</td>
                <td class="num">${fmt(c.paid_gbp)}</td>
                <td class="num">${fmt(c.likely_victims)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${pager('/crews', {}, page, total, PAGE_SIZE)}`;
    return sendPage(ctx, reply, { title: 'Crews', user, current: '/crews' }, body);
  });

  app.get('/crews/:id', needs(ctx, 'crews:read'), async (req, reply) => {
    const user = userOf(req);
    const id = CrewId.parse((req.params as { id: string }).id);
    const members = await crewMembers(ctx.analysis, id);
    if (members.length === 0) return reply.callNotFound();
    const csrf = csrfToken(reply);
    const body = html` <div
        class="graph"
        id="crew-graph"
        data-src="/crews/${encodeURIComponent(id)}/graph.json"
        role="img"
        aria-label="Graph of crew ${id}"
      ></div>
      <ul class="legend">
        ${NODE_TYPES.map((t) => html`<li><span class="swatch swatch-${t}"></span>${t}</li>`)}
      </ul>
      <table class="data">
        <caption>
          Members
        </caption>
        ${thead(['Account', 'Score', 'Priority', 'Country', 'Paid (GBP)', 'Likely', 'Harmed'])}
        <tbody>
          ${members.map(
            (m) =>
              html`<tr>
                <td>
                  <a href="/suspects/${encodeURIComponent(String(m.account_id))}"
                    >${m.account_id}</a
                  >
                </td>
                <td class="num">${fmt(m.score)}</td>
                <td>${m.priority}</td>
                <td>${m.country}</td>
                <td class="num">${fmt(m.paid_gbp)}</td>
                <td class="num">${fmt(m.likely_victims)}</td>
                <td class="num">${fmt(m.harmed_victims)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${await notesSection(ctx, user, csrf, 'crew', id, `/crews/${encodeURIComponent(id)}`)}`;
    return sendPage(ctx, reply, { title: `Crew ${id}`, user, csrf, current: '/crews' }, body);
  });
}
