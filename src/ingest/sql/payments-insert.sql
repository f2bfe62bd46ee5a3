INSERT INTO payments
SELECT payment_id, account_id, paid_ts, btc, gbp, btc_address, txid, plan, $file_id
FROM _chk WHERE reason IS NULL;
