-- An account only calls named before (or `(none)`) gives way to the accounts file's row.
DELETE FROM accounts WHERE origin IN ('calls', 'none')
  AND account_id IN (SELECT account_id FROM _chk WHERE reason IS NULL);
INSERT INTO accounts (account_id, username, email, phone_raw, phone_e164, phone_country,
  telegram, country, created_at, plan, file_id, origin)
SELECT account_id, username, email, phone, phone_e164, phone_country, telegram, country_cc,
  created_ts, plan, $file_id, 'file'
FROM _chk WHERE reason IS NULL;
