CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*, _ts(s.paid_at) AS paid_ts,
    TRY_CAST(s.amount_btc AS DECIMAL(18, 8)) AS btc, TRY_CAST(s.value_gbp AS DECIMAL(14, 2)) AS gbp,
    TRY_CAST(s.amount AS DECIMAL(18, 8)) AS amt,
    -- The currency as a code (XBT is BTC); bitcoin when only amount_btc says what was paid.
    CASE WHEN s.currency IS NOT NULL THEN _currency(s.currency)
         WHEN s.amount_btc IS NOT NULL THEN 'BTC' END AS cur,
    a.account_id IS NOT NULL AS account_known
  -- Only an accounts file's accounts: one only calls named is no account the service's records
  -- hold (docs/switch-records.md §3).
  FROM _src s LEFT JOIN accounts a ON a.account_id = s.account_id
    AND coalesce(a.origin, 'file') = 'file'
)
SELECT *,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN payment_id IS NULL OR account_id IS NULL OR paid_at IS NULL THEN 'missing_value'
    WHEN paid_ts IS NULL THEN 'bad_date'
    WHEN (amount_btc IS NOT NULL AND (btc IS NULL OR btc < 0))
      OR (value_gbp IS NOT NULL AND (gbp IS NULL OR gbp < 0))
      OR (amount IS NOT NULL AND (amt IS NULL OR amt < 0)) THEN 'bad_value'
    WHEN NOT account_known THEN 'unknown_account'
  END AS reason,
  CASE
    WHEN amount_btc IS NOT NULL AND (btc IS NULL OR btc < 0) THEN 'amount_btc'
    WHEN value_gbp IS NOT NULL AND (gbp IS NULL OR gbp < 0) THEN 'value_gbp'
    WHEN amount IS NOT NULL AND (amt IS NULL OR amt < 0) THEN 'amount'
  END AS detail
FROM t;

UPDATE _chk SET reason = 'duplicate_id', detail = 'payment_id'
WHERE reason IS NULL AND (
  payment_id IN (SELECT payment_id FROM payments)
  OR _ord NOT IN (SELECT min(_ord) FROM _chk WHERE reason IS NULL GROUP BY payment_id)
);

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
