-- One page of the calls that count for a victim, oldest first, with how many there are in all.
-- `victim_calls` (victim-calls.ts, put before this statement) is the victim's calls. The call's
-- id breaks ties in time, and a capture's kind a call captured more than once, so every page
-- is the same on every request. An account outside the caller's scope (a partner's country)
-- is not named.
SELECT c.started_at, c.billsec, c.disposition, c.legs, c.disposition_conflict,
       c.presented_e164, b.brand,
       CASE WHEN $scope IS NULL OR s.country = $scope THEN c.account_id END AS account_id,
       c.connected AS answered, cap.kind AS captured, count(*) OVER () AS total
  FROM victim_calls c
  LEFT JOIN suspects s ON s.account_id = c.account_id
  LEFT JOIN brands b ON b.e164 = c.presented_e164
  LEFT JOIN captures cap ON cap.call_id = c.call_id
 ORDER BY c.started_at, c.call_id, cap.kind NULLS FIRST
 LIMIT $limit OFFSET $offset
