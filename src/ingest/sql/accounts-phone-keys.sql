SELECT DISTINCT phone AS raw,
  CASE WHEN starts_with(ltrim(phone), '+') THEN '' ELSE coalesce(_country(country), '') END AS ctx
FROM _src WHERE phone IS NOT NULL
