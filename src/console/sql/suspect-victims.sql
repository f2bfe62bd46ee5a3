-- The victims an account reached, a page at a time: its calls per victim, most harmed first,
-- with how many it reached in all. `victim_calls` (console/victim-calls.ts, put before this
-- statement) is the calls with the number each counts for (a confirmed reading, else the
-- dialled number); the account's filter applies to the calls before that mapping.
SELECT v.number, v.country, v.tier, count(*) AS calls, coalesce(sum(c.billsec) FILTER (WHERE c.connected), 0) AS connected_seconds,
  min(c.started_at) AS first_call_at, count(*) OVER () AS total
FROM victim_calls c JOIN victims v ON v.number = '+' || CAST(c.victim_digits AS VARCHAR)
WHERE c.account_id = $id AND ($scope IS NULL OR v.country = $scope)
GROUP BY v.number, v.country, v.tier
ORDER BY CASE v.tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END,
  connected_seconds DESC, v.number
LIMIT $limit OFFSET $offset
