-- A text sent as segments is settled once the receipts of all its segments are in. Two
-- transactions that each apply one segment's receipt (a receipt as it arrives, and one stored
-- earlier applied at the heartbeat) each saw the other's segment still open, under READ
-- COMMITTED, and neither settled the message: it stayed `submitted` with every segment
-- delivered. The message rows are now locked first, in id order, in a statement of their own:
-- the second transaction waits for the first to commit, and its next statement sees both.
CREATE OR REPLACE FUNCTION settle_parts(p_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM messages WHERE id = ANY (p_ids) ORDER BY id FOR UPDATE;
  UPDATE messages m
  SET state = s.state, done_at = s.done_at
  FROM (
    SELECT p.message_id,
      CASE WHEN bool_and(p.state = 'delivered') THEN 'delivered'
           WHEN bool_or(p.state = 'undeliverable') THEN 'undeliverable'
           ELSE 'expired' END AS state,
      max(p.done_at) AS done_at
    FROM message_parts p
    WHERE p.message_id = ANY (p_ids)
    GROUP BY p.message_id
    HAVING bool_and(p.state IS NOT NULL)
  ) s
  WHERE m.id = s.message_id AND m.state IN ('submitted', 'unconfirmed');
END
$fn$;
