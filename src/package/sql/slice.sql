-- One partner country's slice of the case (docs/package.md), as temp tables the package's
-- files are written from. getvariable('pkg_country') is the country; pkg_ipad and pkg_opad are
-- the package's pseudonym key, xored as HMAC-SHA256 does (slice.ts): another country's victim
-- or account appears only as `p-` and the first 20 hex digits of HMAC(key, its number or id).

-- name: pseudonym
CREATE OR REPLACE TEMP MACRO pseudonym(x) AS
  'p-' || left(sha256(unhex(getvariable('pkg_opad'))
    || unhex(sha256(unhex(getvariable('pkg_ipad')) || encode(x)))), 20);

-- name: accounts
-- Its suspects: the accounts whose users the evidence places in this country (docs/jurisdiction.md:
-- logins, payments, phone, declared country), with that evidence's basis, strength and the
-- countries other evidence points to. The declared country alone is weak, and said so.
CREATE OR REPLACE TEMP TABLE pkg_accounts AS
SELECT a.account_id, a.username, a.email, a.phone_e164 AS phone, a.telegram,
  a.country AS declared_country, s.jurisdiction_basis, s.jurisdiction_strength,
  s.jurisdiction_confidence, j.disagreements AS jurisdiction_disagreements, a.created_at, a.plan
FROM accounts a JOIN suspects s USING (account_id)
LEFT JOIN jurisdiction j USING (account_id)
WHERE s.jurisdiction = getvariable('pkg_country')
ORDER BY a.account_id;

-- name: suspects
CREATE OR REPLACE TEMP TABLE pkg_suspects AS
SELECT s.account_id, s.score, s.priority, s.paid_gbp, s.paid_btc, s.payments, s.calls,
  s.answered_calls, s.likely_victims, s.harmed_victims, s.captures, s.brands, s.brand_names,
  s.first_activity, s.last_activity, s.peak_calls_per_minute, s.linked_accounts,
  s.reported_loss_gbp, s.jurisdiction_basis, s.jurisdiction_strength, s.jurisdiction_confidence,
  s.unvalued_payments
FROM suspects s SEMI JOIN pkg_accounts a USING (account_id)
ORDER BY s.score DESC, s.account_id;

-- name: payments
CREATE OR REPLACE TEMP TABLE pkg_payments AS
-- Each with its value in GBP as the analysis found it (docs/money.md): the basis, and the rate
-- and its day when it was converted.
SELECT p.payment_id, p.account_id, p.paid_at, p.amount_btc, p.amount, p.currency, v.value_gbp,
  v.basis AS value_basis, v.rate AS gbp_rate, v.rate_day, v.not_valued, p.btc_address, p.txid,
  p.plan
FROM payments p SEMI JOIN pkg_accounts a USING (account_id)
LEFT JOIN payment_values v USING (payment_id)
ORDER BY p.account_id, p.paid_at, p.payment_id;

-- name: logins
CREATE OR REPLACE TEMP TABLE pkg_logins AS
SELECT l.account_id, l."at", l.ip, l.user_agent
FROM logins l SEMI JOIN pkg_accounts a USING (account_id)
ORDER BY l.account_id, l."at";

-- name: calls
-- Its suspects' calls. The number called is shown only when it is a victim of this country
-- whose reading is sure (a confirmed reading counts as the analysis counts it; a number that
-- needs review may be another country's); any other number — another country's victim, an
-- account's own phone, a text that is no valid number — only as a pseudonym, with its country.
-- The caller ID shown is a bank's published number or this country's; another country's
-- (a third party's, often an earlier victim's) only as a pseudonym with its country.
CREATE OR REPLACE TEMP TABLE pkg_calls AS
WITH c AS (
  SELECT c.call_id, c.account_id, c.started_at, c.answered_at, c.ended_at, c.billsec,
    c.disposition, c.connected, c.presented_e164, CAST(c.presented_country AS VARCHAR) AS shown_country,
    c.dialed_raw, CAST(c.dialed_country AS VARCHAR) AS dialed_country,
    CASE WHEN cr.chosen IS NOT NULL THEN '+' || CAST(cr.chosen AS VARCHAR)
         ELSE c.dialed_e164 END AS number
  FROM calls c
  SEMI JOIN pkg_accounts a ON a.account_id = c.account_id
  LEFT JOIN confirmed_readings cr ON cr.number = c.dialed_digits
    AND cr.alt = coalesce(TRY_CAST(ltrim(c.dialed_alt_e164, '+') AS BIGINT), 0)
)
SELECT c.call_id, c.account_id, c.started_at, c.answered_at, c.ended_at, c.billsec,
  c.disposition, c.connected,
  CASE WHEN c.presented_e164 IS NULL THEN NULL
       WHEN b.e164 IS NOT NULL OR c.shown_country = getvariable('pkg_country') THEN c.presented_e164
       ELSE pseudonym(c.presented_e164) END AS caller_id_shown,
  c.shown_country AS caller_id_country,
  b.brand AS caller_id_brand,
  CASE WHEN v.country = getvariable('pkg_country') AND NOT v.needs_review THEN v.number
       ELSE pseudonym(coalesce(c.number, c.dialed_raw)) END AS victim,
  CASE WHEN v.number IS NOT NULL THEN v.country ELSE c.dialed_country END AS victim_country,
  v.tier AS victim_tier
FROM c
LEFT JOIN victims v ON v.number = c.number
LEFT JOIN brands b ON b.e164 = c.presented_e164
ORDER BY c.account_id, c.started_at, c.call_id;

-- name: victims
-- The victims in this country (whoever called them), with what the calls show; not how the
-- number was read (the case's working), which stays with the unit. A victim whose number needs
-- review (it may be another country's) stays out until an analyst confirms its reading.
CREATE OR REPLACE TEMP TABLE pkg_victims AS
SELECT v.number, v.country, v.tier, v.first_call_at, v.last_call_at, v.calls,
  v.connected_seconds, v.longest_call_seconds, v.accounts, v.brands, v.first_long_call_at,
  v.first_long_call_brand, v.captures
FROM victims v WHERE v.country = getvariable('pkg_country') AND NOT v.needs_review
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
-- id when it is this country's too, else as a pseudonym with its country, and then with the
-- times its own suspect used the identifier (the link's own span would tell when the other
-- country's account used it).
CREATE OR REPLACE TEMP TABLE pkg_links AS
WITH both_ways AS (
  SELECT account_a AS near, account_b AS far, type, value, first_seen, last_seen FROM links
  UNION ALL
  SELECT account_b, account_a, type, value, first_seen, last_seen FROM links
)
SELECT b.near AS account_a,
  CASE WHEN f.account_id IS NOT NULL THEN b.far ELSE pseudonym(b.far) END AS account_b,
  CASE WHEN f.account_id IS NULL THEN s.jurisdiction END AS other_country,
  b.type, b.value,
  CASE WHEN f.account_id IS NOT NULL THEN b.first_seen ELSE i.first_seen END AS first_seen,
  CASE WHEN f.account_id IS NOT NULL THEN b.last_seen ELSE i.last_seen END AS last_seen
FROM both_ways b
SEMI JOIN pkg_accounts n ON n.account_id = b.near
LEFT JOIN pkg_accounts f ON f.account_id = b.far
LEFT JOIN suspects s ON s.account_id = b.far
LEFT JOIN identifiers i ON i.account_id = b.near AND i.type = b.type AND i.value = b.value
-- a link between two of its suspects is listed once
WHERE f.account_id IS NULL OR b.near < b.far
ORDER BY 1, 2, b.type, b.value;
