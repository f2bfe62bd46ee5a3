-- Victims (DESIGN §6): one row per valid E.164 destination that is neither a service account's
-- registered phone nor a brand number. Tier: harmed (a capture on a call to it), likely (an
-- answered call of at least getvariable('likely_seconds') connected seconds), contacted
-- (answered, never that long), attempted (never answered).
CREATE OR REPLACE TABLE victims AS
WITH excluded AS (
  SELECT phone_e164 AS e164 FROM accounts WHERE phone_e164 IS NOT NULL
  UNION
  SELECT e164 FROM brands
),
cap AS (
  SELECT call_id, count(*) AS n FROM captures GROUP BY call_id
),
-- A valid number is `+` and digits, the first not 0: its digits (`dialed_digits`, schema.sql)
-- stand for it exactly, and group and join far faster than the text (`'+' || number` at the
-- end).
vc AS (
  SELECT c.dialed_digits AS number, c.dialed_country AS country,
    -- The account as an integer and the brand as an id, from the call's party (parties.sql).
    p.account, c.started_at, c.answered_at IS NOT NULL AS answered, c.billsec, p.bid,
    coalesce(cap.n, 0) AS captures,
    c.answered_at IS NOT NULL AND c.billsec >= getvariable('likely_seconds') AS long_call
  FROM call_rows c
  JOIN _party p ON p.party_id = c.party_id
  LEFT JOIN cap ON cap.call_id = c.call_id
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
    _brand_bits(bid) AS brand_bits
  FROM vc
  GROUP BY number
),
per_account AS (
  SELECT number, count(DISTINCT account) AS accounts FROM vc GROUP BY number
)
SELECT '+' || n.number AS number, n.country, n.tier, n.first_call_at, n.last_call_at, n.calls,
  n.connected_seconds, n.longest_call_seconds, a.accounts,
  array_to_string(list_transform(_brand_list(n.brand_bits), i -> names.brands[i]), ';') AS brands,
  n.first_long_call_at, names.brands[n.first_long_call_bid] AS first_long_call_brand, n.captures
FROM per_number n
JOIN per_account a USING (number)
-- The excluded numbers leave whole, after the grouping: a million numbers to look up, not
-- every call.
ANTI JOIN (SELECT TRY_CAST(e164 AS BIGINT) AS number FROM excluded) x ON x.number = n.number
CROSS JOIN _brand_names names;
