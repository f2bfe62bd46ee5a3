-- What resolves a call's numbers in national form (docs/numbers.md, "The evidence a call
-- carries") depends only on its route, its
-- account and its presented number, and 10M calls have about half a million such triples:
-- `_tri` holds each once, with its route's country and its account's country (and whether the
-- account exists at all). Every call then finds its triple by one join (calls-presented.sql),
-- where joining each call to the routes, the accounts and the presented numbers in turn cost
-- three joins over every call, twice. Made after `_tri0` (the distinct triples, load.ts) and
-- `_route_cc` (the country each route names, numbers.ts).
CREATE OR REPLACE TEMP TABLE _tri AS
-- The route's country by the rule that names it, else the export's home country
-- (getvariable('_home'), '' for none: docs/switch-records.md §5).
SELECT t.*, coalesce(r.cc, nullif(getvariable('_home'), '')) AS route_cc,
  coalesce(r.rule, CASE WHEN getvariable('_home') <> '' THEN 'home' END) AS route_rule,
  a.country AS account_country, a.account_id IS NOT NULL AS account_known
FROM _tri0 t
LEFT JOIN _route_cc r ON r.route = t.route
LEFT JOIN accounts a ON a.account_id = t.account_id;
DROP TABLE _tri0;
