-- Each distinct dialled number with its evidence (`dialed_key_ctx`: route, presented number's and
-- account's countries, calls-presented.sql; '' where the number needs none).
SELECT DISTINCT dialed_number AS raw, dialed_key_ctx AS ctx
FROM _ctx2 WHERE dialed_number IS NOT NULL
