-- A block-explorer export (docs/wallets.md): each row an input or output of a transaction. The
-- address is loaded as written; the analysis checks it (a bad one is listed, never clustered).
CREATE OR REPLACE TEMP TABLE _chk AS
WITH t AS (
  SELECT s.*,
    CASE lower(trim(s.io)) WHEN 'in' THEN 'in' WHEN 'input' THEN 'in'
      WHEN 'out' THEN 'out' WHEN 'output' THEN 'out' END AS io_l,
    TRY_CAST(s.n AS INTEGER) AS n_i, TRY_CAST(s.value_btc AS DECIMAL(18, 8)) AS v,
    _ts(s."at") AS at_ts
  FROM _src s
)
SELECT *,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN txid IS NULL OR io IS NULL THEN 'missing_value'
    WHEN "at" IS NOT NULL AND at_ts IS NULL THEN 'bad_date'
    WHEN io_l IS NULL OR (n IS NOT NULL AND (n_i IS NULL OR n_i < 0))
      OR (value_btc IS NOT NULL AND (v IS NULL OR v < 0)) THEN 'bad_value'
  END AS reason,
  CASE
    WHEN "at" IS NOT NULL AND at_ts IS NULL THEN 'at'
    WHEN io_l IS NULL THEN 'io'
    WHEN n IS NOT NULL AND (n_i IS NULL OR n_i < 0) THEN 'n'
    WHEN value_btc IS NOT NULL AND (v IS NULL OR v < 0) THEN 'value_btc'
  END AS detail
FROM t;

UPDATE _chk SET reason = 'duplicate_id', detail = 'txid,io,n'
WHERE reason IS NULL AND n_i IS NOT NULL AND (
  (lower(txid), io_l, n_i) IN (SELECT (lower(txid), io, n) FROM transactions)
  OR _ord NOT IN (SELECT min(_ord) FROM _chk WHERE reason IS NULL AND n_i IS NOT NULL
                  GROUP BY lower(txid), io_l, n_i)
);

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, reason, detail FROM _chk WHERE reason IS NOT NULL;
