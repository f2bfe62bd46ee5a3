/**
 * Opens a case's analysis store (DuckDB, one file per case) and applies its schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { UnspoofError } from '../shared/errors.ts';
import { readSql } from '../shared/sql.ts';

export const ANALYSIS_FILE = 'analysis.duckdb';

/**
 * DuckDB's memory (UNSPOOF_DUCKDB_MEMORY overrides it). At scale 1 the ingest stages 10M calls
 * as text (2.1 GB) and reads them again after its insert. With 2.5 GB, a quarter of them went
 * to DuckDB's scratch files during the insert (compressed, then read back); with 2.75 GB the
 * ingest is faster and the process peaks at about 3.4 GB (the issue allows 4 GB).
 */
export const MEMORY_LIMIT = '2.75GB';

/**
 * The memory settings of every DuckDB that loads or analyses a case (the benches' floor too).
 * `block_allocator_memory`: DuckDB keeps the memory of its blocks once it has it, up to this
 * much, rather than giving it back to the system and faulting it in again. The ingest and the
 * floor both spent about a fifth of their CPU time in the kernel, mostly faulting memory in;
 * with it, a fifth (ingest) and a third (floor) less, and each ran about 10% faster (three
 * interleaved pairs at scale 1).
 */
export function duckdbMemory(): Record<string, string> {
  const limit = process.env.UNSPOOF_DUCKDB_MEMORY ?? MEMORY_LIMIT;
  return { memory_limit: limit, block_allocator_memory: limit };
}

export interface CaseStore {
  dir: string;
  db: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

export interface OpenOptions {
  /** Create the folder and store when absent (ingest); otherwise a missing case is an error. */
  create?: boolean;
}

export async function openCase(dir: string, opts: OpenOptions = {}): Promise<CaseStore> {
  const file = path.join(dir, ANALYSIS_FILE);
  if (!fs.existsSync(file)) {
    if (!opts.create) {
      throw new UnspoofError(
        'CASE_NOT_FOUND',
        `no case in ${dir} (no ${ANALYSIS_FILE}): ingest an export first`,
      );
    }
    fs.mkdirSync(dir, { recursive: true });
  }
  const db = await DuckDBInstance.create(file, {
    threads: String(Math.max(2, Math.min(8, (await import('node:os')).availableParallelism()))),
    ...duckdbMemory(),
    temp_directory: path.join(dir, '.duckdb-tmp'),
  });
  const conn = await db.connect();
  await conn.run("SET TimeZone = 'UTC'");
  await conn.run(readSql(import.meta.url, 'schema.sql'));
  await migrateCalls(conn);
  // Replaced on every open, so a case made by an older version shows the columns it gained.
  await conn.run(readSql(import.meta.url, 'calls-view.sql'));
  return {
    dir,
    db,
    conn,
    close() {
      conn.closeSync();
      db.closeSync();
    },
  };
}

/**
 * Splits the one `calls` table of a case made before `call_parties` (migrate-calls.sql), then
 * applies the schema again, whose view `calls` takes the table's place.
 */
async function migrateCalls(conn: DuckDBConnection): Promise<void> {
  const [old] = await queryRows(
    conn,
    "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'calls'",
  );
  if (!old) return;
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(readSql(import.meta.url, 'migrate-calls.sql'));
    await conn.run(readSql(import.meta.url, 'schema.sql'));
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

export type PlainRow = Record<string, string | number | null>;

/**
 * Runs a query and returns its rows with plain values, for reports, pages and JSON: integers
 * and decimals as numbers, text as text, dates and timestamps as ISO dates (`day`, the
 * default) or as ISO times to the second (`time`).
 */
export async function queryPlain(
  conn: DuckDBConnection,
  sql: string,
  params?: Record<string, unknown>,
  dates: 'day' | 'time' = 'day',
): Promise<PlainRow[]> {
  const cut = dates === 'day' ? 10 : 19;
  return (await queryRows(conn, sql, params)).map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        typeof v === 'bigint'
          ? Number(v)
          : v instanceof Date
            ? v.toISOString().slice(0, cut)
            : typeof v === 'object' && v !== null
              ? Number(String(v))
              : (v as string | number | null),
      ]),
    ),
  );
}

export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  params?: Record<string, unknown> | unknown[],
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params as never);
  return reader.getRowObjectsJS() as T[];
}
