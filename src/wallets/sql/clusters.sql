-- Wallets (docs/wallets.md). `_wallet_of (address, wallet)` holds each valid address's wallet
-- as cluster.ts found it: the addresses spent together in a transaction that is not
-- CoinJoin-shaped belong to one wallet (common-input-ownership), named by its first address.
CREATE OR REPLACE TABLE wallet_addresses AS
SELECT a.address AS written, w.address, w.wallet, a.type
FROM btc_addresses a JOIN _wallet_of w ON w.address = a.canonical;

-- The transactions that joined each wallet: its proof.
CREATE OR REPLACE TABLE wallet_transactions AS
SELECT DISTINCT w.wallet, t.txid
FROM transactions t
JOIN wallet_addresses w ON w.written = t.address
JOIN tx_shapes s ON s.txid = t.txid
WHERE t.io = 'in' AND NOT s.coinjoin AND s.input_addresses >= 2;

-- What each account paid from: the address a payment names, and the inputs of its transaction.
CREATE OR REPLACE TABLE account_wallets AS
WITH paid_from AS (
  SELECT p.account_id, p.btc_address AS address, p.paid_at, p.payment_id, p.txid
  FROM payments p WHERE p.btc_address IS NOT NULL
  UNION ALL
  SELECT p.account_id, t.address, p.paid_at, p.payment_id, p.txid
  FROM payments p JOIN transactions t ON t.txid = lower(p.txid) AND t.io = 'in'
  WHERE t.address IS NOT NULL
)
SELECT f.account_id, w.wallet, count(DISTINCT f.payment_id) AS payments,
  min(f.paid_at) AS first_paid, max(f.paid_at) AS last_paid,
  string_agg(DISTINCT f.txid, ';' ORDER BY f.txid) AS txids
FROM paid_from f JOIN wallet_addresses w ON w.written = f.address
GROUP BY ALL;
DROP TABLE _wallet_of;
