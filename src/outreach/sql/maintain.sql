-- What any live dispatcher does once a heartbeat.
-- name: heartbeat
-- $1 the dispatcher's id.
UPDATE dispatchers SET heartbeat_at = now() WHERE id = $1;
-- name: opt_outs_since
-- Numbers that opted out at or after $1 (a second earlier, for clocks that are not in step).
SELECT number, at FROM opt_outs WHERE at >= $1::timestamptz - interval '1 second';
-- name: dead_claims
-- $1 the dispatcher's id, $2 the lease (ms).
-- What a dead dispatcher had claimed may or may not have reached the SMS centre: in doubt.
UPDATE messages m SET state = 'in_doubt', in_doubt_since = now(),
  error = 'its dispatcher stopped before recording the answer'
WHERE m.state = 'claimed' AND m.claimed_by <> $1 AND NOT EXISTS (
  SELECT 1 FROM dispatchers d
  WHERE d.id = m.claimed_by AND d.stopped_at IS NULL AND d.heartbeat_at > now() - $2::float8 * interval '1 millisecond'
);
-- name: resolve_in_doubt
-- An in-doubt message is resolved by receipts for its number that name no known message and
-- arrived after the claim — as many as its segments: the SMS centre had taken it (one text per
-- victim per campaign, so the number identifies it). Fewer: some segment may never have gone,
-- so it waits, and is sent again after the wait.
WITH r AS (
  SELECT m.id, m.parts, r.message_id, r.state, coalesce(r.done_at, r.received_at) AS done_at,
    r.received_at
  FROM messages m
  JOIN receipts r ON r.destination = m.number AND r.received_at >= m.claimed_at
  WHERE m.state = 'in_doubt'
    AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.smsc_message_id = r.message_id)
    AND NOT EXISTS (SELECT 1 FROM message_parts p WHERE p.smsc_message_id = r.message_id)
),
cand AS (
  SELECT id, min(message_id) AS message_id,
    CASE WHEN bool_and(state = 'delivered') THEN 'delivered'
         WHEN bool_or(state = 'undeliverable') THEN 'undeliverable'
         ELSE 'expired' END AS state,
    max(done_at) AS done_at, array_agg(message_id) AS ids
  FROM r GROUP BY id, parts HAVING count(*) >= parts
),
hit AS (
  UPDATE messages m
  SET state = c.state, smsc_message_id = c.message_id, submitted_at = m.claimed_at,
    done_at = c.done_at, in_doubt_since = NULL, error = 'was in doubt: its receipts show it was taken'
  FROM cand c WHERE m.id = c.id
  RETURNING c.ids
)
UPDATE receipts r SET applied = true FROM hit WHERE r.message_id = ANY (hit.ids);
-- name: requeue_in_doubt
-- No receipt within the wait ($1 ms): the SMS centre never took it, so it is sent again.
UPDATE messages SET state = 'queued', claimed_by = NULL, in_doubt_since = NULL,
  error = 'was in doubt: no receipt came, so it was never taken; queued again'
WHERE state = 'in_doubt' AND in_doubt_since < now() - $1::float8 * interval '1 millisecond';
-- name: live_dispatchers
-- $1 the lease (ms).
SELECT count(*)::int AS n FROM dispatchers
WHERE stopped_at IS NULL AND heartbeat_at > now() - $1::float8 * interval '1 millisecond';
-- name: settle_campaigns
-- A sending campaign with nothing left to send (or in doubt) awaits its receipts; it is
-- completed once every message has a final state, or completed with unconfirmed messages when
-- some never got one (a late receipt for the last of them completes it after all).
WITH c AS (
  SELECT c.id, c.state,
    EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id
            AND m.state IN ('queued', 'claimed', 'in_doubt')) AS open,
    EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.state = 'submitted') AS waiting,
    EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.state = 'unconfirmed') AS unconfirmed
  FROM campaigns c WHERE c.state IN ('sending', 'awaiting_receipts', 'completed_unconfirmed')
),
next AS (
  SELECT id, state AS was,
    CASE WHEN open THEN state
         WHEN waiting THEN 'awaiting_receipts'
         WHEN unconfirmed THEN 'completed_unconfirmed'
         ELSE 'completed' END AS state
  FROM c
)
UPDATE campaigns k SET state = n.state, updated_at = now()
FROM next n
WHERE k.id = n.id AND k.state = n.was AND n.state <> n.was
RETURNING k.id::int AS id, n.was, n.state;
-- name: late
-- Messages taken longer ago than the receipt timeout ($1 ms) with no final receipt, at most $2:
-- with the ids still waiting (every segment's for a text sent as several).
SELECT m.id::text AS id, m.number, c.sender_id,
  CASE WHEN m.parts > 1
    THEN ARRAY(SELECT p.smsc_message_id FROM message_parts p
               WHERE p.message_id = m.id AND p.state IS NULL ORDER BY p.part)
    ELSE ARRAY[m.smsc_message_id] END AS waiting
FROM messages m JOIN campaigns c ON c.id = m.campaign_id
WHERE m.state = 'submitted' AND m.submitted_at < now() - $1::float8 * interval '1 millisecond'
ORDER BY m.id
LIMIT $2;
-- name: unconfirm
-- $1 message ids, $2 why: taken, but no final receipt came in time.
UPDATE messages SET state = 'unconfirmed', error = $2
WHERE id = ANY ($1::bigint[]) AND state = 'submitted';
