-- Suspects (docs/analysis.md, "Suspects (`suspects`)"): one row per account with every
-- component of its score. The score and
-- priority columns are added by score.ts from the case settings (weights and rules).
CREATE OR REPLACE TEMP TABLE _suspect_components AS
WITH pay AS (
  -- In GBP as money/sql/values.sql valued them; what could not be valued is counted, not zero.
  SELECT v.account_id, sum(v.value_gbp) AS paid_gbp,
    sum(v.amount) FILTER (WHERE v.currency = 'BTC') AS paid_btc, count(*) AS payments,
    count(*) FILTER (WHERE v.basis IS NULL) AS unvalued_payments,
    min(v.paid_at) AS first_paid, max(v.paid_at) AS last_paid
  FROM payment_values v GROUP BY v.account_id
),
cap AS (
  SELECT call_id, count(*) AS n FROM captures GROUP BY call_id
),
-- Per-call figures are grouped by the call's party (an integer, parties.sql), then each party's
-- by its account's row in `accounts`: no join over every call.
clp AS (
  SELECT c.party_id, count(*) AS calls, count(*) FILTER (WHERE c.connected) AS answered_calls,
    min(c.started_at) AS first_call, max(c.started_at) AS last_call,
    coalesce(sum(cap.n), 0) AS captures
  FROM call_rows c
  LEFT JOIN cap ON cap.call_id = c.call_id
  GROUP BY c.party_id
),
cl AS (
  SELECT p.account, CAST(sum(c.calls) AS BIGINT) AS calls,
    CAST(sum(c.answered_calls) AS BIGINT) AS answered_calls,
    min(c.first_call) AS first_call, max(c.last_call) AS last_call,
    sum(c.captures) AS captures,
    -- Brands as ids (sql/brand-ids.sql), named at the end.
    _brand_bits(p.bid) AS brand_bits
  FROM clp c JOIN _party p ON p.party_id = c.party_id
  GROUP BY p.account
),
-- The victims an account reached with a long call or a capture: only those calls are joined to
-- the victims.
cv AS (
  SELECT p.account_id,
    count(DISTINCT v.digits) FILTER (WHERE c.connected
      AND c.billsec >= getvariable('likely_seconds')) AS likely_victims,
    count(DISTINCT v.digits) FILTER (WHERE cap.n > 0) AS harmed_victims
  FROM call_rows c
  LEFT JOIN cap ON cap.call_id = c.call_id
  -- The number a call counts for, as victims.sql has it: the reading an analyst confirmed for
  -- its pair of readings (docs/numbers.md), else its dialled number.
  LEFT JOIN confirmed_readings cr ON cr.number = c.dialed_digits
    AND cr.alt = coalesce(c.dialed_alt_digits, 0)
  -- A victim as its number's digits, as the calls have it (schema.sql).
  JOIN (SELECT CAST(number AS BIGINT) AS digits FROM victims) v
    ON v.digits = coalesce(cr.chosen, c.dialed_digits)
  JOIN _party p ON p.party_id = c.party_id
  WHERE (c.connected AND c.billsec >= getvariable('likely_seconds')) OR cap.n > 0
  GROUP BY p.account_id
),
peak AS (
  SELECT account, max(n) AS peak_calls_per_minute
  -- The minute as whole minutes since 1970 (floored): the same buckets as date_trunc in UTC,
  -- four times cheaper over every call.
  FROM (SELECT p.account, fdiv(epoch_us(c.started_at), 60000000) AS m, count(*) AS n
        FROM call_rows c JOIN _party p ON p.party_id = c.party_id GROUP BY ALL)
  GROUP BY account
),
lg AS (
  SELECT account_id, min("at") AS first_login, max("at") AS last_login FROM logins GROUP BY account_id
),
-- What victims reported losing (the portal's reports, read in by analyze) to every account
-- that called them: the calls that count for a reported number (as victims.sql counts them),
-- found by their dialled digits: the number itself, and each number whose pair of readings an
-- analyst confirmed as it. The small tables are joined to the calls, not the other way round.
ld AS (
  SELECT TRY_CAST(number AS BIGINT) AS dialed FROM reported_losses
  UNION
  SELECT cr.number FROM confirmed_readings cr
  JOIN reported_losses l ON cr.chosen = TRY_CAST(l.number AS BIGINT)
),
rl AS (
  SELECT account_id, sum(lost_gbp) AS reported_loss_gbp
  FROM (SELECT DISTINCT p.account_id, l.number, l.lost_gbp
        FROM ld
        JOIN call_rows c ON c.dialed_digits = ld.dialed
        LEFT JOIN confirmed_readings cr ON cr.number = c.dialed_digits
          AND cr.alt = coalesce(c.dialed_alt_digits, 0)
        JOIN reported_losses l ON TRY_CAST(l.number AS BIGINT) = coalesce(cr.chosen, c.dialed_digits)
          AND l.number = '+' || CAST(coalesce(cr.chosen, c.dialed_digits) AS VARCHAR)
        JOIN _party p ON p.party_id = c.party_id)
  GROUP BY account_id
),
lk AS (
  SELECT account_id, count(DISTINCT other) AS linked_accounts
  FROM (SELECT account_a AS account_id, account_b AS other FROM links
        UNION ALL SELECT account_b, account_a FROM links)
  GROUP BY account_id
)
SELECT a.account_id, a.country,
  jr.jurisdiction, jr.jurisdiction_strength, jr.jurisdiction_confidence, jr.jurisdiction_basis,
  coalesce(pay.paid_gbp, 0) AS paid_gbp, coalesce(pay.paid_btc, 0) AS paid_btc,
  coalesce(pay.payments, 0) AS payments, coalesce(pay.unvalued_payments, 0) AS unvalued_payments,
  coalesce(cl.calls, 0) AS calls, coalesce(cl.answered_calls, 0) AS answered_calls,
  coalesce(cv.likely_victims, 0) AS likely_victims, coalesce(cv.harmed_victims, 0) AS harmed_victims,
  coalesce(cl.captures, 0) AS captures, coalesce(bit_count(cl.brand_bits), 0) AS brands,
  array_to_string(list_transform(_brand_list(cl.brand_bits), i -> names.brands[i]), ';') AS brand_names,
  least(cl.first_call, pay.first_paid, lg.first_login, a.created_at) AS first_activity,
  greatest(cl.last_call, pay.last_paid, lg.last_login, a.created_at) AS last_activity,
  coalesce(peak.peak_calls_per_minute, 0) AS peak_calls_per_minute,
  coalesce(lk.linked_accounts, 0) AS linked_accounts,
  coalesce(rl.reported_loss_gbp, 0) AS reported_loss_gbp,
  cr.crew_id
FROM accounts a
LEFT JOIN pay USING (account_id)
LEFT JOIN cl ON cl.account = a.rowid
LEFT JOIN cv USING (account_id)
LEFT JOIN peak ON peak.account = a.rowid
LEFT JOIN lg USING (account_id)
LEFT JOIN lk USING (account_id)
LEFT JOIN rl USING (account_id)
LEFT JOIN crews cr USING (account_id)
LEFT JOIN jurisdiction jr USING (account_id)
CROSS JOIN _brand_names names
-- `(none)` holds the calls with no account code (docs/switch-records.md §3): no one to suspect.
WHERE coalesce(a.origin, 'file') <> 'none';
