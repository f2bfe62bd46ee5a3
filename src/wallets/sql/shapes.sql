-- Each transaction's shape (docs/wallets.md): its inputs, its outputs, and how many outputs share
-- one value. A CoinJoin-shaped transaction (two or more inputs, three or more outputs, two or
-- more of them of one value) joins many people's coins: its inputs say nothing of one owner.
CREATE OR REPLACE TABLE tx_shapes AS
WITH ins AS (
  SELECT txid, count(*) AS inputs, count(DISTINCT address) AS input_addresses,
    min("at") AS "at"
  FROM transactions WHERE io = 'in' GROUP BY txid
),
outs AS (
  SELECT txid, sum(n) AS outputs, max(n) FILTER (WHERE value_btc IS NOT NULL) AS max_equal
  FROM (SELECT txid, value_btc, count(*) AS n FROM transactions WHERE io = 'out' GROUP BY ALL)
  GROUP BY txid
)
SELECT txid, coalesce(inputs, 0) AS inputs, coalesce(input_addresses, 0) AS input_addresses,
  coalesce(outputs, 0) AS outputs, coalesce(max_equal, 0) AS equal_outputs, "at",
  coalesce(inputs, 0) >= 2 AND coalesce(outputs, 0) >= 3 AND coalesce(max_equal, 0) >= 2 AS coinjoin
FROM ins FULL JOIN outs USING (txid);
