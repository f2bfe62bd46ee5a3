/**
 * Writes a query's rows to a file as CSV (header, UTC timestamps as ISO 8601), JSON (one
 * array) or Parquet (typed), for the tools analysts already use.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { sqlString } from '../shared/sql.ts';

export const FormatSchema = z.enum(['csv', 'json', 'parquet']);
export type ExportFormat = z.infer<typeof FormatSchema>;

/** The format named by --format, or else by the file's extension, or else CSV. */
export function formatFor(out: string, format: string | undefined): ExportFormat {
  if (format) return FormatSchema.parse(format);
  const ext = path.extname(out).slice(1).toLowerCase();
  return FormatSchema.safeParse(ext).success ? (ext as ExportFormat) : 'csv';
}

export async function exportRows(
  conn: DuckDBConnection,
  sql: string,
  format: ExportFormat,
  out: string,
): Promise<number> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const options =
    format === 'csv'
      ? `FORMAT csv, HEADER true, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%SZ'`
      : format === 'json'
        ? `FORMAT json, ARRAY true, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%SZ'`
        : 'FORMAT parquet';
  // COPY reports the rows it wrote: the query runs once.
  const result = await conn.run(`COPY (${sql}) TO ${sqlString(out)} (${options})`);
  return result.rowsChanged;
}

/** `a,b` → `['A', 'B']` for country lists; `likely,harmed` → tiers. */
export function list(value: string | undefined, upper = false): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((v) => (upper ? v.trim().toUpperCase() : v.trim().toLowerCase()))
    .filter(Boolean);
}

export const inList = (col: string, values: string[]) =>
  `${col} IN (${values.map(sqlString).join(', ')})`;
