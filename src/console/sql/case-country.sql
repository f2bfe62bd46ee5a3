-- A partner's slice of the case (its country, $country): the suspects registered there and
-- what they did, and the victims whose numbers are there. Read from the analysis's per-suspect
-- and per-victim tables, so it costs a scan of those, never of the calls.
SELECT
  $country AS country,
  s.suspects, s.priority_suspects, s.calls_by_these_suspects, s.paid_gbp_by_these_suspects,
  v.victims, v.harmed_victims, v.likely_victims, v.calls_to_these_victims,
  v.first_call_at, v.last_call_at
FROM (
  SELECT count(*) AS suspects,
         count(*) FILTER (WHERE priority <> '') AS priority_suspects,
         coalesce(sum(calls), 0) AS calls_by_these_suspects,
         CAST(coalesce(sum(paid_gbp), 0) AS DOUBLE) AS paid_gbp_by_these_suspects
    FROM suspects WHERE country = $country
) s, (
  SELECT count(*) AS victims,
         count(*) FILTER (WHERE tier = 'harmed') AS harmed_victims,
         count(*) FILTER (WHERE tier = 'likely') AS likely_victims,
         coalesce(sum(calls), 0) AS calls_to_these_victims,
         strftime(min(first_call_at), '%Y-%m-%dT%H:%M:%SZ') AS first_call_at,
         strftime(max(last_call_at), '%Y-%m-%dT%H:%M:%SZ') AS last_call_at
    FROM victims WHERE country = $country
) v
