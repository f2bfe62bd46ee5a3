-- The calls whose id is not unique: repeated in this file, or already in the case from
-- another file (which of them load is decided in calls-duplicates.sql, once their other reasons
-- are known). Repeated ids are found on their 64-bit hashes over the id column alone (an integer
-- aggregate, far cheaper than one over 10M strings), then told apart exactly among those few
-- rows. It needs no number, so it runs while the dialled numbers are normalised.
CREATE OR REPLACE TEMP TABLE _rep AS
SELECT _ord, call_id, call_id IN (SELECT call_id FROM call_rows) AS in_case
FROM _src
WHERE call_id IS NOT NULL AND (
  hash(call_id) IN (
    SELECT h FROM (SELECT hash(call_id) AS h FROM _src WHERE call_id IS NOT NULL)
    GROUP BY h HAVING count(*) > 1
  )
  OR call_id IN (SELECT call_id FROM call_rows)
)
