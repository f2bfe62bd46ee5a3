/**
 * Finds the data files of a seized export and decides, for each, its kind and format — before
 * anything is loaded, so an unknown file stops the ingest with nothing half-done.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UnspoofError } from '../shared/errors.ts';
import { sqlIdent, sqlString } from '../shared/sql.ts';
import { KINDS, columnsOf, isKind, type Kind } from './kinds.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.ts';
import type { Mapping, MappingEntry } from './mapping.ts';
import { clockSeconds, sampleRecords } from './clocks.ts';
import type { Encoding, FilePlan } from './plan.ts';
import {
  SWITCH_LAYOUTS,
  misses,
  sniffSwitchRecord,
  splitFields,
  timeFormatOf,
  type SwitchLayout,
} from './switch-formats.ts';

const CANONICAL_EXT: Record<string, 'csv' | 'jsonl' | 'parquet'> = {
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
};

export interface DetectInput {
  /** The export's folder; absent when only `inputs` are planned. */
  dir?: string | undefined;
  manifest: Manifest;
  mapping?: Mapping | undefined;
  /** Extra brand list given on the command line. */
  brandsFile?: string | undefined;
  /** Rates or transactions given on the command line (`--rates`, `--transactions`). */
  inputs?: ReadonlyArray<{ file: string; kind: Kind }> | undefined;
}

export async function planExport(conn: DuckDBConnection, input: DetectInput): Promise<FilePlan[]> {
  const { dir } = input;
  if (dir === undefined) return planInputs(conn, input);
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
    if ('unknown' in plan) unknown.push(`  ${name}: ${plan.unknown}`);
    else plans.push(plan);
  }
  if (unknown.length > 0) {
    throw new UnspoofError(
      'UNKNOWN_FORMAT',
      [
        `unknown format (canonical files are named accounts, calls, payments, logins, captures, brands, rates or transactions, as .csv/.jsonl/.parquet; other .csv files are sniffed as switch records):`,
        ...unknown,
        `A file in another layout is read with a mapping (--mapping): see docs/seized-export.md, "Other CSVs: the mapping file".`,
      ].join('\n'),
    );
  }
  plans.push(...(await planInputs(conn, input)));
  if (plans.filter((p) => p.kind !== 'brands').length === 0) {
    throw new UnspoofError('EXPORT_EMPTY', `${dir} holds no seized data files`);
  }
  return plans;
}

/** The files given on the command line: a brand list, rates, transactions (CSV or JSON lines). */
async function planInputs(conn: DuckDBConnection, input: DetectInput): Promise<FilePlan[]> {
  const given = [
    ...(input.brandsFile ? [{ file: input.brandsFile, kind: 'brands' as Kind }] : []),
    ...(input.inputs ?? []),
  ];
  const plans: FilePlan[] = [];
  for (const g of given) {
    const p = path.resolve(g.file);
    if (!fs.existsSync(p) || !fs.statSync(p).isFile()) {
      throw new UnspoofError('EXPORT_NOT_FOUND', `${g.file} (${g.kind}) is not a file`);
    }
    const ext = CANONICAL_EXT[path.extname(p).slice(1).toLowerCase()] ?? 'csv';
    // A brand list keeps its path as its name, as it always has; rates and transactions are
    // named by their file's name, as an export's files are.
    const name = g.kind === 'brands' ? p : path.basename(p);
    plans.push(await planCanonical(conn, p, name, g.kind, ext, input.manifest));
  }
  return plans;
}

async function planFile(
  conn: DuckDBConnection,
  file: string,
  name: string,
  input: DetectInput,
): Promise<FilePlan | Unknown> {
  checkReadable(file);
  const entry = input.mapping?.files.find((f) => f.file === name);
  if (entry) return planMapped(conn, file, name, entry, input.manifest);
  const m = /^([a-z_]+)\.(csv|jsonl|ndjson|parquet)$/i.exec(name);
  const stem = m?.[1]?.toLowerCase() ?? '';
  const ext = CANONICAL_EXT[m?.[2]?.toLowerCase() ?? ''];
  if (ext && isKind(stem)) return planCanonical(conn, file, name, stem, ext, input.manifest);
  if (/\.csv$/i.test(name)) return sniffSwitch(file, name, input.manifest.encodings?.[name]);
  return { unknown: 'not a canonical file name, and not a .csv to sniff' };
}

/** Why a file is in no known format, as the UNKNOWN_FORMAT message says it. */
interface Unknown {
  unknown: string;
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

/**
 * A headerless CSV in a switch layout (docs/seized-export.md, "Switch records"): the layout
 * most of its first 20 records are; its width (Asterisk's varies with its options), leg
 * sequence column, encoding (export.json's) and timestamp format (a spreadsheet's re-save).
 */
function sniffSwitch(
  file: string,
  name: string,
  encoding: Encoding | undefined,
): FilePlan | Unknown {
  const records = firstRecords(file, 20, ',', encoding);
  const votes = new Map<SwitchLayout, string[][]>();
  for (const r of records) {
    const layout = sniffSwitchRecord(r);
    if (layout) votes.set(layout, [...(votes.get(layout) ?? []), r]);
  }
  const [winner] = [...votes.entries()].sort((a, b) => b[1].length - a[1].length);
  if (!winner) return { unknown: nearMiss(records[0]) };
  const [layout, matching] = winner;
  const width = mode(matching.map((r) => r.length));
  const sample = sampleRecords(file).filter((r) => r.length === width && !misses(layout, r).length);
  const times = layout.times.flatMap((col) => sample.map((r) => r[col - 1] ?? '')).filter(Boolean);
  const clocked = sample.flatMap((r) => {
    const clock = clockSeconds(r[layout.clock - 1] ?? '');
    return clock === null ? [] : [{ text: r[layout.times[0] - 1] ?? '', clock }];
  });
  const time = timeFormatOf(times, clocked);
  if ('problem' in time) return { unknown: `read as ${layout.name}, but ${time.problem}` };
  return {
    path: file,
    name,
    kind: 'calls',
    format: layout.format,
    header: false,
    delimiter: ',',
    columns: Array.from({ length: width }, (_, i) => `c${i + 1}`),
    ...(encoding ? { encoding } : {}),
    source: layout.source(
      width,
      layout.sequence(
        matching.filter((r) => r.length === width),
        width,
      ),
    ),
    localTime: true,
    ...(time.format ? { timestampFormat: time.format } : {}),
  };
}

/**
 * What the first record of a CSV in no switch layout showed, against the layout it comes
 * nearest to (fewest failed checks; the first listed among equals).
 */
function nearMiss(first: string[] | undefined): string {
  if (!first) return 'the file is empty';
  const [nearest] = SWITCH_LAYOUTS.map((layout) => ({
    layout,
    failed: misses(layout, first),
  })).sort((a, b) => a.failed.length - b.failed.length);
  const { layout, failed } = nearest!;
  return `its first record has ${first.length} column${first.length === 1 ? '' : 's'}; the nearest switch layout, ${layout.name}, does not fit: ${failed.slice(0, 3).join('; ')}`;
}

function mode(xs: number[]): number {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

/**
 * The first records of a CSV, split for sniffing only (loading uses DuckDB's reader): lines
 * of the first 64 KiB, fields split on the delimiter outside double quotes. Decoded as the
 * encoding given, else as UTF-8 when the bytes are, else as Latin-1: the split is the same
 * either way, and values shown in messages read as written.
 */
export function firstRecords(
  file: string,
  count: number,
  delimiter: string,
  encoding?: Encoding | 'utf8',
): string[][] {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(65536);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  let bytes = buf.subarray(0, n);
  // The last line may be cut (in the middle of a character, too).
  if (n === buf.length) bytes = bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
  const decoding =
    encoding === 'latin-1' ? 'latin1' : encoding || isUtf8(bytes) ? 'utf8' : 'latin1';
  const text = bytes.toString(decoding).replace(/^(\xef\xbb\xbf|\ufeff)/, '');
  return text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .slice(0, count)
    .map((l) => splitFields(l, delimiter));
}
