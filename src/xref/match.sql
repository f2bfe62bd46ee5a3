-- Every place a watchlist identifier (`_wl`: line, type, value, source, norm) occurs in the case.
CREATE OR REPLACE TEMP TABLE _hits AS
SELECT w.line, 'account_phone' AS matched_as, string_agg(DISTINCT a.account_id, ';' ORDER BY a.account_id) AS accounts,
  NULL AS victim_tier, NULL::BIGINT AS calls, min(a.created_at) AS first_seen, max(a.created_at) AS last_seen
FROM _wl w JOIN accounts a ON w.type = 'number' AND a.phone_e164 = w.norm GROUP BY w.line
UNION ALL
SELECT w.line, 'victim', NULL, any_value(v.tier), any_value(v.calls), any_value(v.first_call_at), any_value(v.last_call_at)
FROM _wl w JOIN victims v ON w.type = 'number' AND v.number = w.norm GROUP BY w.line
UNION ALL
SELECT w.line, 'presented_number', string_agg(DISTINCT c.account_id, ';' ORDER BY c.account_id), NULL,
  count(*), min(c.started_at), max(c.started_at)
FROM _wl w JOIN calls c ON w.type = 'number' AND c.presented_e164 = w.norm GROUP BY w.line
UNION ALL
SELECT w.line, 'dialled_number', string_agg(DISTINCT c.account_id, ';' ORDER BY c.account_id), NULL,
  count(*), min(c.started_at), max(c.started_at)
FROM _wl w JOIN calls c ON w.type = 'number' AND c.dialed_e164 = w.norm GROUP BY w.line
UNION ALL
SELECT w.line, 'account_email', string_agg(DISTINCT a.account_id, ';' ORDER BY a.account_id), NULL, NULL,
  min(a.created_at), max(a.created_at)
FROM _wl w JOIN accounts a ON w.type = 'email' AND lower(trim(a.email)) = w.norm GROUP BY w.line
UNION ALL
SELECT w.line, 'account_handle', string_agg(DISTINCT a.account_id, ';' ORDER BY a.account_id), NULL, NULL,
  min(a.created_at), max(a.created_at)
FROM _wl w JOIN accounts a ON w.type = 'handle'
  AND (lower(ltrim(trim(a.telegram), '@')) = w.norm OR lower(trim(a.username)) = w.norm) GROUP BY w.line
UNION ALL
SELECT w.line, 'payment_wallet', string_agg(DISTINCT p.account_id, ';' ORDER BY p.account_id), NULL, count(*),
  min(p.paid_at), max(p.paid_at)
FROM _wl w JOIN payments p ON w.type = 'wallet' AND p.btc_address = w.norm GROUP BY w.line
UNION ALL
SELECT w.line, 'login_ip', string_agg(DISTINCT l.account_id, ';' ORDER BY l.account_id), NULL, count(*),
  min(l."at"), max(l."at")
FROM _wl w JOIN logins l ON w.type = 'ip' AND l.ip = w.norm GROUP BY w.line;
