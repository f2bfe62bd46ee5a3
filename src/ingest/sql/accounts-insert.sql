INSERT INTO accounts
SELECT account_id, username, email, phone, phone_e164, phone_country, telegram, country_cc,
  created_ts, plan, $file_id
FROM _chk WHERE reason IS NULL;
