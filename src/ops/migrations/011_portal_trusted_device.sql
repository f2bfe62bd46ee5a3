-- A victim's own browser is not locked out of their report by someone else's failures with
-- their code (docs/portal.md, "Security"). After a victim signs in, their browser holds a device
-- token for that code (a keyed hash of it, portal/access.ts); an attempt that carries it
-- (p_trusted) is not refused for the code's wait, only for its address's. Everyone else still
-- meets the code's wait, so guessing its digits from many addresses stays as slow as before.
-- The wait reported is that of a key that refused the attempt.
DROP FUNCTION portal_attempt(text, text, text, timestamptz, text, text, integer, integer, integer);
CREATE FUNCTION portal_attempt(
  p_ref_hash text, p_address_key text, p_code_key text, p_at timestamptz, p_digits text,
  p_mode text, p_free_address integer, p_free_code integer, p_max_wait integer,
  p_trusted boolean
) RETURNS TABLE (
  refused boolean, blocked_until timestamptz, ok boolean, id text, number text, brand text,
  call_date text, country text, zones text
) LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH found AS (
    SELECT m.id::text AS id, m.number, m.brand,
           to_char(m.first_long_call, 'YYYY-MM-DD') AS call_date, m.country, m.zones
      FROM reference_codes r
      JOIN messages m ON m.id = r.message_id
       AND m.state IN ('submitted', 'delivered', 'undeliverable', 'expired', 'in_doubt')
     WHERE r.ref_hash = p_ref_hash
  ),
  verdict AS (
    SELECT EXISTS (SELECT 1 FROM found f WHERE p_mode = 'check' OR right(f.number, 4) = p_digits)
           AS ok
  ),
  bump AS (
    INSERT INTO portal_attempts AS a (key, failures, last_at, blocked_until, refused)
    SELECT k.key, CASE WHEN v.ok THEN 0 ELSE 1 END, p_at, p_at, false
      FROM (VALUES (1, p_address_key), (2, p_code_key)) AS k (n, key), verdict v
     ORDER BY k.n
    ON CONFLICT (key) DO UPDATE SET
      refused = a.blocked_until > p_at AND NOT (p_trusted AND a.key LIKE 'c:%'),
      last_at = p_at,
      failures = CASE
        WHEN a.blocked_until > p_at THEN a.failures
        WHEN (SELECT v.ok FROM verdict v) THEN CASE WHEN a.key LIKE 'c:%' THEN 0 ELSE a.failures END
        ELSE a.failures + 1 END,
      blocked_until = CASE
        WHEN a.blocked_until > p_at OR (SELECT v.ok FROM verdict v) THEN a.blocked_until
        WHEN a.failures + 1 > (CASE WHEN a.key LIKE 'a:%' THEN p_free_address ELSE p_free_code END)
          THEN p_at + make_interval(secs => least(
            power(2, a.failures + 1
                     - (CASE WHEN a.key LIKE 'a:%' THEN p_free_address ELSE p_free_code END)),
            p_max_wait))
        ELSE a.blocked_until END
    RETURNING a.refused, a.blocked_until
  )
  SELECT (SELECT bool_or(b.refused) FROM bump b),
         (SELECT max(b.blocked_until) FILTER (WHERE b.refused) FROM bump b),
         (SELECT v.ok FROM verdict v),
         f.id, f.number, f.brand, f.call_date, f.country, f.zones
    FROM (SELECT 1) AS one LEFT JOIN found f ON true;
END
$fn$;
