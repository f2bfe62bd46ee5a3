/**
 * Stages one file as text columns in `_stg` (DuckDB's parallel CSV reader, Parquet reader, or
 * a line reader for JSONL) and collects the records the reader itself refused: wrong column
 * count, invalid UTF-8, broken quoting. Nothing is typed or judged here.
 */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../shared/sql.ts';
import type { Encoding, FilePlan } from './plan.ts';
import { queryRows } from '../case/store.ts';

/** A record refused while reading, before any column was looked at. */
export interface ReaderReject {
  /** Record number as the reader counts it (1 = first line of the file). */
  record: number;
  /** Byte offset of the record in the file. */
  byte: number;
  reason: 'wrong_column_count' | 'invalid_utf8' | 'malformed_csv' | 'line_too_long';
  detail: string;
  raw: string | null;
  /** Newlines inside the record (quoted fields), to keep physical line numbers right. */
  newlines: number;
}

export interface Staged {
  /** Records staged in `_stg`, in file order (rowid 0…). */
  staged: number;
  rejects: ReaderReject[];
  encoding: Encoding;
  /** Record number of the first data record (2 after a header line). */
  firstRecord: number;
  /** Whether `_stg` rows carry their own line number in `_line` (JSONL, Parquet). */
  ownLines: boolean;
  /** SQL for a staged record's 0-based position (`_line` for files that number their own). */
  ord: string;
}

const REJECT_REASONS: Record<string, ReaderReject['reason']> = {
  'MISSING COLUMNS': 'wrong_column_count',
  'TOO MANY COLUMNS': 'wrong_column_count',
  'INVALID ENCODING': 'invalid_utf8',
  'INVALID UNICODE': 'invalid_utf8',
  'LINE SIZE': 'line_too_long',
};

export async function stageFile(conn: DuckDBConnection, plan: FilePlan): Promise<Staged> {
  await conn.run('DROP TABLE IF EXISTS _stg');
  if (plan.format === 'jsonl') return stageJsonl(conn, plan);
  if (plan.format === 'parquet') {
    await conn.run(
      `CREATE TEMP TABLE _stg AS SELECT file_row_number + 1 AS _line, * FROM read_parquet(${sqlString(plan.path)}, file_row_number = true)`,
    );
    return {
      staged: await count(conn),
      rejects: [],
      encoding: 'utf-8',
      firstRecord: 1,
      ownLines: true,
      ord: '_line',
    };
  }
  let staged = await stageCsv(conn, plan, plan.encoding ?? 'utf-8');
  if (!plan.encoding && (await looksLatin1(conn, plan, staged))) {
    staged = await stageCsv(conn, plan, 'latin-1');
  }
  return staged;
}

async function count(conn: DuckDBConnection): Promise<number> {
  const [row] = await queryRows<{ n: bigint }>(conn, 'SELECT count(*) AS n FROM _stg');
  return Number(row?.n ?? 0);
}

/**
 * The CSV reader's buffer. Staging keeps the file's order (a row's place is its record), and
 * DuckDB stitches the threads' batches back into order: with 64 MB buffers the batches are
 * whole row groups more often, and 10M calls stage in 6–8 s where the default took 9–11 s
 * (same rows, same order, same rejects). The benches' floor reads with the same buffer, so that
 * the ratio measures the ingest's work, not a reader setting the floor lacks.
 */
export const CSV_BUFFER_BYTES = 64 * 1024 * 1024;

async function stageCsv(
  conn: DuckDBConnection,
  plan: FilePlan,
  encoding: Encoding,
): Promise<Staged> {
  const columns = plan.columns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ');
  await conn.run(
    'DROP TABLE IF EXISTS _stg; DROP TABLE IF EXISTS _rej; DROP TABLE IF EXISTS _rej_scan',
  );
  await conn.run(
    `CREATE TEMP TABLE _stg AS SELECT * FROM read_csv(${sqlString(plan.path)},
       header = ${plan.header}, delim = ${sqlString(plan.delimiter)}, quote = '"', escape = '"',
       auto_detect = false, columns = {${columns}}, strict_mode = true, null_padding = false,
       encoding = ${sqlString(encoding)}, max_line_size = 1048576, buffer_size = ${CSV_BUFFER_BYTES},
       store_rejects = true, rejects_table = '_rej', rejects_scan = '_rej_scan')`,
  );
  const rows = await queryRows<{
    line: bigint;
    byte: bigint;
    error_type: string;
    csv_line: string | null;
    msg: string;
  }>(
    conn,
    `SELECT line, min(line_byte_position) AS byte, first(error_type ORDER BY column_idx NULLS LAST) AS error_type,
            first(csv_line) AS csv_line, first(error_message) AS msg
       FROM _rej GROUP BY line ORDER BY line`,
  );
  const records = new RawRecords(plan.path);
  let rejects: ReaderReject[];
  try {
    rejects = rows.map((r) => {
      const reason = REJECT_REASONS[r.error_type] ?? 'malformed_csv';
      const raw = reason === 'invalid_utf8' ? records.read(Number(r.byte)) : r.csv_line;
      return {
        record: Number(r.line),
        byte: Number(r.byte),
        reason,
        detail:
          reason === 'invalid_utf8'
            ? 'the record is not valid UTF-8'
            : (r.msg.split('\n')[0] ?? r.error_type),
        raw,
        newlines: (r.csv_line ?? '').split('\n').length - 1,
      };
    });
  } finally {
    records.close();
  }
  // Row ids inside a transaction start at a large base: positions are relative to it.
  const [base] = await queryRows<{ b: string | null }>(
    conn,
    'SELECT CAST(min(rowid) AS VARCHAR) AS b FROM _stg',
  );
  const ord = `(rowid - ${base?.b ?? '0'})`;
  return {
    staged: await count(conn),
    rejects,
    encoding,
    firstRecord: plan.header ? 2 : 1,
    ownLines: false,
    ord,
  };
}

/**
 * A file that is Latin-1 rather than UTF-8: no record that decoded as UTF-8 holds a non-ASCII
 * character, and every byte above 0x7F in the refused records is a printable Latin-1 character
 * (0xA0–0xFD but × and ÷: a caller name's `¥` as much as its `é`). A file that only has them in
 * one field of a few records loses no call for them (a real Asterisk file did, to a stray byte
 * in a caller's name). A UTF-8 file with broken records (stray 0xFF 0xFE, C1 controls) keeps
 * UTF-8, and its broken records are quarantined. The manifest or mapping can always say which
 * encoding a file has.
 */
async function looksLatin1(
  conn: DuckDBConnection,
  plan: FilePlan,
  staged: Staged,
): Promise<boolean> {
  const bad = staged.rejects.filter((r) => r.reason === 'invalid_utf8');
  if (bad.length === 0) return false;
  for (const r of bad) {
    for (const m of (r.raw ?? '').matchAll(/\\x([0-9A-F]{2})/g)) {
      const b = parseInt(m[1] as string, 16);
      if (b < 0xa0 || b > 0xfd || b === 0xd7 || b === 0xf7) return false;
    }
  }
  const all = plan.columns.map((c) => `coalesce(${sqlIdent(c)}, '')`).join(' || ');
  const [row] = await queryRows<{ n: bigint }>(
    conn,
    `SELECT count(*) AS n FROM _stg WHERE regexp_matches(${all}, '[^\\x00-\\x7F]')`,
  );
  return Number(row?.n ?? 0) === 0;
}

/**
 * The bytes of records that are not valid UTF-8, non-ASCII shown as \xNN: the file is opened
 * once (when the first is read) and one buffer serves them all, and a record is looked for in
 * the 4 KB after its offset before the 64 KB. (A file opened and 68 KB zeroed and read for each
 * took 0.5 s for the 6,250 such records of the scale-1 calls.)
 */
class RawRecords {
  private fd: number | null = null;
  private readonly buf = Buffer.allocUnsafe(BEFORE + AFTER);

  constructor(private readonly file: string) {}

  /**
   * The record at DuckDB's 1-based byte offset `position`: it starts after the newline before
   * it and ends at the next (at most 64 KB on).
   */
  read(position: number): string {
    return this.readWithin(position, AFTER_FIRST) ?? (this.readWithin(position, AFTER) as string);
  }

  /** The record, or null when its end is not within `after` bytes of it (and the file goes on). */
  private readWithin(position: number, after: number): string | null {
    this.fd ??= fs.openSync(this.file, 'r');
    const from = Math.max(0, position - BEFORE);
    const want = position - from + after;
    const n = fs.readSync(this.fd, this.buf, 0, want, from);
    const data = this.buf.subarray(0, n);
    const start = data.lastIndexOf(0x0a, Math.max(0, position - 2 - from)) + 1;
    let end = data.indexOf(0x0a, start);
    if (end < 0) {
      if (n === want && after < AFTER) return null;
      end = n;
    }
    if (end > start && data[end - 1] === 0x0d) end--;
    return escapeBytes(data.subarray(start, end));
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** How far before a record's offset `RawRecords` reads, and after it: first, then at most. */
const BEFORE = 4096;
const AFTER_FIRST = 4096;
const AFTER = 65536;

export function escapeBytes(buf: Uint8Array): string {
  // Latin-1 decodes each byte to the character of its value; the bytes above 0x7F are escaped.
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
    .toString('latin1')
    .replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** JSONL: one record per line; lines that are not UTF-8 are refused here, the rest staged. */
async function stageJsonl(conn: DuckDBConnection, plan: FilePlan): Promise<Staged> {
  await conn.run('CREATE TEMP TABLE _stg (_line BIGINT, raw VARCHAR)');
  const appender = await conn.createAppender('_stg', 'main', 'temp');
  const rejects: ReaderReject[] = [];
  let staged = 0;
  let line = 0;
  let offset = 0;
  let rest = Buffer.alloc(0);
  const take = (buf: Buffer, byte: number) => {
    line++;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 0x0d) end--;
    let body = buf.subarray(0, end);
    if (line === 1 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf)
      body = body.subarray(3);
    if (body.length === 0) return;
    if (!isUtf8(body)) {
      rejects.push({
        record: line,
        byte,
        reason: 'invalid_utf8',
        detail: 'the line is not valid UTF-8',
        raw: escapeBytes(body),
        newlines: 0,
      });
      return;
    }
    appender.appendBigInt(BigInt(line));
    appender.appendVarchar(body.toString('utf8'));
    appender.endRow();
    staged++;
  };
  for await (const chunk of fs.createReadStream(plan.path, { highWaterMark: 1 << 20 })) {
    let buf = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      take(buf.subarray(start, nl), offset + start);
      start = nl + 1;
    }
    offset += start;
    buf = buf.subarray(start);
    rest = Buffer.from(buf);
  }
  if (rest.length > 0) take(rest, offset);
  appender.flushSync();
  appender.closeSync();
  return { staged, rejects, encoding: 'utf-8', firstRecord: 1, ownLines: true, ord: '_line' };
}
