SELECT
  (SELECT count(*) FROM accounts) AS accounts,
  (SELECT count(*) FROM calls) AS calls,
  (SELECT count(*) FROM payments) AS payments,
  (SELECT count(*) FROM logins) AS logins,
  (SELECT count(*) FROM captures) AS captures,
  (SELECT count(*) FROM brands) AS brands,
  (SELECT count(*) FROM quarantine) AS quarantined,
  (SELECT count(DISTINCT dialed_digits) FROM call_rows) AS distinct_dialed_numbers,
  (SELECT count(*) FROM calls WHERE answered_at IS NOT NULL) AS answered_calls,
  (SELECT strftime(min(started_at), '%Y-%m-%dT%H:%M:%SZ') FROM calls) AS first_call_at,
  (SELECT strftime(max(started_at), '%Y-%m-%dT%H:%M:%SZ') FROM calls) AS last_call_at,
  (SELECT coalesce(sum(value_gbp), 0)::DOUBLE FROM payments) AS paid_gbp
