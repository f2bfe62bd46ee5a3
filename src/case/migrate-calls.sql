-- A case made before `call_parties` (schema.sql) keeps its calls in one table `calls`. They are
-- split here, once, into their parties and their rows, and `calls` becomes the view over both:
-- every reader sees the same calls. Run in one transaction by store.ts.
ALTER TABLE calls ADD COLUMN IF NOT EXISTS read_row BIGINT;
INSERT INTO call_parties
SELECT CAST(row_number() OVER () AS INTEGER) AS party_id, *
FROM (SELECT DISTINCT account_id, route, presented_raw, presented_e164, presented_country,
        presented_status, file_id FROM calls);
INSERT INTO call_rows
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
CREATE VIEW calls AS
SELECT r.call_id, p.account_id, p.presented_raw, p.presented_e164, p.presented_country,
  p.presented_status, r.dialed_raw, '+' || CAST(r.dialed_digits AS VARCHAR) AS dialed_e164,
  r.dialed_country, r.dialed_status, p.route, r.started_at, r.answered_at, r.ended_at,
  r.duration, r.billsec, r.disposition, r.file_id, r.read_row, r.dialed_digits
FROM call_rows r JOIN call_parties p ON p.party_id = r.party_id;
