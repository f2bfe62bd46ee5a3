-- A typed code's message (if a text with it went out) and the guard's wait for its keys, in one
-- round trip: the same query whatever was typed, found or not.
--   $1 the code's keyed hash, $2 the guard keys (address, code), $3 now
SELECT
  (SELECT max(blocked_until) FROM portal_attempts
    WHERE key = ANY($2) AND blocked_until > $3) AS blocked_until,
  m.id::text AS id, m.number, m.brand, to_char(m.first_long_call, 'YYYY-MM-DD') AS call_date,
  m.country, m.zones
FROM (SELECT 1) AS one
LEFT JOIN (reference_codes r JOIN messages m ON m.id = r.message_id
             AND m.state IN ('submitted', 'delivered', 'undeliverable', 'expired', 'in_doubt'))
  ON r.ref_hash = $1
