/**
 * `analyze --ip-list KIND=FILE`: lists of addresses that are no one's location (hosting, VPN
 * and Tor exits), loaded into `ip_lists` with a `files` row (its name and SHA-256 are the
 * list's source and date). Comments (`#`) and blank lines are skipped; every other line that
 * holds no address or range is quarantined as `bad_value` with its line, never dropped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { UnspoofError } from '../shared/errors.ts';
import { readRange } from './address.ts';

export const LIST_KINDS = ['hosting', 'vpn', 'tor'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export interface IpListFile {
  list: ListKind;
  file: string;
}

export interface ListResult {
  list: ListKind;
  file: string;
  sha256: string;
  ranges: number;
  quarantined: number;
  skipped?: 'already loaded';
}

/** `KIND=FILE` as given on the command line. */
export function parseListArg(arg: string): IpListFile {
  const eq = arg.indexOf('=');
  const list = arg.slice(0, eq) as ListKind;
  if (eq < 1 || !LIST_KINDS.includes(list)) {
    throw new UnspoofError(
      'USAGE',
      `--ip-list takes KIND=FILE with KIND one of ${LIST_KINDS.join(', ')} (got "${arg}")`,
    );
  }
  return { list, file: arg.slice(eq + 1) };
}

/** Loads each list not loaded before (by SHA-256), each in its own transaction. */
export async function loadIpLists(
  conn: DuckDBConnection,
  lists: readonly IpListFile[],
  now: Date,
): Promise<ListResult[]> {
  const out: ListResult[] = [];
  for (const l of lists) {
    if (!fs.existsSync(l.file) || !fs.statSync(l.file).isFile()) {
      throw new UnspoofError('EXPORT_NOT_FOUND', `${l.file} (${l.list} list) is not a file`);
    }
    const bytes = fs.readFileSync(l.file);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const seen = await queryRows(conn, 'SELECT 1 FROM files WHERE sha256 = $h', { h: sha256 });
    if (seen.length > 0) {
      out.push({ ...l, sha256, ranges: 0, quarantined: 0, skipped: 'already loaded' });
      continue;
    }
    const lines = bytes.toString('utf8').split(/\r?\n/);
    const ranges: Array<[string, string]> = [];
    const bad: Array<[number, string]> = [];
    lines.forEach((line, i) => {
      const t = line.replace(/#.*/, '').trim();
      if (t === '') return;
      // A Tor exit list's other lines (ExitNode, Published, LastStatus) say nothing of addresses.
      if (/^(ExitNode|Published|LastStatus)\s/.test(t)) return;
      const r = readRange(t);
      if (r) ranges.push([r.first.toString(), r.last.toString()]);
      else bad.push([i + 1, line.slice(0, 200)]);
    });
    await conn.run('BEGIN TRANSACTION');
    try {
      const [m] = await queryRows<{ m: number | null }>(
        conn,
        'SELECT max(file_id) AS m FROM files',
      );
      const fileId = (m?.m ?? 0) + 1;
      await conn.run(
        `INSERT INTO files VALUES ($id, $name, $path, $sha, $bytes, 'ip_list', $fmt, 'utf-8', NULL, $rows, $loaded, $q, $at)`,
        {
          id: fileId,
          name: path.basename(l.file),
          path: path.resolve(l.file),
          sha: sha256,
          bytes: bytes.length,
          fmt: l.list,
          rows: ranges.length + bad.length,
          loaded: ranges.length,
          q: bad.length,
          at: now.toISOString(),
        },
      );
      await appendRanges(conn, l.list, fileId, ranges);
      await appendBad(conn, fileId, bad);
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    out.push({ ...l, sha256, ranges: ranges.length, quarantined: bad.length });
  }
  return out;
}

async function appendRanges(
  conn: DuckDBConnection,
  list: string,
  fileId: number,
  ranges: ReadonlyArray<[string, string]>,
): Promise<void> {
  await conn.run('CREATE OR REPLACE TEMP TABLE _ranges (first_ip VARCHAR, last_ip VARCHAR)');
  const a = await conn.createAppender('_ranges', 'main', 'temp');
  for (const [f, l] of ranges) {
    a.appendVarchar(f);
    a.appendVarchar(l);
    a.endRow();
  }
  a.flushSync();
  a.closeSync();
  await conn.run(
    `INSERT INTO ip_lists SELECT $list, CAST(first_ip AS UHUGEINT), CAST(last_ip AS UHUGEINT), $f FROM _ranges`,
    { list, f: fileId },
  );
  await conn.run('DROP TABLE _ranges');
}

async function appendBad(
  conn: DuckDBConnection,
  fileId: number,
  bad: ReadonlyArray<[number, string]>,
): Promise<void> {
  if (bad.length === 0) return;
  await conn.run('CREATE OR REPLACE TEMP TABLE _badl (line BIGINT, raw VARCHAR)');
  const a = await conn.createAppender('_badl', 'main', 'temp');
  for (const [line, raw] of bad) {
    a.appendBigInt(BigInt(line));
    a.appendVarchar(raw);
    a.endRow();
  }
  a.flushSync();
  a.closeSync();
  await conn.run(`INSERT INTO quarantine SELECT $f, line, 'bad_value', 'address', raw FROM _badl`, {
    f: fileId,
  });
  await conn.run('DROP TABLE _badl');
}
