-- One partner country's slice of the case (docs/package.md), as temp tables the package's
-- files are written from. getvariable('pkg_country') is the country; pkg_ipad and pkg_opad are
-- the package's pseudonym key, xored as HMAC-SHA256 does (slice.ts): another country's victim
-- or account appears only as `p-` and the first 20 hex digits of HMAC(key, its number or id).

-- name: pseudonym
CREATE OR REPLACE TEMP MACRO pseudonym(x) AS
  'p-' || left(sha256(unhex(getvariable('pkg_opad'))
    || unhex(sha256(unhex(getvariable('pkg_ipad')) || encode(x)))), 20);

-- name: accounts
-- Its suspects: the accounts whose jurisdiction is this country. Until the evidence of logins
-- and payments decides it, that is the country the account declared: weak, and said so.
CREATE OR REPLACE TEMP TABLE pkg_accounts AS
SELECT a.account_id, a.username, a.email, a.phone_e164 AS phone, a.telegram,
  a.country AS declared_country, 'declared' AS jurisdiction_basis,
  'weak' AS jurisdiction_strength, a.created_at, a.plan
FROM accounts a JOIN suspects s USING (account_id)
WHERE s.country = getvariable('pkg_country')
ORDER BY a.account_id;

-- name: suspects
CREATE OR REPLACE TEMP TABLE pkg_suspects AS
SELECT s.account_id, s.score, s.priority, s.paid_gbp, s.paid_btc, s.payments, s.calls,
  s.answered_calls, s.likely_victims, s.harmed_victims, s.captures, s.brands, s.brand_names,
  s.first_activity, s.last_activity, s.peak_calls_per_minute, s.linked_accounts,
  s.reported_loss_gbp, 'declared' AS jurisdiction_basis, 'weak' AS jurisdiction_strength
FROM suspects s SEMI JOIN pkg_accounts a USING (account_id)
ORDER BY s.score DESC, s.account_id;

-- name: payments
CREATE OR REPLACE TEMP TABLE pkg_payments AS
SELECT p.payment_id, p.account_id, p.paid_at, p.amount_btc, p.value_gbp, p.btc_address, p.txid,
  p.plan
FROM payments p SEMI JOIN pkg_accounts a USING (account_id)
ORDER BY p.account_id, p.paid_at, p.payment_id;

-- name: logins
CREATE OR REPLACE TEMP TABLE pkg_logins AS
SELECT l.account_id, l."at", l.ip, l.user_agent
FROM logins l SEMI JOIN pkg_accounts a USING (account_id)
ORDER BY l.account_id, l."at";

-- name: calls
-- Its suspects' calls. The number called is shown when its victim is of this country;
-- another country's number (or a text that is no valid number) only as a pseudonym.
CREATE OR REPLACE TEMP TABLE pkg_calls AS
SELECT c.call_id, c.account_id, c.started_at, c.answered_at, c.ended_at, c.billsec,
  c.disposition, c.connected, c.presented_e164 AS caller_id_shown,
  CASE WHEN coalesce(v.country, c.dialed_country) = getvariable('pkg_country')
         AND c.dialed_status = 'valid' THEN c.dialed_e164
       ELSE pseudonym(coalesce(v.number, c.dialed_e164, c.dialed_raw)) END AS victim,
  coalesce(v.country, CAST(c.dialed_country AS VARCHAR)) AS victim_country,
  v.tier AS victim_tier
FROM calls c
SEMI JOIN pkg_accounts a ON a.account_id = c.account_id
LEFT JOIN victims v ON v.number = c.dialed_e164
ORDER BY c.account_id, c.started_at, c.call_id;

-- name: victims
-- The victims in this country (whoever called them), with what the calls show; not how the
-- number was read (the case's working), which stays with the unit.
CREATE OR REPLACE TEMP TABLE pkg_victims AS
SELECT v.number, v.country, v.tier, v.first_call_at, v.last_call_at, v.calls,
  v.connected_seconds, v.longest_call_seconds, v.accounts, v.brands, v.first_long_call_at,
  v.first_long_call_brand, v.captures
FROM victims v WHERE v.country = getvariable('pkg_country')
ORDER BY v.number;

-- name: crews
-- Its suspects' crews: this country's members by id, the others only counted.
CREATE OR REPLACE TEMP TABLE pkg_crews AS
SELECT c.crew_id, c.account_id, c.crew_size,
  c.crew_size - count(*) OVER (PARTITION BY c.crew_id) AS members_elsewhere
FROM crews c SEMI JOIN pkg_accounts a USING (account_id)
ORDER BY c.crew_id, c.account_id;

-- name: links
-- Links with at least one of its suspects, each from its suspect's side: the far account by
-- id when it is this country's too, else as a pseudonym with its country.
CREATE OR REPLACE TEMP TABLE pkg_links AS
WITH both_ways AS (
  SELECT account_a AS near, account_b AS far, type, value, first_seen, last_seen FROM links
  UNION ALL
  SELECT account_b, account_a, type, value, first_seen, last_seen FROM links
)
SELECT b.near AS account_a,
  CASE WHEN f.account_id IS NOT NULL THEN b.far ELSE pseudonym(b.far) END AS account_b,
  CASE WHEN f.account_id IS NULL THEN s.country END AS other_country,
  b.type, b.value, b.first_seen, b.last_seen
FROM both_ways b
SEMI JOIN pkg_accounts n ON n.account_id = b.near
LEFT JOIN pkg_accounts f ON f.account_id = b.far
LEFT JOIN suspects s ON s.account_id = b.far
-- a link between two of its suspects is listed once
WHERE f.account_id IS NULL OR b.near < b.far
ORDER BY 1, 2, b.type, b.value;
