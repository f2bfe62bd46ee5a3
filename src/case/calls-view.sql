-- Every loaded call, with its party, and its dialled number's E.164 form as text (`dialed_e164`)
-- and as digits (`dialed_digits`: a filter on it is read from the table itself). (A case made
-- before `call_parties` has a table `calls` here, split in two when the case is opened:
-- store.ts, migrate-calls.sql.) A call is its deciding leg (docs/switch-records.md §1).
CREATE OR REPLACE VIEW calls AS
SELECT r.call_id, p.account_id, p.presented_raw, p.presented_e164, p.presented_country,
  p.presented_status, r.dialed_raw, '+' || CAST(r.dialed_digits AS VARCHAR) AS dialed_e164,
  r.dialed_country, r.dialed_status, p.route, r.started_at, r.answered_at, r.ended_at,
  r.duration, r.billsec, r.disposition, r.file_id, r.read_row, r.dialed_digits,
  r.dialed_rule, r.dialed_confidence, '+' || CAST(r.dialed_alt_digits AS VARCHAR) AS dialed_alt_e164,
  p.presented_rule, p.presented_confidence, p.presented_alt_e164,
  r.connected, r.disposition_conflict, coalesce(r.legs, 1) AS legs, coalesce(r.leg, 1) AS leg,
  r.start_time_flag, r.dialed_source, r.dialed_recorded, p.presented_kind, p.route_country,
  p.route_rule
FROM call_rows r JOIN call_parties p ON p.party_id = r.party_id;

-- Every leg of every call (docs/switch-records.md §1): the deciding leg (`decides`) and the
-- others, each with its party's columns.
CREATE OR REPLACE VIEW legs AS
SELECT r.call_id, coalesce(r.leg, 1) AS leg, r.decides, p.account_id, p.presented_raw,
  p.presented_e164, p.presented_kind, r.dialed_raw, '+' || CAST(r.dialed_digits AS VARCHAR) AS dialed_e164,
  r.dialed_status, p.route, r.started_at, r.answered_at, r.ended_at, r.duration, r.billsec,
  r.disposition, r.connected, r.disposition_conflict, r.start_time_flag, r.dialed_source,
  r.dialed_recorded, r.file_id, r.read_row
FROM (
  SELECT *, true AS decides FROM call_rows
  UNION ALL BY NAME
  SELECT *, false AS decides FROM call_legs
) r JOIN call_parties p ON p.party_id = r.party_id;
