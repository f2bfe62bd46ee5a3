-- Claims up to $4 queued messages of campaign $2 whose zones are in daytime ($3), for
-- dispatcher $1, with row locks (SKIP LOCKED): migration 008 holds the query.
SELECT id, campaign_id, number, brand, call_date, lang FROM dispatch_claim($1, $2, $3::text[], $4)
