-- Each party of the calls (account, route, presented number: `call_parties`, schema.sql) with
-- what the analysis groups calls by: its account as its row in `accounts` (every loaded call's
-- account is there; distinct integers are counted far faster than distinct text) and the brand
-- id of its presented number (brand-ids.sql), if a brand's. The steps read `call_rows` and join
-- this on an integer, not `calls` joined to `accounts` and `brands` on text. Made after
-- brand-ids.sql; dropped when the analysis ends.
CREATE OR REPLACE TEMP TABLE _party AS
SELECT p.party_id, a.rowid AS account, p.account_id, i.bid, i.brand, i.country AS brand_country
FROM call_parties p
JOIN accounts a ON a.account_id = p.account_id
LEFT JOIN (SELECT b.e164, b.brand, b.country, i.bid FROM brands b JOIN _brand_ids i ON i.brand = b.brand) i
  ON i.e164 = p.presented_e164;
