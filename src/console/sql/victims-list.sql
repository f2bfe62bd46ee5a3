-- The victims list (console/victims-list.ts), after victims-where.sql's filter.

-- name: columns
-- What a row of the list shows, and what marks a number that needs review.
number, country, tier, first_call_at, last_call_at, calls, connected_seconds, accounts, brands,
  needs_review, review_reason, alt_number

-- name: called
-- Called within the dates: at least one call that counts for the victim (victim-calls.ts, the
-- `victim_calls` put before the statement) started on a day from `$from` to `$to`, both
-- included (UTC). victims-where.sql has already kept only the victims whose first and last
-- calls could allow one, which is necessary, not enough: a victim called in May and in July
-- spans June without a call in it.
AND TRY_CAST(substr(number, 2) AS BIGINT) IN (
  SELECT victim_digits FROM victim_calls
  WHERE ($from IS NULL OR started_at >= CAST($from AS TIMESTAMPTZ))
    AND ($to IS NULL OR started_at < CAST($to AS TIMESTAMPTZ) + INTERVAL 1 DAY)
)
