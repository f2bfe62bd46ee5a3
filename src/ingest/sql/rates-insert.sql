INSERT INTO rates (day, currency, gbp, source, file_id)
SELECT day, cur, rate, source, $file_id FROM _chk WHERE reason IS NULL;
