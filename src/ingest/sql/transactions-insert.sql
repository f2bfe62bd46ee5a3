INSERT INTO transactions (txid, io, n, address, value_btc, "at", entity, file_id)
SELECT lower(txid), io_l, n_i, address, v, at_ts, entity, $file_id FROM _chk WHERE reason IS NULL;
