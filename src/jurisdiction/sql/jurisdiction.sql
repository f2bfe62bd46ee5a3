-- Where each account's user likely is (docs/jurisdiction.md), from the evidence and its weight:
-- - login_ip (4): the days it logged in from located addresses (ip-intel.sql: public, on no
--   hosting, VPN or Tor list), shared among their countries;
-- - payment_ip (2): the payments made from located addresses, likewise;
-- - phone (1.5): the country of its registered phone number;
-- - declared (1): the country it typed when it signed up, which anyone can choose.
CREATE OR REPLACE TABLE jurisdiction_evidence AS
WITH lg AS (
  SELECT l.account_id, i.country, count(DISTINCT CAST(timezone('UTC', l."at") AS DATE)) AS n
  FROM logins l JOIN ip_intel i ON i.ip = l.ip AND i.located
  GROUP BY ALL
),
pg AS (
  SELECT p.account_id, i.country, count(*) AS n
  FROM payments p JOIN ip_intel i ON i.ip = p.ip AND i.located
  GROUP BY ALL
),
shares AS (
  SELECT 'login_ip' AS source, account_id, country, n, sum(n) OVER (PARTITION BY account_id) AS total,
    4.0 AS weight FROM lg
  UNION ALL
  SELECT 'payment_ip', account_id, country, n, sum(n) OVER (PARTITION BY account_id), 2.0 FROM pg
)
SELECT account_id, source, country, round(weight * n / total, 4) AS weight,
  CASE source WHEN 'login_ip' THEN n || ' of ' || total || ' login days'
    ELSE n || ' of ' || total || ' payments' END AS detail
FROM shares
UNION ALL
SELECT account_id, 'phone', CAST(phone_country AS VARCHAR), 1.5, 'registered phone number'
FROM accounts WHERE phone_country IS NOT NULL AND coalesce(origin, 'file') = 'file'
UNION ALL
SELECT account_id, 'declared', upper(trim(country)), 1.0, 'declared at sign-up'
FROM accounts WHERE nullif(trim(country), '') IS NOT NULL AND coalesce(origin, 'file') = 'file';

-- The likely country, its confidence (its share of all the weight), how strong the evidence
-- is, and the countries other evidence points to:
-- - strong: logins place it there and it holds at least 60% of the weight;
-- - medium: evidence other than the declared country supports it;
-- - weak: only the declared country says so;
-- - none: nothing says where the user is.
CREATE OR REPLACE TABLE jurisdiction AS
WITH s AS (
  SELECT account_id, country, sum(weight) AS w, list(DISTINCT source ORDER BY source) AS sources
  FROM jurisdiction_evidence GROUP BY ALL
),
r AS (
  SELECT *, sum(w) OVER (PARTITION BY account_id) AS total,
    row_number() OVER (PARTITION BY account_id ORDER BY w DESC, country) AS rk
  FROM s
),
others AS (
  SELECT account_id,
    string_agg(country || ' (' || array_to_string(sources, '+') || ')', '; ' ORDER BY w DESC, country)
      AS disagreements
  FROM r WHERE rk > 1 GROUP BY account_id
)
SELECT a.account_id, r.country AS jurisdiction,
  CAST(coalesce(round(r.w / r.total, 2), 0) AS DOUBLE) AS jurisdiction_confidence,
  CASE
    WHEN r.country IS NULL THEN 'none'
    WHEN list_contains(r.sources, 'login_ip') AND r.w / r.total >= 0.6 THEN 'strong'
    WHEN r.sources <> ['declared'] THEN 'medium'
    ELSE 'weak'
  END AS jurisdiction_strength,
  coalesce(array_to_string(r.sources, '+'), '') AS jurisdiction_basis,
  o.disagreements
FROM accounts a
LEFT JOIN r ON r.account_id = a.account_id AND r.rk = 1
LEFT JOIN others o ON o.account_id = a.account_id
WHERE coalesce(a.origin, 'file') <> 'none';
