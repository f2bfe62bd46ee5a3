-- The distinct (route, account, presented number) triples of the staged calls
-- (calls-context.sql says why), found on the values as read (`_src`'s `_…_read`, load.ts) and
-- cleaned once each (`_clean`, load.ts) rather than for every call: a call finds its triple by
-- the values as read (calls-presented.sql).
CREATE OR REPLACE TEMP TABLE _tri0 AS
SELECT _route_read, _account_id_read, _presented_number_read, _clean(_route_read) AS route,
  -- A call with no account code is the export's unknown account's (docs/switch-records.md §3).
  coalesce(_clean(_account_id_read), '(none)') AS account_id, _clean(_presented_number_read) AS presented_number
FROM (SELECT DISTINCT _route_read, _account_id_read, _presented_number_read FROM _src);
