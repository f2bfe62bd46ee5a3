-- The answers of a batch of submits, in one statement per outcome ($1 ids, $2 values).
-- name: accepted
-- Taken by the SMS centre ($2 its message ids, $3 every segment's id, comma-separated, for a
-- text sent as segments): migration 008 holds the query.
SELECT dispatch_accepted($1::bigint[], $2::text[], $3::text[]);
-- name: retry
-- Refused for now: queued again after a delay ($3 ms, doubled with each attempt up to a minute),
-- unless out of attempts ($5). A throttle or a lost connection ($4 false) is not the message's
-- doing: it does not count as an attempt and is tried again after the plain delay.
UPDATE messages m
SET attempts = CASE WHEN v.counted THEN m.attempts ELSE m.attempts - 1 END,
  state = CASE WHEN v.counted AND m.attempts >= $5::int THEN 'failed' ELSE 'queued' END,
  done_at = CASE WHEN v.counted AND m.attempts >= $5::int THEN now() END,
  next_attempt_at = now() + CASE WHEN v.counted
    THEN least(60000, v.delay * 2 ^ greatest(0, m.attempts - 1)) ELSE v.delay END * interval '1 millisecond',
  error = v.err, claimed_by = NULL
FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::boolean[]) AS v (id, err, delay, counted)
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
-- name: parts
-- Claimed texts that go as several segments ($2 how many), before any is written.
UPDATE messages m SET parts = v.n
FROM unnest($1::bigint[], $2::integer[]) AS v (id, n)
WHERE m.id = v.id AND m.state = 'claimed';
-- name: stopped
-- Claimed, but the number replied STOP before the text was written: never sent.
UPDATE messages m SET state = 'opted_out', done_at = now(), error = 'replied STOP before it was sent',
  attempts = m.attempts - 1
FROM unnest($1::bigint[]) AS v (id)
WHERE m.id = v.id AND m.state = 'claimed';
-- name: receipts
-- Receipts as they arrive, applied to their messages or segments: migration 008 holds the query.
SELECT dispatch_receipts($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]);
-- name: apply_receipts
-- Receipts not yet applied give their message (or segment) its final state: the catch-all for
-- a receipt stored while its message's answer was being recorded. Migration 008 holds it.
SELECT apply_stored_receipts();
