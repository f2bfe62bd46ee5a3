-- Every loaded call, with its party, and its dialled number's E.164 form as text (`dialed_e164`)
-- and as digits (`dialed_digits`: a filter on it is read from the table itself). (A case made
-- before `call_parties` has a table `calls` here, split in two when the case is opened:
-- store.ts, migrate-calls.sql.)
CREATE OR REPLACE VIEW calls AS
SELECT r.call_id, p.account_id, p.presented_raw, p.presented_e164, p.presented_country,
  p.presented_status, r.dialed_raw, '+' || CAST(r.dialed_digits AS VARCHAR) AS dialed_e164,
  r.dialed_country, r.dialed_status, p.route, r.started_at, r.answered_at, r.ended_at,
  r.duration, r.billsec, r.disposition, r.file_id, r.read_row, r.dialed_digits,
  r.dialed_rule, r.dialed_confidence, '+' || CAST(r.dialed_alt_digits AS VARCHAR) AS dialed_alt_e164,
  p.presented_rule, p.presented_confidence, p.presented_alt_e164
FROM call_rows r JOIN call_parties p ON p.party_id = r.party_id;
