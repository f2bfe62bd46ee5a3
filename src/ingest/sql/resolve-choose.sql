-- A reading chosen for each key (docs/numbers.md) from the readings evaluated, `_rv (k, rank,
-- e164, country, status, reason)`, with `_ranks (rank, rule, conf)`: the first valid reading
-- by rank; the rival (`alt_e164`): the first valid reading of another number among the ranks
-- getvariable('alt_lo') to getvariable('alt_hi'), when the chosen one is not certain. With no
-- valid reading: what the readings say the value is (withheld, special, unparseable), else
-- `invalid` with rule `none` (unresolved).
CREATE OR REPLACE TEMP TABLE _rch AS
WITH v AS (
  SELECT k, rank, e164, country FROM _rv WHERE status = 'valid'
), best AS (
  -- The whole first reading (a number may have no country: +800 …), not each column's first
  -- non-NULL value.
  SELECT k, b.rank, b.e164, b.country FROM (
    SELECT k, min({'rank': rank, 'e164': e164, 'country': country}) AS b FROM v GROUP BY k
  )
), alt AS (
  SELECT v.k, arg_min(v.e164, v.rank) AS alt_e164
  FROM v JOIN best b ON b.k = v.k
  WHERE v.e164 <> b.e164 AND b.rank >= getvariable('alt_lo')
    AND v.rank BETWEEN getvariable('alt_lo') AND getvariable('alt_hi')
  GROUP BY v.k
), other AS (
  SELECT k,
    CASE
      WHEN bool_or(status = 'withheld') THEN 'withheld'
      WHEN bool_or(status = 'special') THEN 'special'
      WHEN bool_or(reason = 'unparseable_number') THEN 'quarantine'
      ELSE 'invalid'
    END AS status
  FROM _rv GROUP BY k HAVING NOT bool_or(status = 'valid')
)
SELECT b.k, b.e164, b.country, 'valid' AS status, NULL::VARCHAR AS reason, r.rule, r.conf,
  a.alt_e164
FROM best b JOIN _ranks r ON r.rank = b.rank LEFT JOIN alt a ON a.k = b.k
UNION ALL
SELECT k, NULL, NULL, status,
  CASE WHEN status = 'quarantine' THEN 'unparseable_number' END, 'none', NULL, NULL
FROM other;
