-- Every call with no reason to refuse it, but the repeated ids in `_bad`, with its party (its
-- account, route and presented number: calls-parties.sql writes them) and its numbers from the
-- whole lookup (a view is bound when it is queried, not when it is made). A duration not given
-- is the seconds between the times (`_seconds`, calls-check.sql). The disposition is stored as
-- recorded (docs/switch-records.md §2). `_loadable` is every such row, each with whether it
-- decides its call (`_legs`, calls-duplicates.sql): the deciding legs go into `call_rows` here,
-- the others into `call_legs` (calls-legs-insert.sql).
CREATE OR REPLACE TEMP VIEW _dnv AS SELECT * FROM _dnd;
CREATE OR REPLACE TEMP VIEW _loadable AS
SELECT call_id, party_id, dialed_number AS dialed_raw, dialed_digits, dialed_country,
  dialed_status, started_ts AS started_at, answered_ts AS answered_at, ended_ts AS ended_at,
  coalesce(duration_i, _seconds(started_ts, ended_ts)) AS duration,
  coalesce(billsec_i, CASE WHEN answered_ts IS NOT NULL AND ended_ts IS NOT NULL
                           THEN _seconds(answered_ts, ended_ts) ELSE 0 END) AS billsec,
  disposition, c._ord AS read_row, dialed_rule, dialed_confidence,
  dialed_alt_digits, connected, disposition_conflict, coalesce(l.legs, 1) AS legs,
  coalesce(l.leg, 1) AS leg, start_time_flag, dialed_source, dialed_recorded,
  coalesce(l.decides, true) AS decides
FROM _chk c ANTI JOIN _bad b ON b._ord = c._ord
LEFT JOIN _legs l ON l._ord = c._ord
WHERE c.reason IS NULL;
INSERT INTO call_rows BY NAME
SELECT * EXCLUDE (decides), $file_id AS file_id FROM _loadable WHERE decides;
