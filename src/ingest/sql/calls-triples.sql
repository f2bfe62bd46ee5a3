-- The distinct (route, account, presented number) triples of the staged calls
-- (calls-context.sql says why).
CREATE OR REPLACE TEMP TABLE _tri0 AS
SELECT DISTINCT route, account_id, presented_number FROM _src
