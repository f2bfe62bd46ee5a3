-- A currency nobody knows is loaded as written: the payment is evidence, and the analysis lists
-- it as not valued (docs/money.md).
INSERT INTO payments (payment_id, account_id, paid_at, amount_btc, value_gbp, btc_address, txid,
  plan, file_id, amount, currency, ip, processor)
SELECT payment_id, account_id, paid_ts, btc, gbp, btc_address, txid, plan, $file_id,
  coalesce(amt, CASE WHEN cur = 'BTC' THEN btc END), cur, ip, processor
FROM _chk WHERE reason IS NULL;
