-- Suspect leads: calls to a number registered to a service account (the fraudsters' own and
-- test phones) are not victims; they tie the calling account to the registered one.
CREATE OR REPLACE TABLE own_number_calls AS
SELECT p.account_id AS calling_account, a.account_id AS registered_account, a.phone_e164 AS number,
  count(*) AS calls, min(c.started_at) AS first_call_at, max(c.started_at) AS last_call_at
FROM call_rows c
-- The registered phone as digits, as the calls have their numbers (schema.sql).
JOIN accounts a ON TRY_CAST(a.phone_e164 AS BIGINT) = c.dialed_digits
JOIN _party p ON p.party_id = c.party_id
GROUP BY ALL;
