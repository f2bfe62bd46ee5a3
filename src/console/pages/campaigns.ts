/**
 * Campaigns: the list with live progress, a campaign's page (its texts as victims will get them,
 * its counts, and the steps the user's role allows: approve, send, pause, resume, cancel), and
 * the phone: in a synthetic case, the texts each made-up victim received from the local SMS
 * centre — the start of the victim's journey in the demo.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { can, maskNumber } from '../../authz/policy.ts';
import {
  approveCampaign,
  flaggedIn,
  campaignStatus,
  messageCounts,
  listCampaigns,
  moveCampaign,
  STATE_WORDS,
  type Campaign,
} from '../../outreach/campaigns.ts';
import { LANGUAGE_NAMES } from '../../outreach/languages.ts';
import { previewMessages } from '../../outreach/preview.ts';
import { approveResend, requestResend } from '../../outreach/resend.ts';
import { html, type Html } from '../../shared/html.ts';
import { UnspoofError } from '../../shared/errors.ts';
import { readAccepted, smscLog } from '../../smsc/log.ts';
import type { User } from '../../users/roles.ts';
import { csrfField, fmt, thead } from '../layout.ts';
import { csrfToken, guard, needs, sendPage, userOf, type Ctx } from '../http.ts';

const Id = z.object({ id: z.coerce.number().int().min(1).max(1e12) });
const Move = Id.extend({
  move: z.enum(['approve', 'send', 'pause', 'resume', 'cancel', 'resend', 'resend-approve']),
});
const MoveBody = z.object({ reason: z.string().trim().max(500).optional() });

const SENT = ['submitted', 'delivered', 'undeliverable', 'expired'];
const DONE = [...SENT, 'failed', 'opted_out', 'needs_review', 'unconfirmed'];

const when = (d: Date | string | null) =>
  d ? new Date(d).toISOString().slice(0, 16).replace('T', ' ') : '';

/** What a campaign's counts come to: shown on the page and polled by the client. */
export function progressOf(counts: Record<string, number>, total: number) {
  const n = (k: string) => counts[k] ?? 0;
  return {
    total,
    done: DONE.reduce((a, k) => a + n(k), 0),
    sent: SENT.reduce((a, k) => a + n(k), 0),
    delivered: n('delivered'),
    failed: n('failed') + n('undeliverable') + n('expired'),
    in_doubt: n('in_doubt'),
    // Taken by the gateway, no final receipt within its timeout: not counted as reached.
    unconfirmed: n('unconfirmed'),
    awaiting: n('submitted'),
    opted_out: n('opted_out'),
    // Left out when approved, sent or resumed: the number needed review by then.
    needs_review: n('needs_review'),
    queued: n('queued') + n('claimed'),
  };
}

/** The alarm a campaign raises when messages were never confirmed: on its page, in red. */
function unconfirmedAlert(counts: Record<string, number>, total: number): Html | string {
  const n = counts.unconfirmed ?? 0;
  if (!n) return '';
  return html`<div class="error-summary" role="alert">
    <strong>${fmt(n)} of ${fmt(total)} messages were never confirmed.</strong>
    The gateway took them but no final receipt came in time: they are not counted as reached. A
    resend needs one person to ask and another supervisor to approve.
  </div>`;
}

function progressBlock(id: number, p: ReturnType<typeof progressOf>): Html {
  return html`<div class="campaign-progress" data-progress-url="/campaigns/${String(id)}/progress">
    <progress max="${String(Math.max(1, p.total))}" value="${String(p.done)}">
      ${String(p.done)} of ${String(p.total)}
    </progress>
    <p aria-live="polite">
      <span data-k="sent">${fmt(p.sent)}</span> sent ·
      <span data-k="delivered">${fmt(p.delivered)}</span> delivered ·
      <span data-k="failed">${fmt(p.failed)}</span> failed ·
      <span data-k="in_doubt">${fmt(p.in_doubt)}</span> in doubt ·
      <span data-k="awaiting">${fmt(p.awaiting)}</span> awaiting receipts ·
      <span data-k="unconfirmed">${fmt(p.unconfirmed)}</span> unconfirmed ·
      <span data-k="opted_out">${fmt(p.opted_out)}</span> opted out ·
      <span data-k="needs_review">${fmt(p.needs_review)}</span> left out (number needs review) ·
      <span data-k="queued">${fmt(p.queued)}</span> to send, of ${fmt(p.total)}
    </p>
  </div>`;
}

function actions(user: User, c: Campaign, csrf: string): Html {
  const button = (move: string, label: string, reason = false) =>
    html`<form method="post" action="/campaigns/${String(c.id)}/${move}" class="inline">
      ${csrfField(csrf)}
      ${reason ? html`<label>Reason <input name="reason" required maxlength="500" /></label>` : ''}
      <button type="submit">${label}</button>
    </form>`;
  const out: Html[] = [];
  if (c.state === 'draft' && can(user, 'campaigns:approve') && user.id !== c.author_id) {
    out.push(button('approve', 'Approve (four eyes)'));
  }
  if (c.state === 'draft' && user.id === c.author_id) {
    out.push(html`<p>Drafted by you: another supervisor must approve it.</p>`);
  }
  if (can(user, 'campaigns:send')) {
    if (c.state === 'approved') out.push(button('send', 'Start sending'));
    if (c.state === 'sending') out.push(button('pause', 'Pause'));
    if (c.state === 'paused') out.push(button('resume', 'Resume'));
    if (['draft', 'approved', 'sending', 'paused'].includes(c.state)) {
      out.push(button('cancel', 'Cancel campaign', true));
    }
    if (c.state === 'completed_unconfirmed' && c.resend_requested_by === null) {
      out.push(button('resend', 'Ask to resend the unconfirmed messages', true));
    }
  }
  if (c.state === 'completed_unconfirmed' && c.resend_requested_by !== null) {
    if (can(user, 'campaigns:approve') && user.id !== c.resend_requested_by) {
      out.push(button('resend-approve', 'Approve the resend (four eyes)'));
    } else {
      out.push(html`<p>A resend was asked for: another supervisor must approve it.</p>`);
    }
  }
  return html`<div class="actions">${out}</div>`;
}

export async function campaignRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/campaigns', needs(ctx, 'campaigns:read'), async (req, reply) => {
    const user = userOf(req);
    const list = await listCampaigns(ctx.ops);
    const rows = await Promise.all(
      list.map(async (c) => ({ c, s: await messageCounts(ctx.ops, c.id) })),
    );
    const body = html`<p>
        Campaigns are drafted from the command line (<code>unspoof campaign create</code>), approved
        here by a supervisor who did not draft them, and sent by dispatchers.
      </p>
      <table class="data">
        <caption>
          Campaigns
        </caption>
        ${thead(['Campaign', 'State', 'Drafted by', 'Approved by', 'Window (UTC)', 'Progress'])}
        <tbody>
          ${rows.map(
            ({ c, s }) =>
              html`<tr>
                <td><a href="/campaigns/${String(c.id)}">${c.name}</a></td>
                <td>${STATE_WORDS[c.state] ?? c.state}</td>
                <td>${c.author}</td>
                <td>${c.approver ?? ''}</td>
                <td>${when(c.window_start)} – ${when(c.window_end)}</td>
                <td>${progressBlock(c.id, progressOf(s.counts, s.total))}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    return sendPage(ctx, reply, { title: 'Campaigns', user, current: '/campaigns' }, body);
  });

  app.get('/campaigns/:id', needs(ctx, 'campaigns:read'), async (req, reply) => {
    const user = userOf(req);
    const { id } = Id.parse(req.params);
    const s = await campaignStatus(ctx.ops, id);
    const c = s.campaign;
    const preview = await previewMessages(ctx.ops, user, id, 3);
    const csrf = csrfToken(reply);
    const body = html`${unconfirmedAlert(s.counts, s.total)}
      <dl class="facts">
        <div>
          <dt>State</dt>
          <dd>
            ${STATE_WORDS[c.state] ?? c.state}${
              c.synthetic ? ' (synthetic case: the local simulator only)' : ''
            }
          </dd>
        </div>
        <div>
          <dt>Drafted by</dt>
          <dd>${c.author}</dd>
        </div>
        <div>
          <dt>Approved by</dt>
          <dd>${c.approver ? `${c.approver}, ${when(c.approved_at)}` : 'not approved'}</dd>
        </div>
        <div>
          <dt>Window (UTC)</dt>
          <dd>${when(c.window_start)} – ${when(c.window_end)}</dd>
        </div>
        <div>
          <dt>Victim’s local daytime</dt>
          <dd>${c.day_start}–${c.day_end}</dd>
        </div>
        <div>
          <dt>Sender</dt>
          <dd>${c.sender_id}</dd>
        </div>
        <div>
          <dt>Official site</dt>
          <dd>${c.official_site}</dd>
        </div>
        <div>
          <dt>Numbers that need review</dt>
          <dd>
            ${
              c.include_review
                ? 'included explicitly'
                : c.review_left_out === null
                  ? 'not counted (an older campaign)'
                  : `${fmt(c.review_left_out)} left out`
            }
          </dd>
        </div>
      </dl>
      ${progressBlock(id, progressOf(s.counts, s.total))} ${actions(user, c, csrf)}
      <h2>The texts, as victims will get them</h2>
      <p>Each victim’s own reference code appears only in their text: here it is XXXX-XXXX-XXXX.</p>
      ${preview.map(
        (p) =>
          html`<figure class="sms">
            <blockquote>${p.text}</blockquote>
            <figcaption>
              ${maskNumber(p.number)} · ${LANGUAGE_NAMES[p.lang]} · ${p.encoding},
              ${String(p.segments)} segment${p.segments === 1 ? '' : 's'}, ${String(p.characters)}
              characters${
                p.ucs2Characters.length ? ` · UCS-2 because of ${p.ucs2Characters.join(' ')}` : ''
              }
            </figcaption>
          </figure>`,
      )}`;
    return sendPage(
      ctx,
      reply,
      { title: `Campaign ${id}: ${c.name}`, user, current: '/campaigns', csrf },
      body,
    );
  });

  app.get('/campaigns/:id/progress', needs(ctx, 'campaigns:read'), async (req, reply) => {
    const { id } = Id.parse(req.params);
    const s = await campaignStatus(ctx.ops, id);
    return reply
      .header('cache-control', 'no-store')
      .send({ state: s.campaign.state, ...progressOf(s.counts, s.total) });
  });

  app.post('/campaigns/:id/:move', async (req, reply) => {
    const { id, move } = Move.parse(req.params);
    const user = guard(
      ctx,
      req,
      reply,
      move === 'approve' || move === 'resend-approve' ? 'campaigns:approve' : 'campaigns:send',
    );
    if (!user) return reply;
    const { reason } = MoveBody.parse(req.body ?? {});
    const now = ctx.fx.now();
    // Approving, sending and resuming leave out the texts to numbers that need review in the
    // analysis the console reads now (campaigns.ts).
    const flagged = flaggedIn(ctx.analysis);
    if (move === 'approve') await approveCampaign(ctx.ops, user, id, now, flagged);
    else if (move === 'resend') {
      if (!reason) throw new UnspoofError('REASON_REQUIRED', 'say why they should go again');
      await requestResend(ctx.ops, user, id, now, reason);
    } else if (move === 'resend-approve') await approveResend(ctx.ops, user, id, now);
    else {
      if (move === 'cancel' && !reason)
        throw new UnspoofError('REASON_REQUIRED', 'say why the campaign is cancelled');
      await moveCampaign(ctx.ops, user, id, move, now, reason, flagged);
    }
    return reply.redirect(`/campaigns/${id}`, 303);
  });

  app.get('/phone', needs(ctx, 'campaigns:read'), async (req, reply) => {
    const user = userOf(req);
    if (!ctx.synthetic || !ctx.caseDir) {
      return sendPage(
        ctx,
        reply,
        { title: 'Phone', user, current: '/phone' },
        html`<p>
          The phone shows the texts the local SMS centre took, and only for a synthetic case.
        </p>`,
      );
    }
    const texts = readAccepted(smscLog(ctx.caseDir)).slice(-200).reverse();
    await recordAudit(
      ctx.ops,
      { actor: user.name, action: 'phone_view', detail: { texts: texts.length } },
      ctx.fx.now(),
    );
    const body = html`<p>
        Synthetic victims only: what each made-up phone received from the local SMS centre, newest
        first. A victim goes from here to the official site and enters the reference code; in this
        demo the official site is this server's <a href="/report">victim portal</a>, and each
        phone's owner knows the last four digits of their own number.
      </p>
      ${
        texts.length
          ? texts.map(
              (t) =>
                html`<figure class="sms phone">
                  <figcaption>
                    To ${maskNumber(t.destination)} (ends ${t.destination.slice(-4)}) from
                    ${t.source} · ${when(t.at)} UTC
                  </figcaption>
                  <blockquote>${t.text}</blockquote>
                </figure>`,
            )
          : html`<p>No text has been sent yet.</p>`
      }`;
    return sendPage(ctx, reply, { title: 'Phone', user, current: '/phone' }, body);
  });
}
