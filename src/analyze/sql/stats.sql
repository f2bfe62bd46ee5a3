-- Statistics for the report and the console (docs/analysis.md, "Statistics (`stats`)"): by
-- destination country and tier, by
-- brand impersonated, per day and per month.
CREATE OR REPLACE TABLE stats_countries AS
SELECT coalesce(country, '') AS country, tier, count(*) AS victims, sum(calls) AS calls
FROM victims GROUP BY ALL;

-- By brand impersonated: each (brand, country of its number) as a small id, `_bg`. The calls
-- and accounts come from the calls counted per party (an integer key, parties.sql), and the
-- victims from the distinct (brand, number) pairs joined to `victims` once each: counting
-- distinct accounts and victims over 7M calls in one aggregation took twice the time.
CREATE OR REPLACE TEMP TABLE _bg AS
SELECT CAST(row_number() OVER (ORDER BY brand, country) AS INTEGER) AS bg, brand, country
FROM (SELECT DISTINCT brand, country FROM brands);

CREATE OR REPLACE TABLE stats_brands AS
WITH pb AS (
  SELECT p.party_id, p.account, g.bg
  FROM _party p
  JOIN _bg g ON g.brand = p.brand AND g.country IS NOT DISTINCT FROM p.brand_country
),
pc AS (
  SELECT party_id, count(*) AS calls FROM call_rows GROUP BY party_id
),
ca AS (
  SELECT pb.bg, CAST(sum(pc.calls) AS BIGINT) AS calls, count(DISTINCT pb.account) AS accounts
  FROM pc JOIN pb ON pb.party_id = pc.party_id
  GROUP BY pb.bg
),
-- Each call's number as victims.sql counts it: the reading an analyst confirmed for its pair of
-- readings (docs/numbers.md), else its dialled number.
pairs AS (
  SELECT DISTINCT pb.bg, coalesce(cr.chosen, c.dialed_digits) AS digits
  FROM call_rows c
  JOIN pb ON pb.party_id = c.party_id
  LEFT JOIN confirmed_readings cr ON cr.number = c.dialed_digits
    AND cr.alt = coalesce(c.dialed_alt_digits, 0)
),
vic AS (
  SELECT x.bg, count(*) AS victims,
    count(*) FILTER (WHERE v.tier IN ('likely', 'harmed')) AS likely_or_harmed
  FROM pairs x JOIN victims v ON CAST(v.number AS BIGINT) = x.digits
  GROUP BY x.bg
)
SELECT g.brand, g.country AS brand_country, ca.calls, ca.accounts,
  coalesce(vic.victims, 0) AS victims, coalesce(vic.likely_or_harmed, 0) AS likely_or_harmed
FROM ca
JOIN _bg g ON g.bg = ca.bg
LEFT JOIN vic ON vic.bg = ca.bg;

-- Calls per day and account, counted once: the daily and monthly figures are sums over it
-- (a few hundred thousand rows rather than every call twice). The account is its row in
-- `accounts` (from the call's party), an integer to group by. The day (in UTC, the case's time
-- zone) is the whole days since 1970, floored, made a date once per group: the same day as a
-- cast of the time, which goes through ICU for every call (1.4 s for 10M calls against 0.2 s).
CREATE OR REPLACE TEMP TABLE _day_accounts AS
SELECT DATE '1970-01-01' + CAST(d AS INTEGER) AS day, account, calls, answered, long_calls
FROM (
  SELECT fdiv(epoch_us(c.started_at), 86400000000) AS d, p.account, count(*) AS calls,
    count(*) FILTER (WHERE c.connected) AS answered,
    count(*) FILTER (WHERE c.connected AND c.billsec >= getvariable('likely_seconds')) AS long_calls
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
  -- In GBP as each payment was valued (money/sql/values.sql); bitcoin as paid.
  SELECT CAST(date_trunc('month', paid_at) AS DATE) AS month, sum(value_gbp) AS revenue_gbp,
    sum(amount) FILTER (WHERE currency = 'BTC') AS revenue_btc,
    count(DISTINCT account_id) AS paying_accounts
  FROM payment_values GROUP BY ALL
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
DROP TABLE _bg;
