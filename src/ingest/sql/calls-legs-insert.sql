-- The legs that did not decide their call (docs/switch-records.md §1; `_legs`,
-- calls-duplicates.sql), each as written and resolved as its call is, into `call_legs`.
INSERT INTO call_legs (call_id, party_id, dialed_raw, dialed_digits, dialed_country,
  dialed_status, started_at, answered_at, ended_at, duration, billsec, disposition, file_id,
  read_row, dialed_rule, dialed_confidence, dialed_alt_digits, connected, disposition_conflict,
  legs, leg, start_time_flag, dialed_source, dialed_recorded)
SELECT call_id, party_id, dialed_number, dialed_digits, dialed_country, dialed_status,
  started_ts, answered_ts, ended_ts,
  coalesce(duration_i, _seconds(started_ts, ended_ts)),
  coalesce(billsec_i, CASE WHEN answered_ts IS NOT NULL AND ended_ts IS NOT NULL
                           THEN _seconds(answered_ts, ended_ts) ELSE 0 END),
  disposition, $file_id, c._ord, dialed_rule, dialed_confidence, dialed_alt_digits,
  connected, disposition_conflict, l.legs, l.leg, start_time_flag, dialed_source,
  dialed_recorded
FROM _chk c JOIN _legs l ON l._ord = c._ord
WHERE c.reason IS NULL AND NOT l.decides;
