-- Each distinct presented number with its evidence: the route's country and the account's
-- (docs/numbers.md; resolve.ts resolves them).
SELECT DISTINCT presented_number AS raw, coalesce(route_cc, '') AS r, coalesce(account_country, '') AS a
FROM _tri WHERE presented_number IS NOT NULL
