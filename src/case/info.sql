SELECT
  (SELECT count(*) FROM accounts) AS accounts,
  (SELECT count(*) FROM calls) AS calls,
  (SELECT count(*) FROM payments) AS payments,
  (SELECT count(*) FROM logins) AS logins,
  (SELECT count(*) FROM captures) AS captures,
  (SELECT count(*) FROM brands) AS brands,
  (SELECT count(*) FROM quarantine) AS quarantined,
  (SELECT count(DISTINCT dialed_digits) FROM call_rows) AS distinct_dialed_numbers,
  (SELECT count(*) FROM call_rows WHERE connected) AS answered_calls,
  -- What docs/switch-records.md derived or kept: other legs, self-contradicting records, calls
  -- under the unknown account or of accounts only calls name, caller IDs that are names.
  (SELECT count(*) FROM call_legs) AS other_legs,
  (SELECT count(*) FROM call_rows WHERE disposition_conflict) AS disposition_conflicts,
  (SELECT count(*) FROM calls c JOIN accounts a ON a.account_id = c.account_id
    WHERE a.origin = 'none') AS calls_without_account,
  (SELECT count(*) FROM accounts WHERE origin = 'calls') AS accounts_only_in_calls,
  (SELECT count(*) FROM calls WHERE presented_kind = 'alphanumeric') AS alphanumeric_caller_id_calls,
  (SELECT strftime(min(started_at), '%Y-%m-%dT%H:%M:%SZ') FROM calls) AS first_call_at,
  (SELECT strftime(max(started_at), '%Y-%m-%dT%H:%M:%SZ') FROM calls) AS last_call_at,
  (SELECT coalesce(sum(value_gbp), 0)::DOUBLE FROM payments) AS paid_gbp
