/**
 * Wallet clustering (docs/wallets.md): every address the payments name and every input address
 * of the block-explorer export is checked (address.ts) into `btc_addresses`; the addresses spent together in one
 * transaction that is not CoinJoin-shaped (sql/shapes.sql) are joined with a union-find; each
 * wallet is named by its first address (sorted), and sql/clusters.sql writes the wallets, their
 * proof and what each account paid from.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readSql } from '../shared/sql.ts';
import { checkAddress } from './address.ts';

/** Union-find with path halving, over indices. */
export class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]!]!;
      i = p[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const x = this.find(a);
    const y = this.find(b);
    if (x !== y) this.parent[Math.max(x, y)] = Math.min(x, y);
  }
}

/** Groups addresses: each group a list of addresses spent together. Returns address → wallet. */
export function clusterAddresses(
  addresses: readonly string[],
  spentTogether: ReadonlyArray<readonly string[]>,
): Map<string, string> {
  const sorted = [...new Set(addresses)].sort();
  const index = new Map(sorted.map((a, i) => [a, i]));
  const uf = new UnionFind(sorted.length);
  for (const group of spentTogether) {
    const first = index.get(group[0]!);
    if (first === undefined) continue;
    for (const a of group.slice(1)) {
      const j = index.get(a);
      if (j !== undefined) uf.union(first, j);
    }
  }
  // Sorted, so a set's smallest index is its first address.
  return new Map(sorted.map((a, i) => [a, sorted[uf.find(i)]!]));
}

export async function clusterWallets(conn: DuckDBConnection): Promise<void> {
  await conn.run(readSql(import.meta.url, 'sql/shapes.sql'));
  // The addresses coins were spent or paid from: only those can join a wallet or name what an
  // account paid from (an output never spent is its own wallet, and says nothing of anyone's).
  const reader = await conn.runAndReadAll(
    `SELECT DISTINCT address FROM (
       SELECT address FROM transactions WHERE io = 'in' UNION ALL SELECT btc_address FROM payments)
     WHERE nullif(trim(address), '') IS NOT NULL`,
  );
  const written = (reader.getColumnsJS()[0] ?? []) as string[];
  await conn.run(
    `CREATE OR REPLACE TABLE btc_addresses (address VARCHAR, canonical VARCHAR, type VARCHAR,
       valid BOOLEAN, error VARCHAR)`,
  );
  const a = await conn.createAppender('btc_addresses');
  const canonical = new Map<string, string>();
  for (const w of written) {
    const c = checkAddress(w);
    a.appendVarchar(w);
    if (c.valid) {
      canonical.set(w, c.canonical);
      a.appendVarchar(c.canonical);
      a.appendVarchar(c.type);
      a.appendBoolean(true);
      a.appendNull();
    } else {
      a.appendNull();
      a.appendNull();
      a.appendBoolean(false);
      a.appendVarchar(c.error);
    }
    a.endRow();
  }
  a.flushSync();
  a.closeSync();
  const spent = await conn.runAndReadAll(
    `SELECT list(DISTINCT b.canonical ORDER BY b.canonical) AS addresses
     FROM transactions t
     JOIN tx_shapes s ON s.txid = t.txid AND NOT s.coinjoin AND s.input_addresses >= 2
     JOIN btc_addresses b ON b.address = t.address AND b.valid
     WHERE t.io = 'in'
     GROUP BY t.txid`,
  );
  const groups = (spent.getColumnsJS()[0] ?? []) as string[][];
  const wallets = clusterAddresses([...canonical.values()], groups);
  await conn.run('CREATE OR REPLACE TEMP TABLE _wallet_of (address VARCHAR, wallet VARCHAR)');
  const w = await conn.createAppender('_wallet_of', 'main', 'temp');
  for (const [addr, wallet] of wallets) {
    w.appendVarchar(addr);
    w.appendVarchar(wallet);
    w.endRow();
  }
  w.flushSync();
  w.closeSync();
  await conn.run(readSql(import.meta.url, 'sql/clusters.sql'));
}
