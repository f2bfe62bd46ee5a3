SELECT DISTINCT number AS raw,
  CASE WHEN starts_with(ltrim(number), '+') THEN '' ELSE coalesce(_country(country), '') END AS ctx
FROM _src WHERE number IS NOT NULL
