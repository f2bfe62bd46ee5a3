-- The calls whose id is not unique: repeated in this file, or already in the case from
-- another file (which of them load is decided in calls-duplicates.sql, once their other reasons
-- are known). Repeated ids are found on their 64-bit hashes over the id column alone, then told
-- apart exactly among those few rows. A hash is repeated when it equals the one before it in
-- order: sorting 10M nearly unique hashes took half the time of grouping them (0.8–1.0 s
-- against 1.3–2.0 s, measured alone). It needs no number, so it runs while the dialled numbers
-- are normalised.
-- The ids already in the case are found as a capture's call is (captures-check.sql): the calls
-- probed with the staged ids, not a hash table of every call's id built, here twice, to probe
-- with them (2,000 calls added to a case of 10M: 0.06 s against 3.3 s).
CREATE OR REPLACE TEMP TABLE _rep AS
WITH in_case AS (
  SELECT c.call_id FROM call_rows c SEMI JOIN _src k ON k.call_id = c.call_id
)
SELECT _ord, call_id, call_id IN (SELECT call_id FROM in_case) AS in_case
FROM _src
WHERE call_id IS NOT NULL AND (
  hash(call_id) IN (
    SELECT h FROM (
      SELECT h, h = lag(h) OVER (ORDER BY h) AS again
      FROM (SELECT hash(call_id) AS h FROM _src WHERE call_id IS NOT NULL)
    )
    WHERE again
  )
  OR call_id IN (SELECT call_id FROM in_case)
)
