-- Every payment's value in GBP (docs/money.md), with how it was found:
-- - `stated`: the export's own value_gbp;
-- - `gbp`: paid in pounds;
-- - `rate`: amount × the rate for its currency on the day it was paid (UTC), or the last rate
--   before it (a weekend, a holiday) no more than getvariable('rate_max_days') days before;
--   the rate, its day and its file are kept beside the value.
-- A payment with none of these is not valued, with its reason, and counts for nothing until
-- it is: never silently zero.
CREATE OR REPLACE TABLE payment_values AS
WITH p AS (
  SELECT payment_id, account_id, paid_at, amount, currency, value_gbp,
    CAST(timezone('UTC', paid_at) AS DATE) AS day
  FROM payments
),
r AS (
  SELECT p.payment_id, r.day AS rate_day, r.gbp AS rate, r.file_id AS rate_file
  FROM p ASOF JOIN rates r ON r.currency = p.currency AND p.day >= r.day
  WHERE p.value_gbp IS NULL AND p.currency <> 'GBP' AND p.amount IS NOT NULL
),
v AS (
  SELECT p.*, r.rate_day, r.rate, r.rate_file,
    CASE
      WHEN p.value_gbp IS NOT NULL THEN 'stated'
      WHEN p.currency = 'GBP' AND p.amount IS NOT NULL THEN 'gbp'
      WHEN r.rate IS NOT NULL AND p.day - r.rate_day <= getvariable('rate_max_days') THEN 'rate'
    END AS basis
  FROM p LEFT JOIN r USING (payment_id)
)
SELECT payment_id, account_id, paid_at, amount, currency,
  CAST(CASE basis
    WHEN 'stated' THEN value_gbp
    WHEN 'gbp' THEN round(amount, 2)
    WHEN 'rate' THEN round(amount * rate, 2)
  END AS DECIMAL(18, 2)) AS value_gbp,
  basis,
  CASE WHEN basis = 'rate' THEN rate END AS rate,
  CASE WHEN basis = 'rate' THEN rate_day END AS rate_day,
  CASE WHEN basis = 'rate' THEN rate_file END AS rate_file,
  CASE WHEN basis IS NULL THEN
    CASE
      WHEN amount IS NULL THEN 'no_amount'
      WHEN currency IS NULL THEN 'no_currency'
      WHEN currency NOT IN (SELECT code FROM _currencies) THEN 'unknown_currency'
      WHEN rate IS NULL AND currency NOT IN (SELECT currency FROM rates) THEN 'no_rates_for_currency'
      WHEN rate IS NULL THEN 'no_rate_before'
      ELSE 'rate_too_old'
    END
  END AS not_valued
FROM v;
