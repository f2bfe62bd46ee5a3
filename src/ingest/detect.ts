/**
 * Finds the data files of a seized export and decides, for each, its kind and format — before
 * anything is loaded, so an unknown file stops the ingest with nothing half-done.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UnspoofError } from '../shared/errors.ts';
import { sqlIdent, sqlString } from '../shared/sql.ts';
import { KINDS, columnsOf, isKind, type Kind } from './kinds.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.ts';
import type { Mapping, MappingEntry } from './mapping.ts';
import type { FilePlan } from './plan.ts';
import { ASTERISK, FREESWITCH, sniffSwitchRecord } from './switch-formats.ts';

const CANONICAL_EXT: Record<string, 'csv' | 'jsonl' | 'parquet'> = {
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
};

export interface DetectInput {
  dir: string;
  manifest: Manifest;
  mapping?: Mapping | undefined;
  /** Extra brand list given on the command line. */
  brandsFile?: string | undefined;
}

export async function planExport(conn: DuckDBConnection, input: DetectInput): Promise<FilePlan[]> {
  const { dir } = input;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UnspoofError('EXPORT_NOT_FOUND', `${dir} is not a folder`);
  }
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.') && d.name !== MANIFEST_FILE)
    .map((d) => d.name)
    .sort();
  const plans: FilePlan[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const plan = await planFile(conn, path.join(dir, name), name, input);
    if (plan) plans.push(plan);
    else unknown.push(name);
  }
  if (unknown.length > 0) {
    throw new UnspoofError(
      'UNKNOWN_FORMAT',
      `unknown format: ${unknown.join(', ')} — not a canonical file (accounts, calls, payments, logins, captures, brands as .csv/.jsonl/.parquet), not an Asterisk or FreeSWITCH CDR file, and not named in a --mapping file`,
    );
  }
  if (input.brandsFile) {
    const p = path.resolve(input.brandsFile);
    const plan = await planCanonical(conn, p, p, 'brands', 'csv', input.manifest);
    plans.push(plan);
  }
  if (plans.filter((p) => p.kind !== 'brands').length === 0) {
    throw new UnspoofError('EXPORT_EMPTY', `${dir} holds no seized data files`);
  }
  return plans;
}

async function planFile(
  conn: DuckDBConnection,
  file: string,
  name: string,
  input: DetectInput,
): Promise<FilePlan | null> {
  checkReadable(file);
  const entry = input.mapping?.files.find((f) => f.file === name);
  if (entry) return planMapped(conn, file, name, entry, input.manifest);
  const m = /^([a-z_]+)\.(csv|jsonl|ndjson|parquet)$/i.exec(name);
  const stem = m?.[1]?.toLowerCase() ?? '';
  const ext = CANONICAL_EXT[m?.[2]?.toLowerCase() ?? ''];
  if (ext && isKind(stem)) return planCanonical(conn, file, name, stem, ext, input.manifest);
  if (/\.csv$/i.test(name)) return sniffSwitch(file, name);
  return null;
}

function checkReadable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    throw new UnspoofError('FILE_UNREADABLE', `${file} cannot be read: ${(e as Error).message}`);
  }
}

/** A CSV header's column names (made unique: DuckDB is given them as the staged names). */
function csvHeader(file: string, delimiter: string): string[] {
  const [header] = firstRecords(file, 1, delimiter, 'utf8');
  if (!header || header.every((h) => h.trim() === '')) {
    throw new UnspoofError('FILE_UNREADABLE', `${file}: the file is empty or has no header line`);
  }
  const seen = new Map<string, number>();
  return header.map((h) => {
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h}_${n}`;
  });
}

async function planCanonical(
  conn: DuckDBConnection,
  file: string,
  name: string,
  kind: Kind,
  format: 'csv' | 'jsonl' | 'parquet',
  manifest: Manifest,
): Promise<FilePlan> {
  let columns: string[];
  if (format === 'csv') columns = csvHeader(file, ',');
  else if (format === 'parquet') columns = await parquetColumns(conn, file);
  else columns = [];
  const source: Record<string, string> = {};
  for (const col of columnsOf(kind)) {
    if (format === 'jsonl') {
      source[col] = `json_extract_string(_json, ${sqlString(`$.${col}`)})`;
      continue;
    }
    const found = columns.find((c) => c.trim().toLowerCase() === col);
    if (found !== undefined)
      source[col] = format === 'parquet' ? `CAST(${sqlIdent(found)} AS VARCHAR)` : sqlIdent(found);
  }
  if (format !== 'jsonl') requireColumns(name, kind, source);
  const encoding = manifest.encodings?.[name];
  return {
    path: file,
    name,
    kind,
    format,
    header: true,
    delimiter: ',',
    columns,
    ...(encoding ? { encoding } : {}),
    source,
    localTime: false,
  };
}

async function parquetColumns(conn: DuckDBConnection, file: string): Promise<string[]> {
  try {
    const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    return r.getRowObjectsJS().map((row) => String(row.column_name));
  } catch (e) {
    throw new UnspoofError(
      'FILE_UNREADABLE',
      `${file}: not a readable Parquet file: ${(e as Error).message}`,
    );
  }
}

function requireColumns(name: string, kind: Kind, source: Record<string, string>): void {
  const missing = KINDS[kind].required.filter((c) => !(c in source));
  if (missing.length > 0) {
    throw new UnspoofError(
      'MISSING_COLUMNS',
      `${name}: ${kind} file lacks required columns: ${missing.join(', ')}`,
    );
  }
}

async function planMapped(
  conn: DuckDBConnection,
  file: string,
  name: string,
  entry: MappingEntry,
  manifest: Manifest,
): Promise<FilePlan> {
  let columns: string[];
  const source: Record<string, string> = {};
  if (entry.header) {
    columns = csvHeader(file, entry.delimiter);
    for (const [col, from] of Object.entries(entry.columns)) {
      const found =
        typeof from === 'number'
          ? columns[from - 1]
          : columns.find((c) => c.trim() === from.trim());
      if (found === undefined) {
        throw new UnspoofError(
          'MISSING_COLUMNS',
          `${name}: the mapping's column "${from}" for ${col} is not in the header (${columns.join(', ')})`,
        );
      }
      source[col] = sqlIdent(found);
    }
  } else {
    const first = firstRecords(file, 1, entry.delimiter)[0] ?? [];
    columns = first.map((_, i) => `c${i + 1}`);
    for (const [col, from] of Object.entries(entry.columns)) source[col] = `c${from}`;
  }
  const encoding = entry.encoding ?? manifest.encodings?.[name];
  return {
    path: file,
    name,
    kind: entry.kind,
    format: 'mapped',
    header: entry.header,
    delimiter: entry.delimiter,
    columns,
    ...(encoding ? { encoding } : {}),
    source,
    localTime: entry.timestamps === 'local',
    ...(entry.timestamp_format ? { timestampFormat: entry.timestamp_format } : {}),
  };
}

function sniffSwitch(file: string, name: string): FilePlan | null {
  const records = firstRecords(file, 20, ',');
  const votes = { asterisk: 0, freeswitch: 0 };
  for (const r of records) {
    const f = sniffSwitchRecord(r);
    if (f) votes[f]++;
  }
  const format =
    votes.asterisk > votes.freeswitch ? 'asterisk' : votes.freeswitch > 0 ? 'freeswitch' : null;
  if (!format) return null;
  const width =
    format === 'asterisk'
      ? mode(records.filter((r) => sniffSwitchRecord(r) === 'asterisk').map((r) => r.length))
      : FREESWITCH.columns;
  return {
    path: file,
    name,
    kind: 'calls',
    format,
    header: false,
    delimiter: ',',
    columns: Array.from({ length: width }, (_, i) => `c${i + 1}`),
    source: format === 'asterisk' ? ASTERISK.source : FREESWITCH.source,
    localTime: true,
  };
}

function mode(xs: number[]): number {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

/**
 * The first records of a CSV, split for sniffing only (loading uses DuckDB's reader): lines
 * of the first 64 KiB, fields split on the delimiter outside double quotes.
 */
export function firstRecords(
  file: string,
  count: number,
  delimiter: string,
  encoding: 'latin1' | 'utf8' = 'latin1',
): string[][] {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(65536);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  const text = buf
    .subarray(0, n)
    .toString(encoding)
    .replace(/^(\xef\xbb\xbf|\ufeff)/, '');
  const lines = text.split(/\r?\n/).slice(0, count + 1);
  if (n === buf.length) lines.pop(); // the last line may be cut
  return lines
    .filter((l) => l.length > 0)
    .slice(0, count)
    .map((l) => splitFields(l, delimiter));
}

function splitFields(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
