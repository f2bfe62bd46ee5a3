-- Statistics for the report and the console (DESIGN §4): by destination country and tier, by
-- brand impersonated, per day and per month.
CREATE OR REPLACE TABLE stats_countries AS
SELECT coalesce(country, '') AS country, tier, count(*) AS victims, sum(calls) AS calls
FROM victims GROUP BY ALL;

-- Accounts and victims are counted as integers (an account's row in `accounts`, from the call's
-- party, parties.sql; a victim's digits): distinct integers are counted far faster than
-- distinct text.
CREATE OR REPLACE TABLE stats_brands AS
SELECT p.brand, p.brand_country, count(*) AS calls, count(DISTINCT p.account) AS accounts,
  count(DISTINCT v.digits) AS victims,
  count(DISTINCT v.digits) FILTER (WHERE v.tier IN ('likely', 'harmed')) AS likely_or_harmed
FROM call_rows c
-- The calls' parties that present a brand's number (parties.sql).
JOIN (SELECT * FROM _party WHERE brand IS NOT NULL) p ON p.party_id = c.party_id
LEFT JOIN (SELECT number, CAST(number AS HUGEINT) AS digits, tier FROM victims) v
  ON v.number = c.dialed_e164
GROUP BY ALL;

-- Calls per day and account, counted once: the daily and monthly figures are sums over it
-- (a few hundred thousand rows rather than every call twice). The account is its row in
-- `accounts` (from the call's party), an integer to group by. The day (in UTC, the case's time zone) is the whole days
-- since 1970, floored, made a date once per group: the same day as a cast of the time, which
-- goes through ICU for every call (1.4 s for 10M calls against 0.2 s).
CREATE OR REPLACE TEMP TABLE _day_accounts AS
SELECT DATE '1970-01-01' + CAST(d AS INTEGER) AS day, account, calls, answered, long_calls
FROM (
  SELECT fdiv(epoch_us(c.started_at), 86400000000) AS d, p.account, count(*) AS calls,
    count(c.answered_at) AS answered,
    count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.billsec >= getvariable('likely_seconds')) AS long_calls
  FROM call_rows c JOIN _party p ON p.party_id = c.party_id
  GROUP BY ALL
);

CREATE OR REPLACE TABLE stats_days AS
SELECT day, CAST(sum(calls) AS BIGINT) AS calls, CAST(sum(answered) AS BIGINT) AS answered,
  CAST(sum(long_calls) AS BIGINT) AS long_calls, count(*) AS accounts
FROM _day_accounts GROUP BY ALL;

CREATE OR REPLACE TABLE stats_months AS
WITH m AS (
  SELECT CAST(date_trunc('month', day) AS DATE) AS month, CAST(sum(calls) AS BIGINT) AS calls,
    CAST(sum(answered) AS BIGINT) AS answered, count(DISTINCT account) AS active_accounts
  FROM _day_accounts GROUP BY ALL
),
rev AS (
  SELECT CAST(date_trunc('month', paid_at) AS DATE) AS month, sum(value_gbp) AS revenue_gbp, sum(amount_btc) AS revenue_btc,
    count(DISTINCT account_id) AS paying_accounts
  FROM payments GROUP BY ALL
),
nv AS (
  SELECT CAST(date_trunc('month', first_call_at) AS DATE) AS month, count(*) AS new_victims,
    count(*) FILTER (WHERE tier IN ('likely', 'harmed')) AS new_likely_or_harmed
  FROM victims GROUP BY ALL
)
SELECT month, coalesce(m.calls, 0) AS calls, coalesce(m.answered, 0) AS answered,
  coalesce(m.active_accounts, 0) AS active_accounts, coalesce(rev.revenue_gbp, 0) AS revenue_gbp,
  coalesce(rev.revenue_btc, 0) AS revenue_btc, coalesce(rev.paying_accounts, 0) AS paying_accounts,
  coalesce(nv.new_victims, 0) AS new_victims, coalesce(nv.new_likely_or_harmed, 0) AS new_likely_or_harmed
FROM m FULL JOIN rev USING (month) FULL JOIN nv USING (month);

DROP TABLE _day_accounts;
