/**
 * Loads one staged file: projects its columns onto the canonical ones, runs the kind's checks
 * (SQL beside this file), inserts what passes and quarantines the rest with file, line, reason.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { readSql, sqlIdent } from '../shared/sql.ts';
import { UnspoofError } from '../shared/errors.ts';
import { columnsOf } from './kinds.ts';
import { LineMap } from './lines.ts';
import { normaliseInto, routeCountries, type Normaliser } from './numbers.ts';
import type { FilePlan } from './plan.ts';
import type { Staged } from './stage.ts';

export interface FileCounts {
  rows: number;
  loaded: number;
  quarantined: number;
}

const sql = (name: string) => readSql(import.meta.url, `sql/${name}`);

export interface Checked {
  loaded: number;
  bad: number;
}

export interface LoadContext {
  fileId: number;
  timezone: string | null;
  normalise: Normaliser;
  brandSource?: string;
}

/**
 * Types, resolves and checks one staged file into `_chk` (a temp table: nothing in the case
 * changes). Run it outside the case's write transaction: DuckDB reads temp tables made inside
 * a transaction at less than half the speed.
 */
export async function checkStaged(
  conn: DuckDBConnection,
  plan: FilePlan,
  staged: Staged,
  ctx: LoadContext,
  step: (label: string) => void,
): Promise<Checked> {
  await conn.run(`CREATE OR REPLACE TEMP MACRO _ts(x) AS ${timestampSql(plan, ctx.timezone)}`);
  await conn.run(projectSql(plan, staged));
  step('numbers');
  await runKind(conn, plan, ctx);
  step('checks');
  const [counts] = await queryRows<{ loaded: bigint; bad: bigint }>(
    conn,
    'SELECT count(*) FILTER (reason IS NULL) AS loaded, count(*) FILTER (reason IS NOT NULL) AS bad FROM _chk',
  );
  return { loaded: Number(counts?.loaded ?? 0), bad: Number(counts?.bad ?? 0) };
}

/**
 * Writes a checked file into the case: its quarantine rows, then the rows that passed. The
 * caller runs it inside the transaction that also records the file.
 */
export async function writeChecked(
  conn: DuckDBConnection,
  plan: FilePlan,
  staged: Staged,
  ctx: LoadContext,
  checked: Checked,
  step: (label: string) => void,
): Promise<FileCounts> {
  // Quarantine first: it needs the staged text, which is then dropped before the insert, so
  // that a 10M-row file is not held twice while it is written into the case.
  const quarantined = await quarantine(conn, plan, staged, ctx.fileId);
  await conn.run('DROP VIEW IF EXISTS _ctx2; DROP VIEW IF EXISTS _ctx; DROP VIEW IF EXISTS _src');
  await conn.run('DROP TABLE IF EXISTS _stg');
  const params: Record<string, string | number> =
    plan.kind === 'brands' ? { source: ctx.brandSource ?? plan.name } : { file_id: ctx.fileId };
  // Rows need no order in the case (they carry their ids; the quarantine has the lines), and
  // an unordered insert is written in parallel with less memory. Staging keeps file order.
  await conn.run('SET preserve_insertion_order = false');
  try {
    await conn.run(sql(`${plan.kind}-insert.sql`), params);
  } finally {
    await conn.run('RESET preserve_insertion_order');
  }
  step('load');
  const rows = staged.staged + staged.rejects.length;
  if (
    checked.loaded + quarantined !== rows ||
    checked.bad + staged.rejects.length !== quarantined
  ) {
    throw new UnspoofError(
      'INTERNAL',
      `${plan.name}: counts do not reconcile (${rows} rows, ${checked.loaded} loaded, ${quarantined} quarantined)`,
    );
  }
  await conn.run('DROP TABLE IF EXISTS _chk; DROP TABLE IF EXISTS _pn; DROP TABLE IF EXISTS _dn');
  return { rows, loaded: checked.loaded, quarantined };
}

function timestampSql(plan: FilePlan, timezone: string | null): string {
  const parsed = plan.timestampFormat
    ? `try_strptime(x, '${plan.timestampFormat.replaceAll("'", "''")}')`
    : plan.localTime
      ? 'TRY_CAST(x AS TIMESTAMP)'
      : 'TRY_CAST(x AS TIMESTAMPTZ)';
  const inUtc = plan.localTime
    ? `timezone('${(timezone ?? 'UTC').replaceAll("'", "''")}', CAST(${parsed} AS TIMESTAMP))`
    : `CAST(${parsed} AS TIMESTAMPTZ)`;
  // `infinity` parses as a timestamp but is no time of a call: refused by text, so that each
  // value is parsed once.
  return `CASE WHEN NOT contains(lower(x), 'inf') THEN ${inUtc} END`;
}

function projectSql(plan: FilePlan, staged: Staged): string {
  const jsonl = plan.format === 'jsonl';
  // JSON functions fail on invalid JSON, so they only ever see `_json`: the line when valid.
  const from = jsonl
    ? `(SELECT *, CASE WHEN json_valid(raw) THEN raw END AS _json FROM _stg)`
    : '_stg';
  const jsonOk = jsonl ? `coalesce(json_type(_json) = 'OBJECT', false)` : 'true';
  const cols = columnsOf(plan.kind).map((c) => {
    const src = plan.source[c];
    if (!src) return `NULL::VARCHAR AS ${sqlIdent(c)}`;
    // trim() only when there is a space to trim: it is costly on every value of 10M rows.
    return `CASE WHEN starts_with(${src}, ' ') OR ends_with(${src}, ' ') THEN nullif(trim(${src}), '') ELSE nullif(${src}, '') END AS ${sqlIdent(c)}`;
  });
  return `CREATE OR REPLACE TEMP VIEW _src AS SELECT ${staged.ord} AS _ord, ${jsonOk} AS _json_ok, ${cols.join(', ')} FROM ${from}`;
}

async function runKind(conn: DuckDBConnection, plan: FilePlan, ctx: LoadContext): Promise<void> {
  switch (plan.kind) {
    case 'calls':
      await routeCountries(conn);
      await conn.run(sql('calls-context.sql'));
      await normaliseInto(conn, ctx.normalise, sql('calls-presented-keys.sql'), '_pn');
      await conn.run(sql('calls-presented.sql'));
      await normaliseInto(conn, ctx.normalise, sql('calls-dialed-keys.sql'), '_dn');
      break;
    case 'accounts':
      await normaliseInto(conn, ctx.normalise, sql('accounts-phone-keys.sql'), '_pn');
      break;
    case 'brands':
      await normaliseInto(conn, ctx.normalise, sql('brands-keys.sql'), '_pn');
      break;
    default:
      break;
  }
  await conn.run(sql(`${plan.kind}-check.sql`));
}

/** Writes the quarantine rows of this file (refused by the reader, or by the checks). */
async function quarantine(
  conn: DuckDBConnection,
  plan: FilePlan,
  staged: Staged,
  fileId: number,
): Promise<number> {
  const lines = new LineMap(
    staged.firstRecord,
    staged.rejects.map((r) => r.record),
  );
  const rows = await queryRows<{
    _ord: bigint;
    reason: string;
    detail: string | null;
    raw: string | null;
  }>(
    conn,
    `SELECT q._ord, q.reason, q.detail, ${rawSql(plan)} AS raw
       FROM _chk q JOIN _stg s ON ${staged.ord.replaceAll('rowid', 's.rowid').replace('_line', 's._line')} = q._ord
      WHERE q.reason IS NOT NULL ORDER BY q._ord`,
  );
  if (!staged.ownLines && plan.hasQuote !== false) {
    const multi = await queryRows<{ ord: bigint; n: bigint }>(conn, multilineSql(plan, staged.ord));
    lines.setMultiline([
      ...multi.map((m) => ({ record: lines.record(Number(m.ord)), newlines: Number(m.n) })),
      ...staged.rejects
        .filter((r) => r.newlines > 0)
        .map((r) => ({ record: r.record, newlines: r.newlines })),
    ]);
  }
  const appender = await conn.createAppender('quarantine');
  const add = (line: number, reason: string, detail: string | null, raw: string | null) => {
    appender.appendInteger(fileId);
    appender.appendBigInt(BigInt(line));
    appender.appendVarchar(reason);
    if (detail === null) appender.appendNull();
    else appender.appendVarchar(detail);
    if (raw === null) appender.appendNull();
    else appender.appendVarchar(raw);
    appender.endRow();
  };
  const withheld = '[withheld: a capture row may hold a captured code]';
  for (const r of staged.rejects) {
    const line = staged.ownLines ? r.record : lines.line(r.record);
    add(line, r.reason, r.detail, plan.kind === 'captures' ? withheld : r.raw);
  }
  for (const r of rows) {
    const ord = Number(r._ord);
    const line = staged.ownLines ? ord : lines.line(lines.record(ord));
    add(line, r.reason, r.detail, r.raw);
  }
  appender.flushSync();
  appender.closeSync();
  return staged.rejects.length + rows.length;
}

/** The quarantined record as text: the JSONL line, or the CSV fields written back as CSV. */
function rawSql(plan: FilePlan): string {
  if (plan.kind === 'captures') {
    // Only the canonical columns: never a column that could hold the captured value.
    return `concat_ws(',', ${columnsOf('captures')
      .map((c) => csvField(`q.${c}`))
      .join(', ')})`;
  }
  if (plan.format === 'jsonl') return 's.raw';
  if (plan.format === 'parquet') {
    return `CAST(json_object(${plan.columns.map((c) => `'${c.replaceAll("'", "''")}', CAST(s.${sqlIdent(c)} AS VARCHAR)`).join(', ')}) AS VARCHAR)`;
  }
  return `concat_ws('${plan.delimiter}', ${plan.columns.map((c) => csvField(`s.${sqlIdent(c)}`)).join(', ')})`;
}

function csvField(col: string): string {
  return `CASE WHEN ${col} IS NULL THEN '' WHEN regexp_matches(${col}, '[",\\n\\r]') THEN '"' || replace(${col}, '"', '""') || '"' ELSE ${col} END`;
}

function multilineSql(plan: FilePlan, ord: string): string {
  const cols = plan.columns.map(sqlIdent);
  const any = cols.map((c) => `contains(${c}, chr(10))`).join(' OR ');
  const n = cols
    .map((c) => `coalesce(length(${c}) - length(replace(${c}, chr(10), '')), 0)`)
    .join(' + ');
  return `SELECT ${ord} AS ord, ${n} AS n FROM _stg WHERE ${any}`;
}
