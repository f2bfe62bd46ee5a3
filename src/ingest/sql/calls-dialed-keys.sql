-- Dialled numbers in national form resolve through the route, then the presented number's
-- country, then the account's country (DESIGN §5): `dialed_key_ctx` (calls-presented.sql).
SELECT DISTINCT dialed_number AS raw, dialed_key_ctx AS ctx
FROM _ctx2 WHERE dialed_number IS NOT NULL
