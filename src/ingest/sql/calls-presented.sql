-- Each triple (calls-context.sql) with its presented number resolved, and the country that
-- resolves a dialled number in national form: the route's, then the presented number's, then
-- the account's (DESIGN §5). Each triple is a party of the case (`call_parties`, schema.sql),
-- numbered after the parties of the files before.
SET VARIABLE _party_base = (SELECT coalesce(max(party_id), 0) FROM call_parties);
CREATE OR REPLACE TEMP TABLE _tri2 AS
-- A triple's row in `_tri` (0, 1, … as made) numbers it: no window over them.
SELECT CAST(getvariable('_party_base') + t.rowid + 1 AS INTEGER) AS party_id, t.*,
  p.e164 AS presented_e164, p.country AS presented_country,
  coalesce(p.status, 'withheld') AS presented_status, p.reason AS presented_reason,
  coalesce(t.route_cc, p.country, t.account_country, '') AS dialed_ctx
FROM _tri t
LEFT JOIN _pn p ON p.raw = t.presented_number AND p.ctx = t.presented_ctx;
RESET VARIABLE _party_base;
DROP TABLE _tri;

-- Each staged call with its party and what the checks need of it, the party's values cleaned
-- once (calls-triples.sql). Every call's triple is in `_tri2` (NULL matches NULL here), so the
-- inner join keeps every call. `dialed_key_ctx`: the context its dialled number is looked up in
-- (none for `+…`), for the dialled keys and the checks alike.
CREATE OR REPLACE TEMP VIEW _ctx2 AS
SELECT s.* EXCLUDE (route, account_id, presented_number), t.route, t.account_id,
  t.presented_number, t.party_id, t.account_known, t.presented_reason, t.dialed_ctx,
  CASE WHEN starts_with(ltrim(s.dialed_number), '+') THEN '' ELSE t.dialed_ctx END AS dialed_key_ctx
FROM _src s
JOIN _tri2 t ON t._route_read IS NOT DISTINCT FROM s._route_read
  AND t._account_id_read IS NOT DISTINCT FROM s._account_id_read
  AND t._presented_number_read IS NOT DISTINCT FROM s._presented_number_read;
