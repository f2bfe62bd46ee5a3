/**
 * The console reads the case's analysis store read-only (the seized data and the analysis are
 * never changed from the console). One connection per request: DuckDB runs them in parallel.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ANALYSIS_FILE, openCase, queryPlain, type PlainRow } from '../case/store.ts';
import { requireAnalysis } from './analysed.ts';
import { UnspoofError } from '../shared/errors.ts';

export interface Analysis {
  read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  rows(sql: string, params?: Record<string, unknown>): Promise<PlainRow[]>;
  close(): void;
}

export async function openAnalysis(caseDir: string): Promise<Analysis> {
  const file = path.join(caseDir, ANALYSIS_FILE);
  if (!fs.existsSync(file)) {
    throw new UnspoofError('CASE_NOT_FOUND', `no case in ${caseDir}: ingest an export first`);
  }
  await migrateIfOlder(caseDir, file);
  const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY', threads: '2' });
  const probe = await db.connect();
  try {
    await requireAnalysis(probe);
  } finally {
    probe.closeSync();
  }
  const read = async <T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> => {
    const conn = await db.connect();
    try {
      await conn.run("SET TimeZone = 'UTC'");
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  };
  return {
    read,
    rows: (sql, params) => read((conn) => queryPlain(conn, sql, params, 'time')),
    close: () => db.closeSync(),
  };
}

/**
 * A case an older version wrote has the view `calls` without the columns the pages read
 * (`connected`, `legs`: docs/switch-records.md). The console reads a case read-only, so the
 * case is opened once for writing, which applies the schema and the view, before it is read.
 */
async function migrateIfOlder(caseDir: string, file: string): Promise<void> {
  const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  let older = false;
  try {
    const conn = await db.connect();
    try {
      await conn.run('SELECT connected, legs FROM calls LIMIT 0');
    } catch {
      older = true;
    } finally {
      conn.closeSync();
    }
  } finally {
    db.closeSync();
  }
  if (older) (await openCase(caseDir)).close();
}
