INSERT INTO captures
SELECT call_id, captured_ts, kind_l, $file_id FROM _chk WHERE reason IS NULL;
