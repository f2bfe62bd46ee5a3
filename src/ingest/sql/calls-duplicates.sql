-- The same call id twice: the first occurrence that otherwise loads, loads; later ones (and
-- ids already in the case from another file) are quarantined. Runs with `_rows` narrowed to the
-- calls whose id is not unique (`_rep`, calls-repeats.sql), so that only those are checked
-- here; `_bad` starts with them, and the insert leaves them out.
CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, 'duplicate_id' AS reason, 'call_id' AS detail FROM (
  SELECT r._ord, r.in_case, row_number() OVER (PARTITION BY r.call_id ORDER BY r._ord) AS nth
  FROM _rep r JOIN _chk c ON c._ord = r._ord
  WHERE c.reason IS NULL
)
WHERE nth > 1 OR in_case;
DROP TABLE _rep;
