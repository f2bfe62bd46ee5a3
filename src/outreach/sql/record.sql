-- The answers of a batch of submits, in one statement per outcome ($1 ids, $2 values).
-- name: accepted
UPDATE messages m
SET state = 'submitted', smsc_message_id = v.mid, submitted_at = now(), error = NULL, in_doubt_since = NULL
FROM unnest($1::bigint[], $2::text[]) AS v (id, mid)
WHERE m.id = v.id AND m.state IN ('claimed', 'in_doubt');
-- name: retry
-- Throttled or refused for now: queued again after a delay ($3 ms), unless out of attempts ($4).
UPDATE messages m
SET state = CASE WHEN m.attempts >= $4::int THEN 'failed' ELSE 'queued' END,
  done_at = CASE WHEN m.attempts >= $4::int THEN now() END,
  next_attempt_at = now() + v.delay * interval '1 millisecond', error = v.err, claimed_by = NULL
FROM unnest($1::bigint[], $2::text[], $3::integer[]) AS v (id, err, delay)
WHERE m.id = v.id AND m.state = 'claimed';
-- name: failed
UPDATE messages m SET state = 'failed', error = v.err, done_at = now()
FROM unnest($1::bigint[], $2::text[]) AS v (id, err)
WHERE m.id = v.id AND m.state = 'claimed';
-- name: in_doubt
UPDATE messages m SET state = 'in_doubt', in_doubt_since = now(), error = v.err
FROM unnest($1::bigint[], $2::text[]) AS v (id, err)
WHERE m.id = v.id AND m.state = 'claimed';
-- name: release
-- Claimed but never handed to the gateway (a pause or a stop): back in the queue, unchanged.
UPDATE messages m SET state = 'queued', claimed_by = NULL, attempts = m.attempts - 1
FROM unnest($1::bigint[]) AS v (id)
WHERE m.id = v.id AND m.state = 'claimed';
-- name: apply_receipts
-- Receipts not yet applied give their submitted message its final state.
WITH hit AS (
  UPDATE messages m SET state = r.state, done_at = coalesce(r.done_at, r.received_at)
  FROM receipts r
  WHERE NOT r.applied AND m.smsc_message_id = r.message_id AND m.state = 'submitted'
  RETURNING r.message_id
)
UPDATE receipts r SET applied = true FROM hit WHERE r.message_id = hit.message_id;
