-- Each triple (calls-context.sql) with its presented number resolved (resolve.ts), and the
-- evidence that resolves its dialled numbers (docs/numbers.md): `dialed_sig` is the route's
-- country, the presented number's — only when read as certain, or probable with no rival — and
-- the account's only when there is neither (docs/numbers.md: rank 8), as `R|P|A`. Each triple
-- is a party of the case (`call_parties`, schema.sql), numbered after the files before's.
SET VARIABLE _party_base = (SELECT coalesce(max(party_id), 0) FROM call_parties);
-- The presented number's country as evidence: only a reading certain, or probable with no rival.
CREATE OR REPLACE TEMP MACRO _p_cc(conf, alt, country) AS
  CASE WHEN conf = 'certain' OR (conf = 'probable' AND alt IS NULL) THEN coalesce(country, '') ELSE '' END;
CREATE OR REPLACE TEMP TABLE _tri2 AS
-- A triple's row in `_tri` (0, 1, … as made) numbers it: no window over them.
SELECT CAST(getvariable('_party_base') + t.rowid + 1 AS INTEGER) AS party_id, t.*,
  p.e164 AS presented_e164, p.country AS presented_country,
  -- A caller ID that is no number is kept as written, never a reason to refuse the call
  -- (docs/switch-records.md §4): `presented_kind` says what it is.
  CASE WHEN p.status = 'quarantine' THEN 'invalid' ELSE coalesce(p.status, 'withheld') END
    AS presented_status, NULL::VARCHAR AS presented_reason,
  CASE
    WHEN t.presented_number IS NULL OR p.status = 'withheld' THEN 'withheld'
    WHEN regexp_matches(t.presented_number, '^\s*<?(sips?|tel):', 'i')
      OR contains(t.presented_number, '@') THEN 'uri'
    WHEN p.status IN ('valid', 'invalid') AND p.reason IS NULL THEN
      CASE WHEN p.status = 'invalid' AND NOT contains(t.presented_number, '+')
             AND length(regexp_replace(t.presented_number, '[^0-9]', '', 'g')) <= 6
           THEN 'extension' ELSE 'number' END
    WHEN regexp_full_match(t.presented_number, '[\p{L}\p{N} ._&''-]+')
      AND regexp_matches(t.presented_number, '\p{L}') THEN 'alphanumeric'
    ELSE 'other'
  END AS presented_kind,
  p.rule AS presented_rule, p.confidence AS presented_confidence,
  p.alt_e164 AS presented_alt_e164,
  coalesce(t.route_cc, '') || '|' || _p_cc(p.confidence, p.alt_e164, p.country) || '|'
    || CASE WHEN t.route_cc IS NULL AND _p_cc(p.confidence, p.alt_e164, p.country) = ''
            THEN coalesce(t.account_country, '') ELSE '' END AS dialed_sig
FROM _tri t
LEFT JOIN _pn p ON p.raw = t.presented_number
  AND p.ctx = coalesce(t.route_cc, '') || '|' || coalesce(t.account_country, '');
RESET VARIABLE _party_base;
DROP TABLE _tri;

-- Each staged call with its party and what the checks need of it, the party's values cleaned
-- once (calls-triples.sql). Every call's triple is in `_tri2` (NULL matches NULL here), so the
-- inner join keeps every call. `dialed_key_ctx`: the evidence its dialled number is looked up
-- with: none for `+…` and `00…` (read as they are: certain), else the party's.
CREATE OR REPLACE TEMP VIEW _ctx2 AS
SELECT s.* EXCLUDE (route, account_id, presented_number), t.route, t.account_id,
  t.presented_number, t.party_id, t.account_known, t.presented_reason,
  -- (`00` and a digit other than 0, as resolve-keys.sql reads it: `00-0…` is no `00` form.)
  CASE WHEN starts_with(ltrim(s.dialed_number), '+')
         OR (starts_with(ltrim(s.dialed_number), '00')
             AND NOT starts_with(regexp_replace(s.dialed_number, '[^0-9]', '', 'g'), '000'))
       THEN '' ELSE t.dialed_sig END AS dialed_key_ctx
FROM _src s
JOIN _tri2 t ON t._route_read IS NOT DISTINCT FROM s._route_read
  AND t._account_id_read IS NOT DISTINCT FROM s._account_id_read
  AND t._presented_number_read IS NOT DISTINCT FROM s._presented_number_read;
