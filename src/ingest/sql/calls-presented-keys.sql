-- Presented numbers in national form resolve through the route, then the account's country.
SELECT DISTINCT presented_number AS raw,
  CASE WHEN starts_with(ltrim(presented_number), '+') THEN '' ELSE coalesce(route_cc, account_country, '') END AS ctx
FROM _tri WHERE presented_number IS NOT NULL
