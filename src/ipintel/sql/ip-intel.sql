-- Every address a login or a payment came from, with what the offline databases and the lists
-- say of it (docs/ip-intelligence.md). `_ip` holds each distinct address as address.ts read
-- it, `_ip_country` and `_ip_asn` the databases (databases.ts). An address locates its user only when it
-- is a public unicast address on no list (hosting, VPN, Tor) that a database places in a
-- country. Each join reads tables, not a chain of views: an ASOF join over a view of another
-- was planned as a scan of every range per address.
-- The ranges overlap no other (databases.ts flattens the few the databases nest), so the
-- range an ASOF join finds (the last to start at or before the address) is the only one that
-- can hold it.
CREATE OR REPLACE TEMP TABLE _ipn AS
SELECT ip, canonical, family, range, CAST(num AS UHUGEINT) AS num FROM _ip;

CREATE OR REPLACE TEMP TABLE _ipg AS
SELECT x.ip, CASE WHEN x.num <= g.last_ip THEN g.country END AS country
FROM _ipn x ASOF LEFT JOIN _ip_country g ON x.num >= g.first_ip;


CREATE OR REPLACE TEMP TABLE _ipa AS
SELECT x.ip, CASE WHEN x.num <= a.last_ip THEN a.asn END AS asn,
  CASE WHEN x.num <= a.last_ip THEN a.org END AS org
FROM _ipn x ASOF LEFT JOIN _ip_asn a ON x.num >= a.first_ip;


CREATE OR REPLACE TEMP TABLE _ipl AS
SELECT x.ip, string_agg(DISTINCT l.list, ';' ORDER BY l.list) AS lists
FROM _ipn x JOIN ip_lists l ON x.num BETWEEN l.first_ip AND l.last_ip
GROUP BY x.ip;

CREATE OR REPLACE TABLE ip_intel AS
SELECT x.ip, x.canonical, x.family, x.range,
  CASE WHEN x.range = 'unicast' THEN g.country END AS country,
  CASE WHEN x.range = 'unicast' THEN a.asn END AS asn,
  CASE WHEN x.range = 'unicast' THEN a.org END AS org,
  l.lists,
  coalesce(x.range = 'unicast' AND l.lists IS NULL AND g.country IS NOT NULL, false) AS located
FROM _ipn x
LEFT JOIN _ipg g USING (ip)
LEFT JOIN _ipa a USING (ip)
LEFT JOIN _ipl l USING (ip);
DROP TABLE _ip; DROP TABLE _ipn; DROP TABLE _ip_country; DROP TABLE _ip_asn; DROP TABLE _ipg; DROP TABLE _ipa; DROP TABLE _ipl;
