CREATE OR REPLACE TEMP VIEW _ctx2 AS
SELECT c.*, p.e164 AS presented_e164, p.country AS presented_country,
  coalesce(p.status, 'withheld') AS presented_status, p.reason AS presented_reason
FROM _ctx c
LEFT JOIN _pn p ON p.raw = c.presented_number
  AND p.ctx = CASE WHEN starts_with(ltrim(c.presented_number), '+') THEN '' ELSE coalesce(c.route_cc, c.account_country, '') END;
