-- The parties (account, route, presented number: calls-presented.sql) that calls of this file
-- can name. (Picking only the parties the loaded calls name costs a scan of them inside the
-- transaction, 0.8 s for 10M; a party whose every call was refused for another reason is named
-- by no call, and no reader meets it but through a call.)
INSERT INTO call_parties (party_id, account_id, route, presented_raw, presented_e164,
  presented_country, presented_status, file_id, presented_rule, presented_confidence,
  presented_alt_e164, presented_kind, route_country, route_rule)
SELECT party_id, account_id, route, presented_number, presented_e164, presented_country,
  presented_status, $file_id, presented_rule, presented_confidence, presented_alt_e164,
  presented_kind, route_cc, route_rule
FROM _tri2;
