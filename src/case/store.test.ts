/**
 * A case made before `call_parties` keeps every call in one table `calls`: opening it splits
 * that table into parties and rows (migrate-calls.sql), and every reader sees the same calls.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../../test/fixtures.ts';
import { ANALYSIS_FILE, openCase, queryRows } from './store.ts';

// The table as the oldest cases have it: statuses and countries as text, no `read_row`.
const OLD_CALLS = `CREATE TABLE calls (
  call_id VARCHAR NOT NULL, account_id VARCHAR NOT NULL, presented_raw VARCHAR,
  presented_e164 VARCHAR, presented_country VARCHAR, presented_status VARCHAR NOT NULL,
  dialed_raw VARCHAR NOT NULL, dialed_e164 VARCHAR, dialed_country VARCHAR,
  dialed_status VARCHAR NOT NULL, route VARCHAR, started_at TIMESTAMPTZ NOT NULL,
  answered_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, duration INTEGER, billsec INTEGER NOT NULL,
  disposition VARCHAR, file_id INTEGER NOT NULL)`;

const OLD_ROWS = `INSERT INTO calls VALUES
  ('c1', 'u1', '+441632960001', '+441632960001', 'GB', 'valid', '07700 900001', '+447700900001', 'GB', 'valid', 'uk', '2024-01-01 10:00:00+00', '2024-01-01 10:00:05+00', '2024-01-01 10:05:00+00', 300, 295, 'ANSWERED', 1),
  ('c2', 'u1', '+441632960001', '+441632960001', 'GB', 'valid', '+447700900002', '+447700900002', 'GB', 'valid', 'uk', '2024-01-01 11:00:00+00', NULL, '2024-01-01 11:00:10+00', 10, 0, 'NO ANSWER', 1),
  ('c3', 'u1', NULL, NULL, NULL, 'withheld', '12345', NULL, NULL, 'invalid', NULL, '2024-01-02 09:00:00+00', NULL, NULL, NULL, 0, 'BUSY', 1),
  ('c4', 'u2', NULL, NULL, NULL, 'withheld', '12345', NULL, NULL, 'invalid', NULL, '2024-01-02 09:30:00+00', NULL, NULL, NULL, 0, 'FAILED', 1),
  ('c5', 'u1', '+441632960001', '+441632960001', 'GB', 'valid', '07700 900001', '+447700900001', 'GB', 'valid', 'uk', '2024-02-01 10:00:00+00', NULL, NULL, NULL, 0, 'BUSY', 2)`;

const ALL = `SELECT call_id, account_id, presented_raw, presented_e164, CAST(presented_country AS VARCHAR) AS pc,
  CAST(presented_status AS VARCHAR) AS ps, dialed_raw, dialed_e164, CAST(dialed_country AS VARCHAR) AS dc,
  CAST(dialed_status AS VARCHAR) AS ds, route, CAST(started_at AS VARCHAR) AS s, CAST(answered_at AS VARCHAR) AS a,
  CAST(ended_at AS VARCHAR) AS e, duration, billsec, disposition, file_id FROM calls ORDER BY call_id`;

test('a case made with one calls table is split into parties and rows when opened, with the same calls', async () => {
  const dir = tempDir();
  const db = await DuckDBInstance.create(path.join(dir, ANALYSIS_FILE));
  const old = await db.connect();
  await old.run("SET TimeZone = 'UTC'");
  await old.run(OLD_CALLS);
  await old.run(OLD_ROWS);
  const before = await queryRows(old, ALL);
  old.closeSync();
  db.closeSync();

  const store = await openCase(dir);
  try {
    const after = await queryRows(store.conn, ALL);
    assert.deepEqual(after, before);
    const [kind] = await queryRows<{ n: bigint }>(
      store.conn,
      "SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'calls' AND NOT temporary",
    );
    assert.equal(Number(kind?.n), 1);
    // u1 on route uk presenting the brand number, in files 1 and 2; u1 and u2 withheld.
    const [parties] = await queryRows<{ n: bigint }>(
      store.conn,
      'SELECT count(*) AS n FROM call_parties',
    );
    assert.equal(Number(parties?.n), 4);
    const [rowCount] = await queryRows<{ n: bigint; r: bigint }>(
      store.conn,
      'SELECT count(*) AS n, count(read_row) AS r FROM call_rows',
    );
    assert.deepEqual([Number(rowCount?.n), Number(rowCount?.r)], [5, 0]);
  } finally {
    store.close();
  }
  // Opened again, it is left as it is.
  const again = await openCase(dir);
  try {
    assert.deepEqual(await queryRows(again.conn, ALL), before);
  } finally {
    again.close();
  }
});
