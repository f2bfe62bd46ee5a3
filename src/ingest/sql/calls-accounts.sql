-- The accounts that calls of this file name and no accounts file does (docs/switch-records.md
-- §3): the export's unknown account `(none)` of calls with no account code, and codes only
-- calls name. A call is never refused for its account.
INSERT INTO accounts (account_id, file_id, origin)
SELECT DISTINCT account_id, $file_id, CASE WHEN account_id = '(none)' THEN 'none' ELSE 'calls' END
FROM _tri2 WHERE NOT account_known;
