-- Captures record that a code was captured, and when; never its value (no column holds one).
-- Whether a capture's call is in the case: the calls whose id a capture names, found by probing
-- the captures' few ids with every call's (0.3 s at scale 1), not by building a hash table of
-- every call's id to probe with the captures' (1.4–1.7 s).
CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*, _ts(s.captured_at) AS captured_ts, lower(s.kind) AS kind_l,
    s.call_id IN (
      SELECT c.call_id FROM call_rows c SEMI JOIN _src k ON k.call_id = c.call_id
    ) AS call_known
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
