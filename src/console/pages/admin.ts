/** Quarantine review, case information and the audit log. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listAudit } from '../../audit/audit.ts';
import { caseInfo } from '../../case/info.ts';
import { html } from '../../shared/html.ts';
import { annotationRoutes, notesSection } from '../annotations.ts';
import { PAGE_SIZE, quarantinePage } from '../data.ts';
import { fmt, layout, pager } from '../layout.ts';
import { guard, type Ctx } from '../server.ts';

const Page = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

export async function adminRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  await annotationRoutes(app, ctx);

  app.get('/quarantine', async (req, reply) => {
    const user = guard(ctx, req, reply, 'quarantine:read');
    if (!user) return reply;
    const { page } = Page.parse(req.query);
    const q = await quarantinePage(ctx.analysis, page);
    const csrf = reply.generateCsrf();
    const body = html` <table class="data">
        <caption>
          Quarantined rows by reason
        </caption>
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col">Rows</th>
          </tr>
        </thead>
        <tbody>
          ${q.reasons.map(
            (r) =>
              html`<tr>
                <td>${r.reason}</td>
                <td class="num">${fmt(r.n)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <table class="data" id="quarantine">
        <caption>
          Rows, as seized
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Line</th>
            <th scope="col">Reason</th>
            <th scope="col">Detail</th>
            <th scope="col">Raw</th>
          </tr>
        </thead>
        <tbody>
          ${q.rows.map(
            (r) =>
              html`<tr>
                <td>${r.file}</td>
                <td class="num">${r.line}</td>
                <td>${r.reason}</td>
                <td>${r.detail}</td>
                <td><code class="raw">${r.raw}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${pager('/quarantine', {}, page, q.total, PAGE_SIZE)}
      ${await notesSection(ctx, user, csrf, 'quarantine', 'review', '/quarantine')}`;
    return reply.type('text/html').send(
      layout(
        {
          title: 'Quarantine review',
          user,
          csrf,
          synthetic: ctx.synthetic,
          current: '/quarantine',
        },
        body,
      ),
    );
  });

  app.get('/case', async (req, reply) => {
    const user = guard(ctx, req, reply, 'case:read');
    if (!user) return reply;
    const info = await ctx.analysis.read((conn) => caseInfo(conn));
    const body = html`<dl class="facts">
        ${Object.entries(info.totals).map(
          ([k, v]) =>
            html`<div>
              <dt>${k.replaceAll('_', ' ')}</dt>
              <dd>${fmt(v)}</dd>
            </div>`,
        )}
      </dl>
      <table class="data">
        <caption>
          Files of the seized export
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Kind</th>
            <th scope="col">Format</th>
            <th scope="col">Rows</th>
            <th scope="col">Loaded</th>
            <th scope="col">Quarantined</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          ${info.files.map(
            (f) =>
              html`<tr>
                <td>${f.file}</td>
                <td>${f.kind}</td>
                <td>${f.format}</td>
                <td class="num">${fmt(f.rows)}</td>
                <td class="num">${fmt(f.loaded)}</td>
                <td class="num">${fmt(f.quarantined)}</td>
                <td><code>${f.sha256}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    return reply.type('text/html').send(
      layout(
        {
          title: 'Case',
          user,
          csrf: reply.generateCsrf(),
          synthetic: ctx.synthetic,
          current: '/case',
        },
        body,
      ),
    );
  });

  app.get('/audit', async (req, reply) => {
    const user = guard(ctx, req, reply, 'audit:read');
    if (!user) return reply;
    const { page } = Page.parse(req.query);
    const [count] = await ctx.ops.query<{ n: string }>('SELECT count(*)::text AS n FROM audit');
    const total = Number(count?.n ?? 0);
    // Newest first.
    const rows = (
      await listAudit(ctx.ops, { offset: Math.max(0, total - page * PAGE_SIZE), limit: PAGE_SIZE })
    ).reverse();
    const body = html`<table class="data" id="audit">
        <caption>
          The audit log, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">At (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td class="num">${r.id}</td>
                <td>${r.at.slice(0, 19).replace('T', ' ')}</td>
                <td>${r.actor}</td>
                <td>${r.action}</td>
                <td>${r.target ?? ''}</td>
                <td>${r.reason ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${pager('/audit', {}, page, total, PAGE_SIZE)}`;
    return reply.type('text/html').send(
      layout(
        {
          title: 'Audit log',
          user,
          csrf: reply.generateCsrf(),
          synthetic: ctx.synthetic,
          current: '/audit',
        },
        body,
      ),
    );
  });
}
