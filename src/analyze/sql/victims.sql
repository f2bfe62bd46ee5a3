-- Victims (docs/analysis.md): one row per valid E.164 destination that is neither a service account's
-- registered phone nor a brand number. Tier: harmed (a capture on a call to it), likely (an
-- answered call of at least getvariable('likely_seconds') connected seconds), contacted
-- (answered, never that long), attempted (never answered). How sure its number is
-- (docs/numbers.md): the strongest confidence of its calls; it needs review when every call to
-- it does (a guess, or a rival reading, `alt_number`), unless an analyst confirmed the reading
-- (`confirmed_readings`: the calls that gave that pair of readings count for the number chosen).

-- What is excluded (docs/analysis.md): registered phones (leads; accounts may share one) and
-- the banks' own numbers, each number once, a registered phone first.
CREATE OR REPLACE TEMP TABLE _excluded AS
SELECT number,
  CASE WHEN bool_or(reason = 'own_phone') THEN 'own_phone' ELSE 'brand_number' END AS reason
FROM (
  SELECT TRY_CAST(phone_e164 AS BIGINT) AS number, 'own_phone' AS reason FROM accounts
  WHERE phone_e164 IS NOT NULL
  UNION ALL
  SELECT TRY_CAST(e164 AS BIGINT), 'brand_number' FROM brands
)
WHERE number IS NOT NULL
GROUP BY number;
CREATE OR REPLACE TABLE victims AS
WITH cap AS (
  SELECT call_id, count(*) AS n FROM captures GROUP BY call_id
),
-- A valid number is `+` and digits, the first not 0: its digits (`dialed_digits`, schema.sql)
-- stand for it exactly, and group and join far faster than the text (`'+' || number` at the
-- end).
vc AS (
  SELECT coalesce(cr.chosen, c.dialed_digits) AS number,
    CASE WHEN cr.chosen IS NULL THEN c.dialed_country ELSE cr.chosen_country END AS country,
    -- The account as an integer and the brand as an id, from the call's party (parties.sql).
    p.account, c.started_at, c.answered_at IS NOT NULL AS answered, c.billsec, p.bid,
    coalesce(cap.n, 0) AS captures,
    c.answered_at IS NOT NULL AND c.billsec >= getvariable('likely_seconds') AS long_call,
    -- A call ingested before numbers carried their evidence (no rule) is a guess, unless it was
    -- written with `+` or `00`: the old ingest fell back to the account's country silently.
    CASE WHEN cr.chosen IS NOT NULL THEN CAST('certain' AS number_confidence)
         WHEN c.dialed_rule IS NOT NULL THEN c.dialed_confidence
         WHEN regexp_matches(c.dialed_raw, '^\s*(\+|00)') THEN CAST('certain' AS number_confidence)
         ELSE CAST('guess' AS number_confidence) END AS confidence,
    -- The rule as its 1-byte enum: grouped over millions of calls, text costs far more.
    c.dialed_rule AS rule, cr.chosen IS NOT NULL AS confirmed,
    cr.chosen IS NULL AND (confidence = 'guess' OR c.dialed_alt_digits IS NOT NULL) AS review,
    CASE WHEN cr.chosen IS NULL THEN c.dialed_alt_digits END AS alt
  FROM call_rows c
  JOIN _party p ON p.party_id = c.party_id
  LEFT JOIN cap ON cap.call_id = c.call_id
  LEFT JOIN confirmed_readings cr ON cr.number = c.dialed_digits
    AND cr.alt = coalesce(c.dialed_alt_digits, 0)
  WHERE c.dialed_status = 'valid'
),
-- The distinct accounts run on their own grouping: in one pass with the others they slow the
-- whole aggregation down by half.
per_number AS (
  SELECT
    number,
    any_value(country) AS country,
    CASE
      WHEN sum(captures) > 0 THEN 'harmed'
      WHEN bool_or(long_call) THEN 'likely'
      WHEN bool_or(answered) THEN 'contacted'
      ELSE 'attempted'
    END AS tier,
    min(started_at) AS first_call_at,
    max(started_at) AS last_call_at,
    count(*) AS calls,
    coalesce(sum(billsec) FILTER (WHERE answered), 0) AS connected_seconds,
    coalesce(max(billsec) FILTER (WHERE answered), 0) AS longest_call_seconds,
    min(started_at) FILTER (WHERE long_call) AS first_long_call_at,
    arg_min(bid, started_at) FILTER (WHERE long_call AND bid IS NOT NULL) AS first_long_call_bid,
    CAST(sum(captures) AS BIGINT) AS captures,
    _brand_bits(bid) AS brand_bits,
    min(confidence) AS confidence,
    arg_min(rule, confidence) AS rule,
    bool_or(confirmed) AS confirmed,
    count(*) FILTER (WHERE review) AS review_calls,
    max(alt) FILTER (WHERE review) AS alt
  FROM vc
  GROUP BY number
),
per_account AS (
  SELECT number, count(DISTINCT account) AS accounts FROM vc GROUP BY number
)

SELECT '+' || n.number AS number, n.country, n.tier, n.first_call_at, n.last_call_at, n.calls,
  n.connected_seconds, n.longest_call_seconds, n.accounts,
  array_to_string(list_transform(_brand_list(n.brand_bits), i -> names.brands[i]), ';') AS brands,
  n.first_long_call_at, names.brands[n.first_long_call_bid] AS first_long_call_brand, n.captures,
  CAST(n.confidence AS VARCHAR) AS confidence,
  CASE WHEN n.confirmed THEN 'confirmed' ELSE CAST(n.rule AS VARCHAR) END AS rule,
  n.review_calls = n.calls AS needs_review,
  CASE WHEN n.review_calls = n.calls THEN CASE WHEN n.alt IS NULL THEN 'weak' ELSE 'conflict' END END
    AS review_reason,
  CASE WHEN n.review_calls = n.calls THEN '+' || n.alt END AS alt_number
FROM (SELECT n.*, a.accounts FROM per_number n JOIN per_account a USING (number)) n
-- The excluded numbers leave whole, after the grouping: a million numbers to look up, not
-- every call.
ANTI JOIN _excluded x ON x.number = n.number
CROSS JOIN _brand_names names;
