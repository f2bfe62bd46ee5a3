/**
 * Requests to providers (docs/requests.md): the worklist by country and provider type, a page
 * of its rows, and one country's list as CSV (audited, as every export is).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { REQUEST_COLUMNS, requestsSql } from '../../requests/command.ts';
import { csvLine } from '../../shared/csv.ts';
import { html } from '../../shared/html.ts';
import { PAGE_SIZE } from '../data.ts';
import { fmt, PageNumber, pager, thead } from '../layout.ts';
import { needs, sendPage, userOf, type Ctx } from '../http.ts';
import { requirePage } from '../paging.ts';

const Query = z.object({
  page: PageNumber,
  country: z
    .string()
    .regex(/^([A-Z]{2}|unknown)$/)
    .optional(),
  type: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional(),
});
const CsvQuery = z.object({ country: z.string().regex(/^([A-Z]{2}|unknown)$/) });

const cell = (v: unknown): string =>
  v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);

export async function requestRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/requests', needs(ctx, 'requests:read'), async (req, reply) => {
    const user = userOf(req);
    const q = Query.parse(req.query);
    const counts = await ctx.caches.memo('requests:counts', () =>
      ctx.analysis.rows(
        `SELECT country, provider_type, count(*) AS n, count(DISTINCT provider) AS providers
         FROM provider_requests GROUP BY ALL ORDER BY country, provider_type`,
      ),
    );
    const where: string[] = [];
    const params: Record<string, string> = {};
    if (q.country) {
      where.push('country = $country');
      params.country = q.country;
    }
    if (q.type) {
      where.push('provider_type = $type');
      params.type = q.type;
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [t] = await ctx.analysis.rows(
      `SELECT count(*) AS n FROM provider_requests ${cond}`,
      params,
    );
    const total = Number(t?.n ?? 0);
    requirePage(q.page, total, PAGE_SIZE);
    const rows = await ctx.analysis.rows(
      `SELECT ${REQUEST_COLUMNS.join(', ')} FROM provider_requests ${cond}
       ORDER BY country, provider_type, provider, identifier LIMIT ${PAGE_SIZE} OFFSET ${(q.page - 1) * PAGE_SIZE}`,
      params,
    );
    const link = (country: string, type?: string) =>
      `/requests?country=${encodeURIComponent(country)}${type ? `&type=${encodeURIComponent(type)}` : ''}`;
    const body = html`<p>
        What to ask each provider about the suspects' identifiers, by the country the evidence
        places the users in. Download a country's list as CSV to prepare its orders.
      </p>
      <table class="data" id="request-counts">
        <caption>
          Requests by country and provider type
        </caption>
        ${thead(['Country', 'Provider type', 'Providers', 'Identifiers', 'CSV'])}
        <tbody>
          ${counts.map(
            (c) =>
              html`<tr>
                <td><a href="${link(String(c.country))}">${c.country}</a></td>
                <td>
                  <a href="${link(String(c.country), String(c.provider_type))}"
                    >${c.provider_type}</a
                  >
                </td>
                <td class="num">${fmt(c.providers)}</td>
                <td class="num">${fmt(c.n)}</td>
                <td>
                  <a href="/requests.csv?country=${encodeURIComponent(String(c.country))}"
                    >${c.country}.csv</a
                  >
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <table class="data" id="requests">
        <caption>
          ${q.country ?? 'All countries'}${q.type ? html`, ${q.type}` : ''}: ${fmt(total)} requests
        </caption>
        ${thead(['Country', 'Provider', 'Identifier', 'Accounts', 'First seen', 'Last seen', 'Why'])}
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td>${r.country}</td>
                <td>${r.provider} <span class="hint">(${r.provider_type})</span></td>
                <td>${r.identifier_type}: <code>${r.identifier}</code></td>
                <td>
                  ${String(r.accounts)
                    .split(';')
                    .map((a) => html`<a href="/suspects/${encodeURIComponent(a)}">${a}</a> `)}
                </td>
                <td>${fmt(r.first_seen)}</td>
                <td>${fmt(r.last_seen)}</td>
                <td>${r.reason}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${pager('/requests', { ...(q.country ? { country: q.country } : {}), ...(q.type ? { type: q.type } : {}) }, q.page, total, PAGE_SIZE)}`;
    return sendPage(
      ctx,
      reply,
      { title: 'Requests to providers', user, current: '/requests' },
      body,
    );
  });

  app.get('/requests.csv', needs(ctx, 'requests:read'), async (req, reply) => {
    const user = userOf(req);
    const { country } = CsvQuery.parse(req.query);
    const rows = await ctx.analysis.rows(requestsSql([country]));
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: 'export',
        target: `requests:${country}`,
        detail: { rows: rows.length },
      },
      ctx.fx.now(),
    );
    const text = [
      REQUEST_COLUMNS.join(','),
      ...rows.map((r) => csvLine(REQUEST_COLUMNS.map((c) => cell(r[c])))),
    ].join('\r\n');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="requests-${country}.csv"`)
      .send(`${text}\r\n`);
  });
}
