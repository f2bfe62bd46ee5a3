-- Presented numbers in national form resolve through the route, then the account's country
-- (`presented_ctx`, calls-context.sql).
SELECT DISTINCT presented_number AS raw, presented_ctx AS ctx
FROM _tri WHERE presented_number IS NOT NULL
