-- Every call with no reason to refuse it, but the repeated ids in `_bad`, and of a call with
-- legs only its deciding leg (`_legs`, calls-duplicates.sql), with its party (its account,
-- route and presented number: calls-parties.sql writes them) and its numbers from the whole
-- lookup (a view is bound when it is queried, not when it is made). A duration not given is
-- the seconds between the times (`_seconds`, calls-check.sql). The disposition is stored as
-- recorded (docs/switch-records.md §2).
CREATE OR REPLACE TEMP VIEW _dnv AS SELECT * FROM _dnd;
INSERT INTO call_rows (call_id, party_id, dialed_raw, dialed_digits, dialed_country,
  dialed_status, started_at, answered_at, ended_at, duration, billsec, disposition, file_id,
  read_row, dialed_rule, dialed_confidence, dialed_alt_digits, connected, disposition_conflict,
  legs, leg, start_time_flag, dialed_source, dialed_recorded)
SELECT call_id, party_id, dialed_number, dialed_digits, dialed_country, dialed_status,
  started_ts, answered_ts, ended_ts,
  coalesce(duration_i, _seconds(started_ts, ended_ts)),
  coalesce(billsec_i, CASE WHEN answered_ts IS NOT NULL AND ended_ts IS NOT NULL
                           THEN _seconds(answered_ts, ended_ts) ELSE 0 END),
  disposition, $file_id, c._ord, dialed_rule, dialed_confidence, dialed_alt_digits,
  connected, disposition_conflict, coalesce(l.legs, 1), coalesce(l.leg, 1), start_time_flag,
  dialed_source, dialed_recorded
FROM _chk c ANTI JOIN _bad b ON b._ord = c._ord
LEFT JOIN _legs l ON l._ord = c._ord
WHERE c.reason IS NULL AND coalesce(l.decides, true);
