INSERT INTO logins
SELECT account_id, at_ts, ip, user_agent, $file_id FROM _chk WHERE reason IS NULL;
