-- Claims up to $4 queued messages of campaign $2 whose zones are in daytime ($3), for
-- dispatcher $1. Row locks with SKIP LOCKED: concurrent dispatchers never claim the same row.
-- Committed before anything is submitted: a claimed row whose dispatcher dies is in doubt.
UPDATE messages m
SET state = 'claimed', claimed_by = $1, claimed_at = now(), attempts = m.attempts + 1
FROM (
  SELECT q.id FROM messages q
  WHERE q.campaign_id = $2 AND q.state = 'queued' AND q.next_attempt_at <= now()
    AND q.zones = ANY ($3::text[])
    AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.number = q.number)
  ORDER BY q.id
  LIMIT $4
  FOR UPDATE SKIP LOCKED
) c
WHERE m.id = c.id
RETURNING m.id, m.campaign_id, m.number, m.brand, m.first_long_call::text AS call_date
