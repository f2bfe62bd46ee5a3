/**
 * Victims' reports in the console: the inbox (with the portal's guessing alarm), reported
 * losses summed per suspect and per crew, and one report joined to its victim record and the
 * accounts that called them. Evidence is shown from its re-encoded copy; the original is a
 * download with its SHA-256. Every view of a report or a file is audited. Everything a victim
 * wrote is text, escaped like every other value (shared/html.ts).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { maskNumber } from '../../authz/policy.ts';
import { html, type Html } from '../../shared/html.ts';
import { evidenceFile } from '../../portal/evidence-store.ts';
import { openAlarms, releaseCode, type Alarm } from '../../portal/guard.ts';
import { inbox, sentReport, INBOX_PAGE } from '../../portal/inbox.ts';
import { reportedLosses } from '../../analyze/losses.ts';
import { callersOf } from '../data.ts';
import { csrfField, fmt, PageNumber, thead } from '../layout.ts';
import { csrfToken, guard, needs, sendPage, userOf, type Ctx } from '../http.ts';

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const gbp = (v: number) => v.toLocaleString('en-GB', { style: 'currency', currency: 'GBP' });

/** Accounts that called these numbers (data.ts: the calls that count for each). */
const callers = (ctx: Ctx, numbers: string[]) => callersOf(ctx.analysis, numbers);

/** Reported losses (GBP) summed per suspect and per crew: each account that called a victim. */
async function lossesBy(ctx: Ctx) {
  const losses = (await reportedLosses(ctx.ops)).slice(0, 10_000);
  const lost = new Map(losses.map((l) => [l.number, l.lost_gbp]));
  const rows = await callers(ctx, [...lost.keys()]);
  const bySuspect = new Map<string, number>();
  const byCrew = new Map<string, Set<string>>();
  for (const r of rows) {
    const account = String(r.account_id);
    bySuspect.set(account, (bySuspect.get(account) ?? 0) + (lost.get(String(r.number)) ?? 0));
    if (r.crew_id) {
      const set = byCrew.get(String(r.crew_id)) ?? new Set<string>();
      set.add(String(r.number));
      byCrew.set(String(r.crew_id), set);
    }
  }
  const top = <T>(m: Map<string, T>, value: (v: T) => number) =>
    [...m]
      .map(([k, v]) => [k, value(v)] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10);
  return {
    suspects: top(bySuspect, (v) => v),
    // A crew's loss counts each victim once, however many of its accounts called them.
    crews: top(byCrew, (numbers) => [...numbers].reduce((s, n) => s + (lost.get(n) ?? 0), 0)),
  };
}

export async function reportRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/reports', needs(ctx, 'reports:read'), async (req, reply) => {
    const user = userOf(req);
    const page = PageNumber.parse((req.query as { page?: string }).page);
    const csrf = csrfToken(reply);
    const [{ rows, total }, alarms, losses] = await Promise.all([
      inbox(ctx.ops, page),
      openAlarms(ctx.ops),
      lossesBy(ctx),
    ]);
    const canAck = user.role === 'supervisor';
    const body = html`${alarms.map((a) => alarmBox(a, canAck, csrf))}
      <div class="columns">
        <table class="data" id="losses-suspects">
          <caption>
            Reported losses by suspect (every account that called the victim)
          </caption>
          ${thead(['Account', 'Reported lost'])}
          <tbody>
            ${losses.suspects.map(
              ([id, v]) =>
                html`<tr>
                  <td><a href="/suspects/${encodeURIComponent(id)}">${id}</a></td>
                  <td class="num">${gbp(v)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <table class="data" id="losses-crews">
          <caption>
            Reported losses by crew (each victim once)
          </caption>
          ${thead(['Crew', 'Reported lost'])}
          <tbody>
            ${losses.crews.map(
              ([id, v]) =>
                html`<tr>
                  <td><a href="/crews/${encodeURIComponent(id)}">${id}</a></td>
                  <td class="num">${gbp(v)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <table class="data" id="reports">
        <caption>
          Reports sent by victims (${fmt(total)}), newest first
        </caption>
        ${thead(['Crime reference', 'Sent (UTC)', 'Victim', 'Country', 'Brand named', 'Lost (GBP)', 'Files'])}
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td><a href="/reports/${r.id}">${r.crimeRef}</a></td>
                <td>${r.submittedAt.slice(0, 16).replace('T', ' ')}</td>
                <td>${maskNumber(r.number)}</td>
                <td>${r.country}</td>
                <td>${r.brand ?? ''}</td>
                <td class="num">${gbp(r.lostGbp)}</td>
                <td class="num">${fmt(r.evidence)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${total > page * INBOX_PAGE ? html`<p><a href="/reports?page=${page + 1}">Next page</a></p>` : ''}`;
    return sendPage(ctx, reply, { title: 'Victim reports', user, current: '/reports', csrf }, body);
  });

  app.post('/reports/alarms/:id/ack', needs(ctx, 'portal:alarms'), async (req, reply) => {
    const user = userOf(req);
    const id = Id.parse((req.params as { id: string }).id);
    await ctx.ops.transaction(async (tx) => {
      await tx.query(
        'UPDATE portal_alarms SET acknowledged_by = $2, acknowledged_at = $3 WHERE id = $1 AND acknowledged_at IS NULL',
        [id, user.id, ctx.fx.now().toISOString()],
      );
    });
    await recordAudit(
      ctx.ops,
      { actor: user.name, action: 'portal_alarm_ack', target: `alarm:${id}` },
      ctx.fx.now(),
    );
    return reply.redirect('/reports', 303);
  });

  app.post('/reports/alarms/:id/release', needs(ctx, 'portal:alarms'), async (req, reply) => {
    const user = userOf(req);
    const id = Id.parse((req.params as { id: string }).id);
    if (!(await releaseCode(ctx.ops, id, user, ctx.fx.now()))) return reply.callNotFound();
    return reply.redirect('/reports', 303);
  });

  app.get('/reports/:id', needs(ctx, 'reports:read'), async (req, reply) => {
    const user = userOf(req);
    const id = Id.safeParse((req.params as { id: string }).id);
    const r = id.success ? await sentReport(ctx.ops, id.data) : null;
    if (!r) return reply.callNotFound();
    const [victim] = await ctx.analysis.rows(
      'SELECT tier, calls, connected_seconds, first_call_at, last_call_at, brands FROM victims WHERE number = $n',
      { n: r.number },
    );
    const accounts = await callers(ctx, [r.number]);
    await recordAudit(
      ctx.ops,
      { actor: user.name, action: 'report_view', target: `report:${r.id}` },
      ctx.fx.now(),
    );
    const a = r.answers;
    const list = (v: string[] | undefined) => (v ?? []).join(', ').replaceAll('_', ' ');
    // Each fact a <div> of its term and value: the grid lays out pairs, never a lone term.
    const body = html`<dl class="facts">
        <div>
          <dt>Crime reference</dt>
          <dd>${r.crimeRef}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>${r.submittedAt.slice(0, 16).replace('T', ' ')} UTC (in ${r.lang})</dd>
        </div>
        <div>
          <dt>Victim</dt>
          <dd>
            <a href="/victims/${ctx.sealer.seal(r.number)}">${maskNumber(r.number)}</a>
            (${r.country}${victim ? `, ${String(victim.tier)}, ${fmt(victim.calls)} calls` : ', not in the analysis'})
          </dd>
        </div>
        <div>
          <dt>The text named</dt>
          <dd>${r.brand ?? 'no brand'}</dd>
        </div>
        <div>
          <dt>When the call came</dt>
          <dd>${a.when ? `${a.when.date}${a.when.time ? ` ${a.when.time}` : ''}` : ''}</dd>
        </div>
        <div>
          <dt>Caller claimed to be</dt>
          <dd>${a.organisation ?? ''}</dd>
        </div>
        <div>
          <dt>Asked for</dt>
          <dd>${list(a.asked)}</dd>
        </div>
        <div>
          <dt>Given</dt>
          <dd>${list(a.given)}</dd>
        </div>
        <div>
          <dt>Lost</dt>
          <dd>
            ${a.lostMoney ? gbp(r.lostGbp) : 'no money lost'}${a.paidBy ? ` · paid by ${list(a.paidBy)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>
            ${a.contact ? `${a.contact.way}${a.contact.email ? `: ${a.contact.email}` : ''}; consent ${a.contact.consent ? 'given' : 'not given'}` : ''}
          </dd>
        </div>
      </dl>
      ${
        a.lostMoney && a.transactions?.length
          ? html`<table class="data">
              <caption>
                Payments
              </caption>
              ${thead(['Date', 'Amount', 'Currency', 'Paid to'])}
              <tbody>
                ${a.transactions.map(
                  (t) =>
                    html`<tr>
                      <td>${t.date}</td>
                      <td class="num">${(t.amountMinor / 100).toFixed(2)}</td>
                      <td>${t.currency}</td>
                      <td>${t.payee}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : ''
      }
      <h2>In the victim's words</h2>
      <p class="victim-words">${a.story ?? ''}</p>
      <h2>Evidence</h2>
      ${r.files.length === 0 ? html`<p>No files.</p>` : ''}
      <ul class="evidence">
        ${r.files.map(
          (f) =>
            html`<li>
              ${
                f.type.startsWith('image/')
                  ? html`<img
                      src="/reports/${r.id}/evidence/${f.id}"
                      alt="Evidence file ${f.name}"
                      loading="lazy"
                    />`
                  : ''
              }
              <p>
                ${f.name} · ${f.type} · ${fmt(f.bytes)} bytes<br />SHA-256 <code>${f.sha256}</code
                ><br />
                <a href="/reports/${r.id}/evidence/${f.id}/original">Download the original</a>
              </p>
            </li>`,
        )}
      </ul>
      <table class="data" id="callers">
        <caption>
          Accounts that called this victim
        </caption>
        ${thead(['Account', 'Crew', 'Score', 'Calls', 'Longest (s)'])}
        <tbody>
          ${accounts.map(
            (c) =>
              html`<tr>
                <td>
                  <a href="/suspects/${encodeURIComponent(String(c.account_id))}"
                    >${c.account_id}</a
                  >
                </td>
                <td>
                  ${c.crew_id ? html`<a href="/crews/${encodeURIComponent(String(c.crew_id))}">${c.crew_id}</a>` : ''}
                </td>
                <td class="num">${fmt(c.score)}</td>
                <td class="num">${fmt(c.calls)}</td>
                <td class="num">${fmt(c.longest)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    return sendPage(ctx, reply, { title: `Report ${r.crimeRef}`, user, current: '/reports' }, body);
  });

  const file = async (
    req: import('fastify').FastifyRequest,
    reply: FastifyReply,
    which: 'display' | 'original',
  ) => {
    const user = guard(ctx, req, reply, 'reports:read');
    if (!user) return reply;
    const p = req.params as { id: string; eid: string };
    const [id, eid] = [Id.safeParse(p.id), Id.safeParse(p.eid)];
    const f =
      id.success && eid.success ? await evidenceFile(ctx.ops, id.data, eid.data, which) : null;
    if (!f) return reply.callNotFound();
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: which === 'display' ? 'evidence_view' : 'evidence_download',
        target: `evidence:${eid.data as number}`,
        detail: { report: id.data, sha256: f.sha256 },
      },
      ctx.fx.now(),
    );
    reply
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox");
    if (which === 'display') return reply.type(f.type).send(f.bytes);
    // The original is never rendered by the browser: a download, with its hash to check.
    const name = f.name.replace(/[^\w.-]+/g, '_');
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('repr-digest', `sha-256=:${Buffer.from(f.sha256, 'hex').toString('base64')}:`)
      .send(f.bytes);
  };
  app.get('/reports/:id/evidence/:eid', (req, reply) => file(req, reply, 'display'));
  app.get('/reports/:id/evidence/:eid/original', (req, reply) => file(req, reply, 'original'));
}

/**
 * An open alarm, with what a supervisor may do: acknowledge it; for a victim's code, clear the
 * code's wait once the unit has reached the victim (the code is never shown, only its message).
 */
function alarmBox(a: Alarm, canAct: boolean, csrf: string): Html {
  const ack = html`<form method="post" action="/reports/alarms/${a.id}/ack">
    ${csrfField(csrf)}<button type="submit">Acknowledge</button>
  </form>`;
  const raised = `${a.raisedAt.slice(0, 16).replace('T', ' ')} UTC`;
  if (!a.code)
    return html`<div class="alarm" role="alert">
      <p>
        Guessing seen on the victim portal: ${fmt(a.codes)} different codes failed from
        ${fmt(a.addresses)} addresses within an hour (raised ${raised}).
      </p>
      ${canAct ? ack : ''}
    </div>`;
  return html`<div class="alarm" role="alert">
    <p>
      A victim's reference code keeps failing on the portal: the code of message
      ${fmt(a.code.messageId)} (sent to ${maskNumber(a.code.number)}) failed ${fmt(a.code.failures)}
      times (raised ${raised}). Whoever holds the code is failing it, and the victim must now wait
      before signing in unless they have signed in before. Reach the victim another way, then clear
      the code's wait.
    </p>
    ${
      canAct
        ? html`<form method="post" action="/reports/alarms/${a.id}/release">
              ${csrfField(csrf)}<button type="submit">Clear the code's wait</button>
            </form>
            ${ack}`
        : ''
    }
  </div>`;
}
