-- Every identifier an account used, with when it was first and last seen (docs/analysis.md,
-- "Network: identifiers, links, crews").
-- Values are compared in a canonical form: emails and handles lower-cased, handles without '@',
-- phones as E.164 where they resolved.
CREATE OR REPLACE TABLE identifiers AS
SELECT 'email' AS type, lower(trim(email)) AS value, account_id, created_at AS first_seen, created_at AS last_seen
FROM accounts WHERE nullif(trim(email), '') IS NOT NULL
UNION ALL
SELECT 'phone', coalesce(phone_e164, regexp_replace(phone_raw, '[^0-9+]', '', 'g')), account_id, created_at, created_at
FROM accounts WHERE nullif(trim(phone_raw), '') IS NOT NULL
UNION ALL
SELECT 'telegram', lower(ltrim(trim(telegram), '@')), account_id, created_at, created_at
FROM accounts WHERE nullif(ltrim(trim(telegram), '@'), '') IS NOT NULL
UNION ALL
SELECT 'wallet', btc_address, account_id, min(paid_at), max(paid_at)
FROM payments WHERE nullif(trim(btc_address), '') IS NOT NULL GROUP BY ALL
UNION ALL
-- A wallet of more than one address (wallets/sql/clusters.sql): accounts that paid from its
-- addresses, though not from one address, are one wallet's.
SELECT 'wallet_cluster', wallet, account_id, first_paid, last_paid
FROM account_wallets
WHERE wallet IN (SELECT wallet FROM wallet_addresses GROUP BY wallet HAVING count(*) > 1)
UNION ALL
SELECT 'device', user_agent, account_id, min("at"), max("at")
FROM logins WHERE nullif(trim(user_agent), '') IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'ip', ip, account_id, min("at"), max("at")
FROM logins WHERE nullif(trim(ip), '') IS NOT NULL GROUP BY ALL;

-- An identifier used by more accounts than the threshold is infrastructure (a VPN exit, a
-- payment processor's hot wallet, a common browser), not a link.
CREATE OR REPLACE TABLE infrastructure AS
SELECT type, value, count(DISTINCT account_id) AS accounts
FROM identifiers
GROUP BY ALL
HAVING count(DISTINCT account_id) > getvariable('infrastructure_accounts');
