-- A calls file's rows as docs/switch-records.md reads them: its calls (deciding legs), other
-- legs and duplicates, and its calls by what was derived or kept of them (`ingest --json`).
SELECT count(*) AS calls,
  (SELECT count(*) FROM call_legs WHERE file_id = $file_id) AS legs,
  (SELECT count(*) FROM quarantine WHERE file_id = $file_id AND reason = 'duplicate_row') AS duplicates,
  count(*) FILTER (WHERE a.origin = 'none') AS no_account,
  count(*) FILTER (WHERE a.origin = 'calls') AS calls_only_accounts,
  count(*) FILTER (WHERE p.presented_kind = 'alphanumeric') AS alphanumeric_caller_ids,
  count(*) FILTER (WHERE p.presented_kind IN ('uri', 'other')) AS other_caller_ids,
  count(*) FILTER (WHERE c.disposition_conflict) AS disposition_conflicts,
  count(*) FILTER (WHERE c.dialed_source = 'outside_line') AS outside_line,
  count(*) FILTER (WHERE c.dialed_source = 'dial_string') AS dial_string,
  count(*) FILTER (WHERE c.start_time_flag = 'nonexistent') AS nonexistent_times,
  count(*) FILTER (WHERE c.start_time_flag = 'ambiguous') AS ambiguous_times
FROM call_rows c
JOIN call_parties p ON p.party_id = c.party_id
JOIN accounts a ON a.account_id = p.account_id
WHERE c.file_id = $file_id
