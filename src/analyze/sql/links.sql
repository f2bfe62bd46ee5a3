-- Links between accounts, each with its evidence: the identifier, and the first and last time
-- either account was seen with it. Shared account fields, wallets and devices link as they are;
-- an IP links two accounts only when both used it within getvariable('ip_window_hours'), and
-- only when it is no private address nor a VPN or Tor exit.
CREATE OR REPLACE TABLE links AS
WITH shared AS (
  SELECT i.* FROM identifiers i
  ANTI JOIN infrastructure f ON f.type = i.type AND f.value = i.value
  WHERE i.type <> 'ip'
),
static_links AS (
  SELECT a.account_id AS account_a, b.account_id AS account_b, a.type, a.value,
    least(a.first_seen, b.first_seen) AS first_seen, greatest(a.last_seen, b.last_seen) AS last_seen
  FROM shared a JOIN shared b
    ON a.type = b.type AND a.value = b.value AND a.account_id < b.account_id
),
ip_logins AS (
  SELECT l.account_id, l.ip, l."at" FROM logins l
  ANTI JOIN infrastructure f ON f.type = 'ip' AND f.value = l.ip
  -- An address many strangers share links no one (docs/ip-intelligence.md): a private or
  -- carrier-grade NAT address, and a VPN or Tor exit, however few accounts used it. (A rented
  -- server two accounts used on one day still links them.)
  ANTI JOIN ip_intel x ON x.ip = l.ip AND (
    x.range IN ('private', 'carrierGradeNat', 'loopback', 'linkLocal', 'uniqueLocal',
                'unspecified', 'multicast')
    OR x.lists LIKE '%vpn%' OR x.lists LIKE '%tor%')
  WHERE l.ip IN (
    SELECT ip FROM logins WHERE nullif(trim(ip), '') IS NOT NULL
    GROUP BY ip HAVING count(DISTINCT account_id) > 1
  )
),
ip_links AS (
  SELECT a.account_id AS account_a, b.account_id AS account_b, 'ip' AS type, a.ip AS value,
    min(least(a."at", b."at")) AS first_seen, max(greatest(a."at", b."at")) AS last_seen
  FROM ip_logins a JOIN ip_logins b
    ON a.ip = b.ip AND a.account_id < b.account_id
   AND abs(epoch(a."at") - epoch(b."at")) <= getvariable('ip_window_hours') * 3600
  GROUP BY ALL
)
SELECT * FROM static_links
UNION ALL
SELECT * FROM ip_links;
