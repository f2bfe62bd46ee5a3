/**
 * Victims whose number needs review (docs/numbers.md): the marker in the list, the section on a
 * victim's page (both readings, the confirmations, and the Confirm form for the roles that may
 * confirm), and the form's route. The readings are masked as the victim's number is; a partner
 * is told a number needs review but not the rival reading, which may be another country's.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { can, demand, maskNumber, scope } from '../../authz/policy.ts';
import {
  confirmReading,
  isApplied,
  listConfirmations,
  listedReading,
  type Confirmation,
  type ListedReading,
} from '../../review/confirmations.ts';
import { UnspoofError } from '../../shared/errors.ts';
import { html, type Html } from '../../shared/html.ts';
import type { User } from '../../users/roles.ts';
import { csrfField } from '../layout.ts';
import { needs, userOf, type Ctx } from '../http.ts';

/** The form: which of the two readings (never a number: the page may be masked), and a note. */
const ConfirmForm = z.object({
  reading: z.enum(['listed', 'rival']),
  note: z.string().trim().max(500).optional(),
});

const REASONS = {
  conflict: 'two valid readings of the dialled digits disagree',
  weak: 'only weak evidence (the account’s declared country) gives this reading',
} as const;

/** The list's marker: words, not a colour alone; the rival reading for unscoped roles. */
export function reviewMarker(r: Record<string, unknown>, user: User): Html {
  if (r.needs_review !== true) return html``;
  const alt = typeof r.alt_number === 'string' && scope(user) === null ? r.alt_number : null;
  return html` <strong class="review-flag">needs review</strong>
    <span class="note"
      >${r.review_reason === 'weak' ? '(weak evidence)' : alt ? `(or ${maskNumber(alt)})` : '(two readings)'}</span
    >`;
}

/**
 * The section on a victim's page; empty for a number with no review and no confirmation. On an
 * unmasked page, each other number it shows in full (the rival reading, a confirmation's other
 * reading) is added to `shown`, for the unmask's audit entry.
 */
export async function reviewSection(
  ctx: Ctx,
  user: User,
  csrf: string,
  token: string,
  v: ListedReading,
  unmasked: boolean,
  justConfirmed: boolean,
  shown: Set<string> = new Set(),
): Promise<Html> {
  const show = (n: string) => {
    if (!unmasked) return maskNumber(n);
    if (n !== v.number) shown.add(n);
    return n;
  };
  // A partner is not told the other readings (they may be another country's numbers).
  const unscoped = scope(user) === null;
  const confirmations = unscoped ? await listConfirmations(ctx.ops, v.number) : [];
  if (!v.needs_review && confirmations.length === 0) return html``;
  const rival = unscoped ? v.alt_number : null;
  // Whether each is applied depends on how the analysis lists the victim it names.
  const listed = new Map<string, ListedReading | null>([[v.number, v]]);
  for (const c of confirmations)
    if (!listed.has(c.number))
      listed.set(c.number, await listedReading(ctx.analysis, c.number, null));
  const applied = (c: Confirmation) => isApplied(c, listed.get(c.number) ?? null);
  const form = v.needs_review && can(user, 'victims:confirm');
  return html`<section aria-labelledby="review-h" class="review">
    <h2 id="review-h">${v.needs_review ? 'Number needs review' : 'Reading confirmed'}</h2>
    ${
      // Said only where there is a confirmation of this victim to speak of.
      justConfirmed && confirmations.some((c) => c.number === v.number)
        ? html`<p role="status" class="review-done">
            Your confirmation is recorded. It applies at the next analysis (<code
              >unspoof analyze</code
            >).
          </p>`
        : ''
    }
    ${
      v.needs_review
        ? html`<p>
            <strong class="review-flag">Needs review:</strong>
            ${REASONS[v.review_reason ?? 'conflict']}. Listed as
            ${show(v.number)}${rival ? html`; the rival reading is ${show(rival)}` : ''}. Kept out
            of outreach until a reading is confirmed.
          </p>`
        : ''
    }
    ${confirmations.length ? confirmationList(confirmations, applied, show) : ''}
    ${form ? confirmForm(csrf, token, v, show) : ''}
  </section>`;
}

function confirmationList(
  cs: Confirmation[],
  applied: (c: Confirmation) => boolean,
  show: (n: string) => string,
) {
  return html`<ul class="confirmations">
    ${cs.map(
      (c) =>
        html`<li>
          ${show(c.chosen)} confirmed by ${c.confirmed_by},
          ${c.confirmed_at.toISOString().slice(0, 16).replace('T', ' ')}
          UTC${
            c.alt_number ? ` (over ${show(c.chosen === c.number ? c.alt_number : c.number)})` : ''
          }${c.note ? `: “${c.note}”` : ''}
          —
          <strong
            >${
              applied(c) ? 'applied by the analysis' : 'pending: applies at the next analysis'
            }</strong
          >
        </li>`,
    )}
  </ul>`;
}

function confirmForm(csrf: string, token: string, v: ListedReading, show: (n: string) => string) {
  const choice = (value: 'listed' | 'rival', n: string, label: string, checked: boolean) =>
    html`<div>
      <input
        type="radio"
        id="reading-${value}"
        name="reading"
        value="${value}"
        ${checked ? html`checked` : ''}
        required
      />
      <label for="reading-${value}">${show(n)} (${label})</label>
    </div>`;
  return html`<form method="post" action="/victims/${token}/confirm" class="stack confirm">
    ${csrfField(csrf)}
    ${
      v.alt_number
        ? html`<fieldset>
            <legend>Which reading is right?</legend>
            ${choice('listed', v.number, 'as listed', false)}
            ${choice('rival', v.alt_number, 'the rival reading', false)}
          </fieldset>`
        : html`<input type="hidden" name="reading" value="listed" />`
    }
    <label for="confirm-note">Note for the audit log (optional)</label>
    <input id="confirm-note" name="note" maxlength="500" />
    <button type="submit">
      ${v.alt_number ? 'Confirm the reading chosen' : 'Confirm this reading'}
    </button>
  </form>`;
}

export async function numberReviewRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  // Thin: authorise → validate → the domain command (which checks the choice against the
  // analysis) → back to the victim's page, which says the confirmation is recorded. A role that
  // may not confirm is refused (403) whatever it posts, before its form is looked at.
  app.post('/victims/:token/confirm', needs(ctx, 'victims:read'), async (req, reply) => {
    const user = userOf(req);
    demand(user, 'victims:confirm');
    const input = ConfirmForm.safeParse(req.body ?? {});
    if (!input.success)
      throw new UnspoofError('REVIEW_INVALID', 'choose one of the readings to confirm');
    const number = ctx.sealer.open((req.params as { token: string }).token);
    const listed = number ? await listedReading(ctx.analysis, number, scope(user)) : null;
    if (!number || !listed) return reply.callNotFound();
    const chosen = input.data.reading === 'rival' ? listed.alt_number : listed.number;
    if (!chosen) throw new UnspoofError('REVIEW_INVALID', 'this victim has no rival reading');
    await confirmReading(
      ctx.ops,
      ctx.analysis,
      user,
      { number, chosen, note: input.data.note },
      ctx.fx.now(),
      ctx.sealer.stableId,
    );
    return reply.redirect(`/victims/${ctx.sealer.seal(number)}?confirmed=1`, 303);
  });
}
