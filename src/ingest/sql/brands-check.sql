-- Brand numbers must be valid numbers: a brand list with a wrong entry is worth seeing.
CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*, p.e164, p.status AS number_status, p.reason AS number_reason,
    _country(s.country) AS country_cc,
    CASE lower(coalesce(s.inbound_only, 'false'))
      WHEN 'true' THEN true WHEN 'yes' THEN true WHEN '1' THEN true
      WHEN 'false' THEN false WHEN 'no' THEN false WHEN '0' THEN false END AS inbound
  FROM _src s
  LEFT JOIN _pn p ON p.raw = s.number
    AND p.ctx = CASE WHEN starts_with(ltrim(s.number), '+') THEN '' ELSE coalesce(_country(s.country), '') END
)
SELECT *,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN number IS NULL OR brand IS NULL THEN 'missing_value'
    WHEN number_reason IS NOT NULL THEN number_reason
    WHEN number_status <> 'valid' THEN 'invalid_number'
    WHEN (country IS NOT NULL AND country_cc IS NULL) OR inbound IS NULL THEN 'bad_value'
  END AS reason,
  CASE WHEN number_reason IS NOT NULL OR number_status <> 'valid' THEN 'number'
       WHEN country IS NOT NULL AND country_cc IS NULL THEN 'country'
       WHEN inbound IS NULL THEN 'inbound_only' END AS detail
FROM t;

UPDATE _chk SET reason = 'duplicate_id', detail = 'number'
WHERE reason IS NULL AND _ord NOT IN (SELECT min(_ord) FROM _chk WHERE reason IS NULL GROUP BY e164);

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
