-- Accounts: a registered phone that is not a valid number is kept as written (phone_e164
-- NULL); the account itself is quarantined only when it cannot be identified or dated.
CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*, _country(s.country) AS country_cc, _ts(s.created_at) AS created_ts,
    p.e164 AS phone_e164, p.country AS phone_country
  FROM _src s
  LEFT JOIN _pn p ON p.raw = s.phone
    AND p.ctx = CASE WHEN starts_with(ltrim(s.phone), '+') THEN '' ELSE coalesce(_country(s.country), '') END
)
SELECT *,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN account_id IS NULL THEN 'missing_value'
    WHEN country IS NOT NULL AND country_cc IS NULL THEN 'bad_value'
    WHEN created_at IS NOT NULL AND created_ts IS NULL THEN 'bad_date'
  END AS reason,
  CASE WHEN country IS NOT NULL AND country_cc IS NULL THEN 'country' END AS detail
FROM t;

UPDATE _chk SET reason = 'duplicate_id', detail = 'account_id'
WHERE reason IS NULL AND (
  -- An account only calls named (docs/switch-records.md §3) is replaced by the file's row.
  account_id IN (SELECT account_id FROM accounts WHERE coalesce(origin, 'file') = 'file')
  OR _ord NOT IN (SELECT min(_ord) FROM _chk WHERE reason IS NULL GROUP BY account_id)
);

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
