/** Quarantine review, case information and the audit log. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { latestEntry, listAudit, recordAudit } from '../../audit/audit.ts';
import { checkLive } from '../../audit/live.ts';
import { latestCheckpoint, logKey } from '../../audit/tree.ts';
import { maskNumbersIn, scope } from '../../authz/policy.ts';
import { html, type Html } from '../../shared/html.ts';
import { annotationRoutes, notesSection } from '../annotations.ts';
import { caseFacts, PAGE_SIZE, quarantinePage, quarantineRow } from '../data.ts';
import { csrfField, fmt, PageNumber, pager, thead } from '../layout.ts';
import { csrfToken, needs, sendPage, userOf, type Ctx } from '../http.ts';

const Page = z.object({ page: PageNumber });
const QuarantineQuery = Page.extend({
  reason: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .catch(undefined),
});
const RowParams = z.object({
  file: z.coerce.number().int().min(0),
  line: z.coerce.number().int().min(1),
});

/** How many notes each quarantined row has (`file_id:line` → count). */
async function notedRows(ctx: Ctx): Promise<Map<string, number>> {
  const rows = await ctx.ops.query<{ target_id: string; n: string }>(
    `SELECT target_id, count(*)::text AS n FROM annotations WHERE target_type = 'quarantine' GROUP BY target_id`,
  );
  return new Map(rows.map((r) => [r.target_id, Number(r.n)]));
}

export async function adminRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  await annotationRoutes(app, ctx);

  app.get('/quarantine', needs(ctx, 'quarantine:read'), async (req, reply) => {
    const user = userOf(req);
    const { page, reason } = QuarantineQuery.parse(req.query);
    const q = await quarantinePage(ctx.analysis, reason ?? null, page);
    const noted = await notedRows(ctx);
    const body = html`<table class="data">
        <caption>
          Quarantined rows by reason
        </caption>
        ${thead(['Reason', 'Rows'])}
        <tbody>
          ${q.reasons.map(
            (r) =>
              html`<tr>
                <td><a href="/quarantine?reason=${String(r.reason)}">${r.reason}</a></td>
                <td class="num">${fmt(r.n)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <table class="data" id="quarantine">
        <caption>
          Rows, as seized${reason ? `: ${reason}` : ''}
        </caption>
        ${thead(['File', 'Line', 'Reason', 'Detail', 'Raw', 'Notes'])}
        <tbody>
          ${q.rows.map((r) => {
            const id = `${String(r.file_id)}:${String(r.line)}`;
            return html`<tr>
              <td>${r.file}</td>
              <td class="num">${r.line}</td>
              <td>${r.reason}</td>
              <td>${maskNumbersIn(String(r.detail ?? ''))}</td>
              <td><code class="raw">${maskNumbersIn(String(r.raw ?? ''))}</code></td>
              <td>
                <a href="/quarantine/${String(r.file_id)}/${String(r.line)}"
                  >${noted.get(id) ? `${noted.get(id)} note(s)` : 'Review'}</a
                >
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${pager('/quarantine', { reason: reason ?? null }, page, q.total, PAGE_SIZE)}`;
    return sendPage(ctx, reply, { title: 'Quarantine review', user, current: '/quarantine' }, body);
  });

  app.get('/quarantine/:file/:line', needs(ctx, 'quarantine:read'), async (req, reply) => {
    const user = userOf(req);
    const p = RowParams.safeParse(req.params);
    const row = p.success ? await quarantineRow(ctx.analysis, p.data.file, p.data.line) : null;
    if (!p.success || !row) return reply.callNotFound();
    const id = `${p.data.file}:${p.data.line}`;
    const csrf = csrfToken(reply);
    const body = html`<dl class="facts">
        <div>
          <dt>File</dt>
          <dd>${row.file}</dd>
        </div>
        <div>
          <dt>Line</dt>
          <dd>${row.line}</dd>
        </div>
        <div>
          <dt>Reason</dt>
          <dd>${row.reason}</dd>
        </div>
        <div>
          <dt>Detail</dt>
          <dd>${row.detail}</dd>
        </div>
      </dl>
      <h2>As seized</h2>
      <p><code class="raw">${maskNumbersIn(String(row.raw ?? ''))}</code></p>
      ${await notesSection(ctx, user, csrf, 'quarantine', id, `/quarantine/${p.data.file}/${p.data.line}`)}`;
    return sendPage(
      ctx,
      reply,
      {
        title: `Quarantined row ${String(row.file)}:${p.data.line}`,
        user,
        csrf,
        current: '/quarantine',
      },
      body,
    );
  });

  app.get('/case', needs(ctx, 'case:read'), async (req, reply) => {
    const user = userOf(req);
    // The owning unit's case-wide totals, or a partner's country's slice (data.ts caseFacts).
    const info = await caseFacts(ctx.analysis, ctx.caches.memo, scope(user));
    const counts = scope(user) === null;
    const body = html`${counts ? '' : html`<p>Figures for ${scope(user)} only.</p>`}
      <dl class="facts">
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
        ${thead(
          counts
            ? ['File', 'Kind', 'Format', 'Rows', 'Loaded', 'Quarantined', 'SHA-256']
            : ['File', 'Kind', 'Format', 'SHA-256'],
        )}
        <tbody>
          ${info.files.map(
            (f) =>
              html`<tr>
                <td>${f.file}</td>
                <td>${f.kind}</td>
                <td>${f.format}</td>
                ${
                  counts
                    ? html`<td class="num">${fmt(f.rows)}</td>
                        <td class="num">${fmt(f.loaded)}</td>
                        <td class="num">${fmt(f.quarantined)}</td>`
                    : ''
                }
                <td><code>${f.sha256}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    return sendPage(ctx, reply, { title: 'Case', user, current: '/case' }, body);
  });

  app.get('/audit', needs(ctx, 'audit:read'), async (req, reply) => {
    const user = userOf(req);
    const { page } = Page.parse(req.query);
    const [count] = await ctx.ops.query<{ n: string }>('SELECT count(*)::text AS n FROM audit');
    const total = Number(count?.n ?? 0);
    // Newest first.
    const rows = (
      await listAudit(ctx.ops, {
        offset: Math.max(0, total - page * PAGE_SIZE),
        limit: Math.max(0, Math.min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE)),
      })
    ).reverse();
    const checkpoint = await checkpointSection(ctx, csrfToken(reply), req.query);
    const body = html`${checkpoint}
      <table class="data" id="audit">
        <caption>
          The audit log, newest first
        </caption>
        ${thead(['#', 'At (UTC)', 'Who', 'Action', 'Target', 'Reason'])}
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
    return sendPage(ctx, reply, { title: 'Audit log', user, current: '/audit' }, body);
  });

  // The latest checkpoint and the log's verifier key, as files to hand to a partner or a court.
  app.get('/audit/checkpoint.txt', needs(ctx, 'audit:read'), async (_req, reply) => {
    const cp = await latestCheckpoint(ctx.ops);
    if (!cp) return reply.callNotFound();
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="checkpoint-${cp.size}.txt"`)
      .send(cp.note);
  });
  app.get('/audit/log.vkey', needs(ctx, 'audit:read'), async (_req, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.vkey"')
      .send(`${(await logKey(ctx.ops)).vkey}\n`),
  );

  // Verifies the live log against the latest checkpoint; the outcome is audited and shown.
  app.post('/audit/verify', needs(ctx, 'audit:read'), async (req, reply) => {
    const user = userOf(req);
    const cp = await latestCheckpoint(ctx.ops);
    if (!cp) return reply.redirect('/audit?verified=none', 303);
    const r = await checkLive(ctx.ops, cp.note);
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: 'audit_verify',
        target: `checkpoint:${cp.id}`,
        detail: { entries: r.entries, size: r.size, problems: r.problems },
      },
      ctx.fx.now(),
    );
    return reply.redirect(`/audit?verified=${r.problems.length ? 'broken' : 'ok'}`, 303);
  });
}

const Verified = z.object({
  verified: z.enum(['ok', 'broken', 'none']).optional().catch(undefined),
});

/** The latest checkpoint, the verify action, and the outcome of the last verification asked. */
async function checkpointSection(ctx: Ctx, csrf: string, query: unknown): Promise<Html> {
  const cp = await latestCheckpoint(ctx.ops);
  const { verified } = Verified.parse(query ?? {});
  const last =
    verified === 'ok' || verified === 'broken' ? await latestEntry(ctx.ops, 'audit_verify') : null;
  const outcome =
    verified === 'none'
      ? html`<p role="status">No checkpoint has been written yet: nothing to verify against.</p>`
      : last
        ? (last.detail.problems as string[]).length
          ? html`<div class="alarm" role="alert">
              <p>The audit log does not verify against the latest checkpoint:</p>
              <ul>
                ${(last.detail.problems as string[]).map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : html`<p role="status">
              Verified: the log (${fmt(last.detail.entries)} entries) extends the checkpoint’s
              ${fmt(last.detail.size)} unchanged.
            </p>`
        : '';
  return html`<section aria-labelledby="checkpoint-h">
    <h2 id="checkpoint-h">Latest checkpoint</h2>
    ${
      cp
        ? html`<p>
              Signed ${cp.at.slice(0, 19).replace('T', ' ')} UTC at ${fmt(cp.size)} entries
              (${cp.reason}). A partner or a court who keeps it can check later, with the log’s
              verifier key alone, that nothing before it was removed or rewritten.
            </p>
            <pre class="note">${cp.note}</pre>
            <p>
              <a href="/audit/checkpoint.txt">Download the checkpoint</a> ·
              <a href="/audit/log.vkey">Download the verifier key</a>
            </p>
            <form method="post" action="/audit/verify">
              ${csrfField(csrf)}<button type="submit">Verify the log against it</button>
            </form>`
        : html`<p>
            No checkpoint yet: one is signed at each ingest, analysis, approval and export.
          </p>`
    }
    ${outcome}
  </section>`;
}
