-- One attempt at a code (alone, or with the phone's last four digits), decided and counted in
-- one statement: concurrent attempts on the same key queue on its row, so each sees the waits
-- the ones before it set (no burst gets past a limit).
--   $1 the code's keyed hash   $2 the address key   $3 the code key   $4 now
--   $5 the digits typed ('' when checking a code alone)   $6 'check' or 'signin'
--   $7, $8 the free failures of an address and of a code   $9 the longest wait (seconds)
-- A key waiting (blocked_until > now) refuses the attempt and counts nothing. Otherwise a
-- failure counts against both keys, and past its free failures each one doubles the key's
-- wait, up to the longest; a success forgives the code's failures.
WITH found AS (
  SELECT m.id::text AS id, m.number, m.brand, to_char(m.first_long_call, 'YYYY-MM-DD') AS call_date,
         m.country, m.zones
    FROM reference_codes r
    JOIN messages m ON m.id = r.message_id
     AND m.state IN ('submitted', 'delivered', 'undeliverable', 'expired', 'in_doubt')
   WHERE r.ref_hash = $1
),
verdict AS (
  SELECT EXISTS (SELECT 1 FROM found WHERE $6 = 'check' OR right(number, 4) = $5) AS ok
),
bump AS (
  INSERT INTO portal_attempts AS a (key, failures, last_at, blocked_until, refused)
  SELECT k.key, CASE WHEN v.ok THEN 0 ELSE 1 END, $4::timestamptz, $4::timestamptz, false
    FROM (VALUES (1, $2::text), (2, $3::text)) AS k (n, key), verdict v
   ORDER BY k.n
  ON CONFLICT (key) DO UPDATE SET
    refused = a.blocked_until > $4::timestamptz,
    last_at = $4::timestamptz,
    failures = CASE
      WHEN a.blocked_until > $4::timestamptz THEN a.failures
      WHEN (SELECT ok FROM verdict) THEN CASE WHEN a.key LIKE 'c:%' THEN 0 ELSE a.failures END
      ELSE a.failures + 1 END,
    blocked_until = CASE
      WHEN a.blocked_until > $4::timestamptz OR (SELECT ok FROM verdict) THEN a.blocked_until
      WHEN a.failures + 1 > (CASE WHEN a.key LIKE 'a:%' THEN $7::int ELSE $8::int END)
        THEN $4::timestamptz + make_interval(secs => least(
          power(2, a.failures + 1 - (CASE WHEN a.key LIKE 'a:%' THEN $7::int ELSE $8::int END)),
          $9::int))
      ELSE a.blocked_until END
  RETURNING a.refused, a.blocked_until
)
SELECT (SELECT bool_or(refused) FROM bump) AS refused,
       (SELECT max(blocked_until) FROM bump) AS blocked_until,
       (SELECT ok FROM verdict) AS ok,
       f.*
  FROM (SELECT 1) AS one LEFT JOIN found f ON true
