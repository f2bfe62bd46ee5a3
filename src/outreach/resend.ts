/**
 * Sending the unconfirmed messages again: never by itself (a message the gateway took may have
 * reached the victim, receipt or not), only when one person asks and another, a supervisor,
 * approves — two audited steps (docs/outreach.md, "Unconfirmed").
 */
import { recordAuditIn } from '../audit/audit.ts';
import { demand } from '../authz/policy.ts';
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { User } from '../users/roles.ts';
import { getCampaign, type Campaign } from './campaigns.ts';

const unconfirmedCount = async (db: OpsQuery, id: number): Promise<number> =>
  (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND state = 'unconfirmed'`,
      [id],
    )
  )[0]?.n ?? 0;

/** Asks for the unconfirmed messages of a campaign that has finished sending to go again. */
export async function requestResend(
  db: OpsDb,
  user: User,
  id: number,
  now: Date,
  reason?: string,
): Promise<{ campaign: Campaign; unconfirmed: number }> {
  demand(user, 'campaigns:send');
  return db.transaction(async (tx) => {
    const c = await getCampaign(tx, id, true);
    if (c.state !== 'completed_unconfirmed') {
      throw new UnspoofError(
        'CAMPAIGN_STATE',
        `campaign ${id} is ${c.state}: only a campaign completed with unconfirmed messages can resend them`,
      );
    }
    const n = await unconfirmedCount(tx, id);
    await tx.query(
      `UPDATE campaigns SET resend_requested_by = $2, resend_requested_at = $3, updated_at = $3 WHERE id = $1`,
      [id, user.id, now],
    );
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'campaign_resend_request',
        target: `campaign:${id}`,
        reason: reason ?? null,
        detail: { unconfirmed: n },
      },
      now,
    );
    return { campaign: await getCampaign(tx, id), unconfirmed: n };
  });
}

/**
 * Approves a requested resend (four eyes: not the person who asked): the unconfirmed messages
 * are queued again — those whose number has opted out since are not — and the campaign sends.
 */
export async function approveResend(
  db: OpsDb,
  user: User,
  id: number,
  now: Date,
): Promise<{ campaign: Campaign; queued: number }> {
  demand(user, 'campaigns:approve');
  return db.transaction(async (tx) => {
    const c = await getCampaign(tx, id, true);
    const [req] = await tx.query<{ by: number | null }>(
      `SELECT resend_requested_by::int AS by FROM campaigns WHERE id = $1`,
      [id],
    );
    if (c.state !== 'completed_unconfirmed' || req?.by == null) {
      throw new UnspoofError(
        'CAMPAIGN_STATE',
        `campaign ${id} has no resend waiting for approval: ask for one with unspoof campaign resend ${id}`,
      );
    }
    if (req.by === user.id) {
      throw new UnspoofError(
        'FOUR_EYES',
        `${user.name} asked for this resend: another supervisor must approve it`,
      );
    }
    if (now >= new Date(c.window_end)) {
      throw new UnspoofError(
        'OUTSIDE_WINDOW',
        `campaign ${id}'s window closed at ${new Date(c.window_end).toISOString()}`,
      );
    }
    // Their segments' ids go with the earlier attempt: a late receipt for one no longer counts.
    await tx.query(
      `DELETE FROM message_parts p USING messages m
        WHERE p.message_id = m.id AND m.campaign_id = $1 AND m.state = 'unconfirmed'`,
      [id],
    );
    const [r] = await tx.query<{ queued: number; stopped: number }>(
      `WITH s AS (
         UPDATE messages m
            SET state = CASE WHEN o.number IS NULL THEN 'queued' ELSE 'opted_out' END,
                unconfirmed_smsc_message_id = m.smsc_message_id, smsc_message_id = NULL,
                parts = 1, resent_at = $2::timestamptz, submitted_at = NULL, claimed_by = NULL,
                next_attempt_at = '-infinity', done_at = CASE WHEN o.number IS NULL THEN NULL ELSE $2::timestamptz END,
                error = CASE WHEN o.number IS NULL THEN $3::text ELSE 'replied STOP' END
           FROM messages x LEFT JOIN opt_outs o ON o.number = x.number
          WHERE m.id = x.id AND m.campaign_id = $1 AND m.state = 'unconfirmed'
          RETURNING m.state
       )
       SELECT count(*) FILTER (WHERE state = 'queued')::int AS queued,
              count(*) FILTER (WHERE state = 'opted_out')::int AS stopped
         FROM s`,
      [id, now, `unconfirmed, sent again: resend approved by ${user.name}`],
    );
    await tx.query(
      `UPDATE campaigns SET state = 'sending', resend_requested_by = NULL, resend_requested_at = NULL,
         updated_at = $2 WHERE id = $1`,
      [id, now],
    );
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'campaign_resend_approve',
        target: `campaign:${id}`,
        detail: { queued: r?.queued ?? 0, opted_out_since: r?.stopped ?? 0 },
      },
      now,
    );
    return { campaign: await getCampaign(tx, id), queued: r?.queued ?? 0 };
  });
}
