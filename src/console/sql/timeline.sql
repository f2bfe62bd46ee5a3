-- The timeline (console/timeline.ts): events as `ev (kind, t)`, their extent, and their counts
-- in bins of the case's time zone ($tz). `/*who*/` is the subject's filter on `c`, a call,
-- payment or login row with its account_id: `scope_filter` for the case (a partner's: the
-- accounts of suspects of its country, $scope), `suspect_filter` for one account ($account).

-- name: events
SELECT 'calls' AS kind, c.started_at AS t FROM calls c WHERE /*who*/
UNION ALL
SELECT 'payments', c.paid_at FROM payments c WHERE /*who*/
UNION ALL
SELECT 'logins', c."at" FROM logins c WHERE /*who*/
UNION ALL
SELECT 'captures', k.captured_at FROM captures k
 WHERE k.call_id IN (SELECT c.call_id FROM calls c WHERE /*who*/)

-- name: scope_filter
($scope IS NULL OR c.account_id IN (SELECT account_id FROM suspects WHERE country = $scope))

-- name: suspect_filter
c.account_id = $account

-- name: victim_events
SELECT 'calls' AS kind, started_at AS t FROM victim_calls
UNION ALL
SELECT 'captures', k.captured_at FROM captures k
 WHERE k.call_id IN (SELECT call_id FROM victim_calls)

-- name: extent
SELECT strftime(timezone($tz, min(t)), '%Y-%m-%dT%H:%M:%S') AS first,
       strftime(timezone($tz, max(t)), '%Y-%m-%dT%H:%M:%S') AS last
  FROM ev

-- name: bins
SELECT kind, strftime(b, '%Y-%m-%dT%H:%M:%S') AS bin_start,
       strftime(b + /*bin*/, '%Y-%m-%dT%H:%M:%S') AS bin_end, count(*) AS n
  FROM (
    SELECT kind, time_bucket(/*bin*/, timezone($tz, t), CAST($from AS TIMESTAMP)) AS b
      FROM ev
     WHERE t >= timezone($tz, CAST($from AS TIMESTAMP))
       AND t < timezone($tz, CAST($to AS TIMESTAMP))
  )
 GROUP BY kind, b
 ORDER BY kind, b
