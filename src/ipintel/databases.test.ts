/**
 * Nested ranges of the offline databases (docs/ip-intelligence.md): cut into ranges that
 * overlap no other, each piece the innermost range's, so an ASOF join finds the one that holds
 * an address.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { innermost, loadDatabases } from './databases.ts';
import { readIp } from './address.ts';

test('nested ranges are cut into pieces, each the innermost range’s', () => {
  const r = (first: number, last: number, values: string) => ({
    first: BigInt(first),
    last: BigInt(last),
    values,
  });
  const pieces = innermost([r(0, 100, 'GB'), r(10, 60, 'US'), r(20, 30, 'ES'), r(70, 70, 'FR')]);
  assert.deepEqual(
    pieces.map((p) => [Number(p.first), Number(p.last), p.values]),
    [
      [0, 9, 'GB'],
      [10, 19, 'US'],
      [20, 30, 'ES'],
      [31, 60, 'US'],
      [61, 69, 'GB'],
      [70, 70, 'FR'],
      [71, 100, 'GB'],
    ],
  );
});

test('the installed databases, flattened, place a nested address by its innermost range', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const dbs = await loadDatabases(conn);
    const where = async (ip: string) => {
      const r = await conn.runAndReadAll(
        `SELECT CASE WHEN n <= g.last_ip THEN g.country END
         FROM (SELECT ${readIp(ip)!.num}::UHUGEINT AS n) x
         ASOF LEFT JOIN _ip_country g ON x.n >= g.first_ip`,
      );
      return r.getRows()[0]?.[0];
    };
    // 44.61.181.148 is in a US range, in a GB range, in a US range: the innermost says US.
    assert.equal(await where('44.61.181.148'), 'US');
    // Past the end of a nested range, its enclosing range holds the address.
    assert.equal(await where('44.63.136.1'), 'GB');
    assert.equal(await where('86.1.2.3'), 'GB');
    const overlaps = await conn.runAndReadAll(
      `SELECT count(*) FROM (SELECT first_ip, lag(last_ip) OVER (ORDER BY first_ip) AS prev
       FROM _ip_country) WHERE prev >= first_ip`,
    );
    assert.equal(Number(overlaps.getRows()[0]?.[0]), 0);
    // Read again from the installation's cache: the same ranges.
    const before = await conn.runAndReadAll(
      'SELECT count(*), sum(hash(first_ip, last_ip, country)) FROM _ip_country',
    );
    assert.deepEqual(await loadDatabases(conn), dbs);
    const after = await conn.runAndReadAll(
      'SELECT count(*), sum(hash(first_ip, last_ip, country)) FROM _ip_country',
    );
    assert.deepEqual(after.getRows(), before.getRows());
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});
