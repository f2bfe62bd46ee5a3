-- The victims an account reached, a page at a time: its calls per destination, most harmed
-- first, with how many it reached in all.
SELECT v.number, v.country, v.tier, count(*) AS calls, sum(c.billsec) AS connected_seconds,
  min(c.started_at) AS first_call_at, count(*) OVER () AS total
FROM calls c JOIN victims v ON v.number = c.dialed_e164
WHERE c.account_id = $id AND ($scope IS NULL OR v.country = $scope)
GROUP BY v.number, v.country, v.tier
ORDER BY CASE v.tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END,
  connected_seconds DESC, v.number
LIMIT $limit OFFSET $offset
