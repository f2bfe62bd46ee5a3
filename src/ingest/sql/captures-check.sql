-- Captures record that a code was captured, and when; never its value (no column holds one).
CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*, _ts(s.captured_at) AS captured_ts, lower(s.kind) AS kind_l,
    s.call_id IN (SELECT call_id FROM call_rows) AS call_known
  FROM _src s
)
SELECT *,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN call_id IS NULL OR captured_at IS NULL OR kind IS NULL THEN 'missing_value'
    WHEN captured_ts IS NULL THEN 'bad_date'
    WHEN kind_l NOT IN ('otp', 'pin', 'card', 'other') THEN 'bad_value'
    WHEN NOT call_known THEN 'unknown_call'
  END AS reason,
  CASE WHEN kind_l NOT IN ('otp', 'pin', 'card', 'other') THEN 'kind' END AS detail
FROM t;

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
