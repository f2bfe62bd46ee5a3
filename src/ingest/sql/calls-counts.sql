-- A calls file's rows as docs/switch-records.md reads them: its calls (deciding legs), other
-- legs and duplicates, and its calls by what was derived or kept of them (`ingest --json`).
-- The calls are counted per party first, and the few parties joined to their accounts.
WITH c AS (
  SELECT party_id, count(*) AS calls,
    count(*) FILTER (WHERE disposition_conflict) AS disposition_conflicts,
    count(*) FILTER (WHERE dialed_source = 'outside_line') AS outside_line,
    count(*) FILTER (WHERE dialed_source = 'dial_string') AS dial_string,
    count(*) FILTER (WHERE start_time_flag = 'nonexistent') AS nonexistent_times,
    count(*) FILTER (WHERE start_time_flag = 'ambiguous') AS ambiguous_times
  FROM call_rows WHERE file_id = $file_id GROUP BY party_id
)
SELECT coalesce(sum(c.calls), 0) AS calls,
  (SELECT count(*) FROM call_legs WHERE file_id = $file_id) AS legs,
  (SELECT count(*) FROM quarantine WHERE file_id = $file_id AND reason = 'duplicate_row') AS duplicates,
  coalesce(sum(c.calls) FILTER (WHERE a.origin = 'none'), 0) AS no_account,
  coalesce(sum(c.calls) FILTER (WHERE a.origin = 'calls'), 0) AS calls_only_accounts,
  coalesce(sum(c.calls) FILTER (WHERE p.presented_kind = 'alphanumeric'), 0) AS alphanumeric_caller_ids,
  coalesce(sum(c.calls) FILTER (WHERE p.presented_kind IN ('uri', 'other')), 0) AS other_caller_ids,
  coalesce(sum(c.disposition_conflicts), 0) AS disposition_conflicts,
  coalesce(sum(c.outside_line), 0) AS outside_line,
  coalesce(sum(c.dial_string), 0) AS dial_string,
  coalesce(sum(c.nonexistent_times), 0) AS nonexistent_times,
  coalesce(sum(c.ambiguous_times), 0) AS ambiguous_times
FROM c
JOIN call_parties p ON p.party_id = c.party_id
JOIN accounts a ON a.account_id = p.account_id
