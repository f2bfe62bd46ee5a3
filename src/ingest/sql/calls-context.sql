-- Each staged call with what resolves its national-format numbers: the route's country and
-- the account's country (and whether the account exists at all).
CREATE OR REPLACE TEMP VIEW _ctx AS
SELECT s.*, r.cc AS route_cc, a.country AS account_country, a.account_id IS NOT NULL AS account_known
FROM _src s
LEFT JOIN _route_cc r ON r.route = s.route
LEFT JOIN accounts a ON a.account_id = s.account_id;
