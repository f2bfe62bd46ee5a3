-- Calls whose victim number no reading resolves (docs/numbers.md): kept with their raw values,
-- one row per distinct raw value, so that no victim silently disappears. A dialled value that is
-- no phone number at all — six digits or fewer (`*97`), a dial-plan artefact, withheld — is a
-- service code, excluded for that reason (`call_classes`); a number with stray characters and
-- more digits (`+44 78#20657379`) is unresolved, for an analyst to read
-- (docs/switch-records.md §7).
CREATE OR REPLACE TEMP MACRO _service_code(status, raw) AS
  status IN ('special', 'withheld') OR length(regexp_replace(raw, '[^0-9]', '', 'g')) <= 6;

-- The calls whose dialled number has no valid reading, read from all calls once.
CREATE OR REPLACE TEMP TABLE _nv AS
SELECT party_id, dialed_raw, connected, billsec, started_at,
  _service_code(dialed_status, dialed_raw) AS service
FROM call_rows WHERE dialed_status <> 'valid';

CREATE OR REPLACE TABLE unresolved AS
SELECT c.dialed_raw AS raw, count(*) AS calls, count(DISTINCT p.account) AS accounts,
  count(*) FILTER (WHERE c.connected) AS answered_calls,
  coalesce(max(c.billsec) FILTER (WHERE c.connected), 0) AS longest_call_seconds,
  min(c.started_at) AS first_call_at, max(c.started_at) AS last_call_at,
  array_to_string(list_sort(list_distinct(list(cp.route))), ';') AS routes,
  array_to_string(list_sort(list_distinct(list(a.country))), ';') AS account_countries,
  array_to_string(list_sort(list_distinct(list(CAST(cp.presented_country AS VARCHAR)))), ';')
    AS presented_countries
FROM _nv c
JOIN _party p ON p.party_id = c.party_id
JOIN call_parties cp ON cp.party_id = c.party_id
JOIN accounts a ON a.account_id = p.account_id
WHERE NOT c.service
GROUP BY c.dialed_raw;

-- Every loaded call in exactly one class: a victim's call, unresolved, or excluded with its
-- reason (own_phone, brand_number, service_code). analyze.ts checks that they add up.
CREATE OR REPLACE TABLE call_classes AS
SELECT 'victim' AS class, coalesce(sum(calls), 0) AS calls FROM victims
UNION ALL
-- (The calls to excluded numbers, counted here rather than kept from victims.sql's grouping:
-- a temp table made inside the analysis's transaction is read at half the speed.)
SELECT x.reason, count(e.number)
FROM (VALUES ('own_phone'), ('brand_number')) x(reason)
LEFT JOIN (
  SELECT e.number, e.reason FROM call_rows c
  LEFT JOIN confirmed_readings cr ON cr.number = c.dialed_digits
    AND cr.alt = coalesce(c.dialed_alt_digits, 0)
  JOIN _excluded e ON e.number = coalesce(cr.chosen, c.dialed_digits)
  WHERE c.dialed_status = 'valid'
) e ON e.reason = x.reason
GROUP BY x.reason
UNION ALL
SELECT 'unresolved', coalesce(sum(calls), 0) FROM unresolved
UNION ALL
SELECT 'service_code', count(*) FROM _nv WHERE service;
DROP TABLE _excluded; DROP TABLE _nv;
