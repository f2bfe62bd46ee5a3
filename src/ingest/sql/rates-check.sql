-- Rates (docs/money.md): a day, a known currency, and a positive number of GBP for one unit.
-- The first rate for a day and currency wins; a second is quarantined, whatever its value.
CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*, TRY_CAST(s.date AS DATE) AS day, _currency(s.currency) AS cur,
    TRY_CAST(s.gbp AS DECIMAL(20, 12)) AS rate
  FROM _src s
)
SELECT *,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN date IS NULL OR currency IS NULL OR gbp IS NULL THEN 'missing_value'
    WHEN day IS NULL THEN 'bad_date'
    WHEN cur NOT IN (SELECT code FROM _currencies) THEN 'unknown_currency'
    WHEN rate IS NULL OR rate <= 0 THEN 'bad_value'
  END AS reason,
  CASE
    WHEN day IS NULL THEN 'date'
    WHEN cur NOT IN (SELECT code FROM _currencies) THEN 'currency'
    WHEN rate IS NULL OR rate <= 0 THEN 'gbp'
  END AS detail
FROM t;

UPDATE _chk SET reason = 'duplicate_id', detail = 'date,currency'
WHERE reason IS NULL AND (
  (day, cur) IN (SELECT (day, currency) FROM rates)
  OR _ord NOT IN (SELECT min(_ord) FROM _chk WHERE reason IS NULL GROUP BY day, cur)
);

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
