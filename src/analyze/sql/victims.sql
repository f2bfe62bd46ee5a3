-- Victims (docs/analysis.md): one row per valid E.164 destination that is neither a service account's
-- registered phone nor a brand number. Tier: harmed (a capture on a call to it), likely (an
-- answered call of at least getvariable('likely_seconds') connected seconds), contacted
-- (answered, never that long), attempted (never answered). Answered means `connected`, derived
-- from the disposition as recorded (docs/switch-records.md §2), never the answer time alone; a
-- call is its deciding leg (§1). How sure its number is
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
    p.account, c.started_at, c.connected AS answered, c.billsec, p.bid,
    coalesce(cap.n, 0) AS captures,
    c.connected AND c.billsec >= getvariable('likely_seconds') AS long_call,
    -- How sure, and by which rule, as one small number: 16 × the confidence's place (certain 0,
    -- probable 1, guess 2) + the rule's place in `number_rule`, 15 for a confirmed reading, 14
    -- for a call ingested before numbers carried their evidence (a guess unless it was written
    -- with `+` or `00`: the old ingest fell back to the account's country silently). The least
    -- is the victim's strongest call; one small aggregate where text and two enums cost more.
    CASE WHEN cr.chosen IS NOT NULL THEN 15
         WHEN c.dialed_rule IS NOT NULL
           THEN 16 * enum_code(c.dialed_confidence) + enum_code(c.dialed_rule)
         WHEN regexp_matches(c.dialed_raw, '^\s*(\+|00)') THEN 14
         ELSE 46 END AS how,
    cr.chosen IS NULL AND (how >= 32 OR c.dialed_alt_digits IS NOT NULL) AS review,
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
    min(how) AS how,
    bool_and(review) AS needs_review,
    max(alt) AS alt
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
  ['certain', 'probable', 'guess'][n.how // 16 + 1] AS confidence,
  CASE n.how % 16 WHEN 15 THEN 'confirmed' WHEN 14 THEN NULL
    ELSE CAST(enum_range(NULL::number_rule)[n.how % 16 + 1] AS VARCHAR) END AS rule,
  n.needs_review,
  CASE WHEN n.needs_review THEN CASE WHEN n.alt IS NULL THEN 'weak' ELSE 'conflict' END END
    AS review_reason,
  CASE WHEN n.needs_review THEN '+' || n.alt END AS alt_number
FROM (SELECT n.*, a.accounts FROM per_number n JOIN per_account a USING (number)) n
-- The excluded numbers leave whole, after the grouping: a million numbers to look up, not
-- every call.
ANTI JOIN _excluded x ON x.number = n.number
CROSS JOIN _brand_names names;
