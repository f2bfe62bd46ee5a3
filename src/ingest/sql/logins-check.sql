CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*, _ts(s."at") AS at_ts, a.account_id IS NOT NULL AS account_known
  -- Only an accounts file's accounts: one only calls named is no account the service's records
  -- hold (docs/switch-records.md §3).
  FROM _src s LEFT JOIN accounts a ON a.account_id = s.account_id
    AND coalesce(a.origin, 'file') = 'file'
)
SELECT *,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN account_id IS NULL OR "at" IS NULL THEN 'missing_value'
    WHEN at_ts IS NULL THEN 'bad_date'
    WHEN NOT account_known THEN 'unknown_account'
  END AS reason,
  NULL::VARCHAR AS detail
FROM t;

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
