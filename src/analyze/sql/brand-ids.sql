-- Each brand name by its place in alphabetical order, for victims.sql and suspects.sql: a
-- number's or an account's brands are gathered as these small integers (far cheaper than
-- distinct text) and named at the end from `_brand_names` (every name, in that order).
-- Dropped when the analysis ends.
CREATE OR REPLACE TEMP TABLE _brand_ids AS
SELECT brand, CAST(row_number() OVER (ORDER BY brand) AS INTEGER) AS bid
FROM (SELECT DISTINCT brand FROM brands);

CREATE OR REPLACE TEMP TABLE _brand_names AS
SELECT coalesce(list(brand ORDER BY bid), []) AS brands FROM _brand_ids;
