/** A campaign's status in words (the CLI, `campaign follow`, the demo) and as JSON. */
import { table } from '../shared/table.ts';
import { STATE_WORDS, type Campaign, type CampaignStatus } from './campaigns.ts';

export const iso = (d: Date | string) => new Date(d).toISOString().slice(0, 16).replace('T', ' ');

export function statusText(s: CampaignStatus): string {
  const c = s.campaign;
  const order = [
    'queued',
    'claimed',
    'in_doubt',
    'submitted',
    'delivered',
    'undeliverable',
    'expired',
    'failed',
    'opted_out',
    'needs_review',
    'unconfirmed',
  ];
  const unconfirmed = s.counts.unconfirmed ?? 0;
  return [
    `Campaign ${c.id} “${c.name}”: ${STATE_WORDS[c.state] ?? c.state}${c.synthetic ? ' (synthetic case: simulator only)' : ''}`,
    ...(unconfirmed
      ? [
          `ALERT: ${unconfirmed} message${unconfirmed === 1 ? ' was' : 's were'} taken by the gateway but never confirmed (no final receipt): not counted as reached.`,
        ]
      : []),
    ...(s.counts.submitted && c.state !== 'sending'
      ? [`Awaiting receipts for ${s.counts.submitted} messages.`]
      : []),
    `Drafted by ${c.author}${c.approver ? `, approved by ${c.approver} at ${iso(c.approved_at as Date)}` : ', not approved'}`,
    `Window ${iso(c.window_start)} – ${iso(c.window_end)} UTC; victims’ local daytime ${c.day_start}–${c.day_end}`,
    reviewLine(c.include_review, c.review_left_out),
    table(
      ['state', 'messages'],
      [
        ...order.filter((k) => s.counts[k]).map((k) => [k, String(s.counts[k])]),
        ['total', String(s.total)],
      ],
    ),
  ].join('\n');
}

export function summary(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    synthetic: c.synthetic,
    author: c.author,
    approved_by: c.approver,
    approved_at: c.approved_at ? new Date(c.approved_at).toISOString() : null,
    window_start: new Date(c.window_start).toISOString(),
    window_end: new Date(c.window_end).toISOString(),
    day_start: c.day_start,
    day_end: c.day_end,
    include_review: c.include_review,
    review_left_out: c.review_left_out,
  };
}

/** What the campaign did with victims whose number needs review (docs/numbers.md). */
export function reviewLine(included: boolean, leftOut: number | null): string {
  if (included) return 'Victims whose number needs review: included (--include-review).';
  // A campaign drafted before numbers could need review did not count them.
  if (leftOut === null)
    return 'Victims whose number needs review: not counted (an older campaign).';
  return `Victims whose number needs review: ${leftOut.toLocaleString('en-GB')} left out until an analyst confirms their reading (--include-review to text them).`;
}
