-- The legs that did not decide their call (docs/switch-records.md §1; `_legs`,
-- calls-duplicates.sql), each as written and resolved as its call is (`_loadable`,
-- calls-insert.sql), into `call_legs`.
INSERT INTO call_legs BY NAME
SELECT * EXCLUDE (decides), $file_id AS file_id FROM _loadable WHERE NOT decides;
