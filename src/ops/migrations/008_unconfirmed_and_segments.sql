-- Receipts that never come, and texts sent as several segments (docs/outreach.md,
-- "Unconfirmed" and "Long texts").

-- A message the gateway took whose final receipt has not come within the gateway's receipt
-- timeout is `unconfirmed`: not counted as reached, never sent again by itself. A late receipt
-- (or a query_sm answer) still gives it its final state.
ALTER TABLE messages DROP CONSTRAINT messages_state_check;
ALTER TABLE messages ADD CONSTRAINT messages_state_check CHECK (
  state IN ('queued', 'claimed', 'submitted', 'delivered', 'undeliverable', 'expired',
            'failed', 'opted_out', 'in_doubt', 'needs_review', 'unconfirmed')
);
-- How many segments the text went as (1: one PDU, its id in smsc_message_id).
ALTER TABLE messages ADD COLUMN parts integer NOT NULL DEFAULT 1;
-- When the approved resend of an unconfirmed message queued it again, and the id it had.
ALTER TABLE messages ADD COLUMN resent_at timestamptz;
ALTER TABLE messages ADD COLUMN unconfirmed_smsc_message_id text;

-- A campaign with nothing left to send is `awaiting_receipts` while any message waits for its
-- receipt, then `completed` when every message has a final state, or `completed_unconfirmed`
-- when some never got one.
ALTER TABLE campaigns DROP CONSTRAINT campaigns_state_check;
ALTER TABLE campaigns ADD CONSTRAINT campaigns_state_check CHECK (
  state IN ('draft', 'approved', 'sending', 'paused', 'awaiting_receipts', 'completed',
            'completed_unconfirmed', 'cancelled')
);
-- A resend of the unconfirmed messages, requested by one person and approved by another.
ALTER TABLE campaigns ADD COLUMN resend_requested_by bigint REFERENCES users (id);
ALTER TABLE campaigns ADD COLUMN resend_requested_at timestamptz;

-- The segments of a text sent as several: each has its own id and its own receipt. The message
-- is final once every segment is, and delivered only when every segment was.
CREATE TABLE message_parts (
  smsc_message_id text PRIMARY KEY,
  message_id bigint NOT NULL REFERENCES messages (id),
  part integer NOT NULL,
  state text CHECK (state IN ('delivered', 'undeliverable', 'expired')),
  stat text,
  done_at timestamptz
);
CREATE INDEX message_parts_message ON message_parts (message_id);

-- A message sent as segments takes its final state from them once every one has a receipt:
-- delivered only when all were, else undeliverable when any was, else expired.
CREATE FUNCTION settle_parts(p_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
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

-- Messages taken by the SMS centre (p_mids: its message ids; p_parts: every segment's id,
-- comma-separated, for a text sent as segments, else NULL). A receipt that came before this
-- answer was recorded gives the final state at once.
DROP FUNCTION dispatch_accepted(bigint[], text[]);
CREATE FUNCTION dispatch_accepted(p_ids bigint[], p_mids text[], p_parts text[]) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  multi bigint[];
BEGIN
  WITH v AS (
    SELECT * FROM unnest(p_ids, p_mids, p_parts) AS v (id, mid, parts)
  ),
  upd AS (
    UPDATE messages m
    SET state = CASE WHEN v.parts IS NULL THEN coalesce(r.state, 'submitted') ELSE 'submitted' END,
      smsc_message_id = v.mid, submitted_at = now(),
      done_at = CASE WHEN v.parts IS NULL THEN coalesce(r.done_at, r.received_at) END,
      error = NULL, in_doubt_since = NULL,
      parts = coalesce(array_length(string_to_array(v.parts, ','), 1), 1)
    FROM v LEFT JOIN receipts r ON v.parts IS NULL AND r.message_id = v.mid
    WHERE m.id = v.id AND m.state IN ('claimed', 'in_doubt')
    RETURNING r.message_id
  )
  UPDATE receipts SET applied = true
  WHERE message_id IN (SELECT message_id FROM upd WHERE message_id IS NOT NULL);

  SELECT array_agg(v.id) INTO multi
  FROM unnest(p_ids, p_parts) AS v (id, parts) WHERE v.parts IS NOT NULL;
  IF multi IS NULL THEN
    RETURN;
  END IF;
  WITH ins AS (
    INSERT INTO message_parts (smsc_message_id, message_id, part, state, stat, done_at)
    SELECT x.mid, v.id, x.n::int, r.state, r.stat, coalesce(r.done_at, r.received_at)
    FROM unnest(p_ids, p_parts) AS v (id, parts)
    JOIN messages m ON m.id = v.id AND m.state = 'submitted'
    CROSS JOIN LATERAL unnest(string_to_array(v.parts, ',')) WITH ORDINALITY AS x (mid, n)
    LEFT JOIN receipts r ON r.message_id = x.mid
    WHERE v.parts IS NOT NULL
    ON CONFLICT (smsc_message_id) DO NOTHING
    RETURNING smsc_message_id, state
  )
  UPDATE receipts SET applied = true
  WHERE message_id IN (SELECT smsc_message_id FROM ins WHERE state IS NOT NULL);
  PERFORM settle_parts(multi);
END
$fn$;

-- Receipts as they arrive, applied to their messages or segments. Only a receipt that names
-- nothing known (yet) is stored: one whose answer is still being recorded, or one for a message
-- in doubt (src/outreach/dispatcher.ts). A receipt sent again for what is already final is
-- dropped. A late receipt still settles an unconfirmed message.
CREATE OR REPLACE FUNCTION dispatch_receipts(
  p_message_ids text[], p_destinations text[], p_stats text[], p_states text[],
  p_done_ats timestamptz[]
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  touched bigint[];
BEGIN
  -- Each receipt looks its message up by the indexed SMS centre id (a lateral lookup), and the
  -- update takes the messages found by their ids: planned as joins, the planner chose a scan
  -- of the whole outbox for each batch (its statistics taken before any message had an id).
  WITH u AS (
    SELECT * FROM unnest(p_message_ids, p_destinations, p_stats, p_states, p_done_ats)
      AS u (message_id, destination, stat, state, done_at)
  ),
  known AS (
    SELECT k.id, k.smsc_message_id, k.state, u.state AS new_state, u.done_at
    FROM u CROSS JOIN LATERAL (
      SELECT m.id, m.smsc_message_id, m.state FROM messages m
      WHERE m.smsc_message_id = u.message_id AND m.parts = 1
      OFFSET 0 -- kept a lookup per receipt: not flattened into a join
    ) k
  ),
  parts AS (
    UPDATE message_parts p SET state = u.state, stat = u.stat, done_at = coalesce(u.done_at, now())
    FROM u
    WHERE p.smsc_message_id = u.message_id AND p.state IS NULL
    RETURNING p.smsc_message_id, p.message_id
  ),
  hit AS (
    UPDATE messages m SET state = k.new_state, done_at = coalesce(k.done_at, now())
    FROM known k
    WHERE m.id = ANY (ARRAY(SELECT id FROM known WHERE state IN ('submitted', 'unconfirmed')))
      AND m.id = k.id AND m.state IN ('submitted', 'unconfirmed')
  ),
  stored AS (
    INSERT INTO receipts (message_id, destination, stat, state, done_at, received_at)
    SELECT u.message_id, u.destination, u.stat, u.state, u.done_at, now()
    FROM u
    WHERE u.message_id NOT IN (SELECT smsc_message_id FROM known)
      AND u.message_id NOT IN (SELECT smsc_message_id FROM message_parts)
    ON CONFLICT (message_id) DO NOTHING
  )
  SELECT array_agg(DISTINCT message_id) INTO touched FROM parts;
  IF touched IS NOT NULL THEN
    PERFORM settle_parts(touched);
  END IF;
END
$fn$;

-- Receipts stored while their message's answer was being recorded (applied = false) give the
-- message, or the segment, its final state: the catch-all the heartbeat runs.
CREATE FUNCTION apply_stored_receipts() RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  touched bigint[];
BEGIN
  WITH hit AS (
    UPDATE messages m SET state = r.state, done_at = coalesce(r.done_at, r.received_at)
    FROM receipts r
    WHERE NOT r.applied AND m.smsc_message_id = r.message_id AND m.parts = 1
      AND m.state IN ('submitted', 'unconfirmed')
    RETURNING r.message_id
  )
  UPDATE receipts r SET applied = true FROM hit WHERE r.message_id = hit.message_id;
  WITH part AS (
    UPDATE message_parts p
    SET state = r.state, stat = r.stat, done_at = coalesce(r.done_at, r.received_at)
    FROM receipts r
    WHERE NOT r.applied AND p.smsc_message_id = r.message_id AND p.state IS NULL
    RETURNING r.message_id, p.message_id AS id
  ),
  marked AS (
    UPDATE receipts r SET applied = true FROM part WHERE r.message_id = part.message_id
  )
  SELECT array_agg(DISTINCT id) INTO touched FROM part;
  IF touched IS NOT NULL THEN
    PERFORM settle_parts(touched);
  END IF;
END
$fn$;

-- Texts in the victim's language (docs/outreach.md, "Languages"): the campaign's Welsh, Dutch
-- and French templates beside its English `template`, the per-country language overrides, and
-- the language each message goes in, decided when the campaign is drafted (so approved).
ALTER TABLE campaigns ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
ALTER TABLE campaigns ADD COLUMN languages jsonb NOT NULL DEFAULT '{}';
ALTER TABLE messages ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'cy', 'nl', 'fr'));

-- The claim returns each message's language as well.
DROP FUNCTION dispatch_claim(text, bigint, text[], integer);
CREATE FUNCTION dispatch_claim(p_dispatcher text, p_campaign bigint, p_zones text[], p_limit integer)
RETURNS TABLE (id bigint, campaign_id bigint, number text, brand text, call_date text, lang text)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  UPDATE messages m
  SET state = 'claimed', claimed_by = p_dispatcher, claimed_at = now(), attempts = m.attempts + 1
  FROM (
    SELECT q.id FROM messages q
    WHERE q.campaign_id = p_campaign AND q.state = 'queued' AND q.next_attempt_at <= now()
      AND q.zones = ANY (p_zones)
      AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.number = q.number)
    ORDER BY q.id
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  ) c
  WHERE m.id = c.id
  RETURNING m.id, m.campaign_id, m.number, m.brand, m.first_long_call::text, m.lang;
END
$fn$;
