-- A case's own brand list extends the shipped one and wins where both name a number.
INSERT OR REPLACE INTO brands
SELECT e164, brand, country_cc, inbound, $source FROM _chk WHERE reason IS NULL;
