-- A case made before `call_parties` (schema.sql) keeps its calls in one table `calls`. They are
-- split here, once, into their parties and their rows; store.ts then applies schema.sql again,
-- whose view `calls` over both takes the table's place: every reader sees the same calls. Run in
-- one transaction by store.ts.
ALTER TABLE calls ADD COLUMN IF NOT EXISTS read_row BIGINT;
INSERT INTO call_parties (party_id, account_id, route, presented_raw, presented_e164,
  presented_country, presented_status, file_id)
SELECT CAST(row_number() OVER () AS INTEGER) AS party_id, *
FROM (SELECT DISTINCT account_id, route, presented_raw, presented_e164, presented_country,
        presented_status, file_id FROM calls);
INSERT INTO call_rows (call_id, party_id, dialed_raw, dialed_digits, dialed_country,
  dialed_status, started_at, answered_at, ended_at, duration, billsec, disposition, file_id,
  read_row)
SELECT c.call_id, p.party_id, c.dialed_raw, CAST(c.dialed_e164 AS BIGINT), c.dialed_country, c.dialed_status,
  c.started_at, c.answered_at, c.ended_at, c.duration, c.billsec, c.disposition, c.file_id,
  c.read_row
FROM calls c
JOIN call_parties p ON p.account_id = c.account_id AND p.file_id = c.file_id
  AND p.route IS NOT DISTINCT FROM c.route
  AND p.presented_raw IS NOT DISTINCT FROM c.presented_raw
  AND p.presented_e164 IS NOT DISTINCT FROM c.presented_e164
  AND p.presented_country IS NOT DISTINCT FROM c.presented_country
  AND p.presented_status = c.presented_status;
DROP TABLE calls;
