-- Each brand name by its place in alphabetical order, for victims.sql and suspects.sql: a
-- number's or an account's brands are gathered as a bit string with a bit per brand id
-- (`_brand_bits`, far cheaper than a list of ids or distinct text) and named at the end
-- (`_brand_list` and `_brand_names`, every name in that order). Dropped when the analysis ends.
CREATE OR REPLACE TEMP TABLE _brand_ids AS
SELECT brand, CAST(row_number() OVER (ORDER BY brand) AS INTEGER) AS bid
FROM (SELECT DISTINCT brand FROM brands);

CREATE OR REPLACE TEMP TABLE _brand_names AS
SELECT coalesce(list(brand ORDER BY bid), []) AS brands FROM _brand_ids;

SET VARIABLE brand_count = (SELECT coalesce(max(bid), 1) FROM _brand_ids);

-- The brand ids of the calls as a bit string (bit i - 1 for id i); NULL when no call had one.
CREATE OR REPLACE TEMP MACRO _brand_bits(bid) AS bitstring_agg(bid, 1, getvariable('brand_count'));

-- The ids whose bits are set, in order.
CREATE OR REPLACE TEMP MACRO _brand_list(bits) AS
  coalesce(list_filter(range(1, getvariable('brand_count') + 1), i -> get_bit(CAST(bits AS BIT), CAST(i - 1 AS INTEGER)) = 1), []);
