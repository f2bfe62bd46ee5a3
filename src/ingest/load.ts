/**
 * Loads one staged file: projects its columns onto the canonical ones, runs the kind's checks
 * (SQL beside this file), inserts what passes and quarantines the rest with file, line, reason.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { readSql, sqlIdent, sqlString } from '../shared/sql.ts';
import { UnspoofError } from '../shared/errors.ts';
import { columnsOf } from './kinds.ts';
import { currenciesSql } from '../money/currencies.ts';
import { LineMap } from './lines.ts';
import { normaliseInto, routeCountries } from './numbers.ts';
import type { FilePlan } from './plan.ts';
import { resolveDialled, resolvePresented } from './resolve.ts';
import {
  callCounts,
  callMacros,
  callsCheckSql,
  parsedSql,
  type CallCounts,
  type LoadContext,
  type NamedRoute,
} from './call-rules.ts';
import type { Staged } from './stage.ts';

export type { CallCounts, LoadContext, NamedRoute };

const sql = (name: string) => readSql(import.meta.url, `sql/${name}`);

export interface FileCounts {
  rows: number;
  loaded: number;
  quarantined: number;
  /** A calls file's rows as docs/switch-records.md reads them (absent for other kinds). */
  calls?: CallCounts;
}

export interface Checked {
  /** The rows that cannot load, or null when they are found after the insert (calls). */
  bad: number | null;
}

/**
 * Types, resolves and checks one staged file (nothing in the case changes). Each kind's
 * `{kind}-check.sql` makes `_chk`, every staged row typed with `reason` (a temp table, or a view
 * when the file can be large), and `_bad (_ord, reason, detail)`, the rows that cannot load;
 * `{kind}-insert.sql` inserts the rest. Run it outside the case's write transaction: DuckDB
 * reads temp tables made inside a transaction at less than half the speed.
 *
 * Calls are the one kind with millions of rows, and `_chk` a view over them: typing and checking
 * every call once to find the few that cannot load, then again to insert the rest, was a third
 * of the file's time. So `_bad` holds only the repeated ids here (calls-duplicates.sql, with
 * `_rows` narrowed to the calls whose id is not unique); the insert takes every other call that
 * has no reason, and the rows it left out are then checked alone (calls-unloaded.sql).
 */
export async function checkStaged(
  conn: DuckDBConnection,
  plan: FilePlan,
  staged: Staged,
  ctx: LoadContext,
  step: (label: string) => void,
): Promise<Checked> {
  await conn.run(`CREATE OR REPLACE TEMP MACRO _ts(x) AS ${timestampSql(plan, ctx.timezone)}`);
  await conn.run(CLEAN_MACRO);
  if (plan.kind === 'calls') await callMacros(conn, plan, ctx);
  await conn.run(rowsSql(staged, null));
  await conn.run(projectSql(plan, staged));
  step('numbers');
  await runKind(conn, plan, ctx);
  step('checks');
  if (plan.kind === 'calls') {
    // The repeated rows are read twice there (checked, and compared field by field): copied
    // once, rather than found twice among every staged row.
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE _reprows AS SELECT s.*, s.rowid AS _rid FROM _stg s
        SEMI JOIN _rep r ON r._ord = ${ordOf(staged, 's')}`,
    );
    await onRows(
      conn,
      staged,
      null,
      sql('calls-duplicates.sql')
        .replace('/* record */', recordSql(plan, staged))
        .replace('/* ord */', ordOf(staged, 's', '_rid')),
    );
    return { bad: null };
  }
  const [counts] = await queryRows<{ bad: bigint }>(conn, 'SELECT count(*) AS bad FROM _bad');
  return { bad: Number(counts?.bad ?? 0) };
}

/**
 * Writes a checked file into the case: the rows that pass, then its quarantine rows. The
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
  const params: Record<string, string | number> =
    plan.kind === 'brands' ? { source: ctx.brandSource ?? plan.name } : { file_id: ctx.fileId };
  // The calls' parties first (calls-parties.sql): 0.26 s before the calls, 0.3–0.5 s after them
  // (10M calls).
  if (plan.kind === 'calls') {
    await conn.run(sql('calls-accounts.sql'), params);
    await conn.run(sql('calls-parties.sql'), params);
  }
  // Rows need no order in the case (they carry their ids; the quarantine has the lines), and
  // an unordered insert is written in parallel with less memory. Staging keeps file order.
  await conn.run('SET preserve_insertion_order = false');
  let inserted: number;
  try {
    const result = await conn.run(sql(`${plan.kind}-insert.sql`), params);
    inserted = Number((await result.getRowsJS())[0]?.[0] ?? 0);
  } finally {
    await conn.run('RESET preserve_insertion_order');
  }
  // The legs of calls that did not decide them (docs/switch-records.md §1): loaded as well.
  if (plan.kind === 'calls') {
    // Checked again for those few rows only (`_rows` narrowed to them).
    await conn.run(rowsSql(staged, `SEMI JOIN _legs l ON l._ord = ${ordOf(staged, 's')}`));
    const legs = await conn.run(sql('calls-legs-insert.sql'), params);
    inserted += Number((await legs.getRowsJS())[0]?.[0] ?? 0);
    await conn.run(rowsSql(staged, null));
  }
  // Calls: the rows the insert left out, kept apart (`_left`), are the ones the quarantine
  // reads back; every other kind reads its few rows from `_stg`.
  const left = checked.bad === null ? await checkUnloaded(conn, staged, ctx.fileId) : null;
  const [counts] = await queryRows<{ bad: bigint }>(conn, 'SELECT count(*) AS bad FROM _bad');
  const bad = Number(counts?.bad ?? 0);
  const quarantined = await quarantine(conn, plan, staged, ctx.fileId, left);
  step('load');
  const calls = plan.kind === 'calls' ? await callCounts(conn, ctx.fileId) : undefined;
  const rows = staged.staged + staged.rejects.length;
  const loaded = staged.staged - bad;
  if (
    inserted !== loaded ||
    loaded + quarantined !== rows ||
    bad + staged.rejects.length !== quarantined ||
    (checked.bad !== null && checked.bad !== bad)
  ) {
    throw new UnspoofError(
      'INTERNAL',
      `${plan.name}: counts do not reconcile (${rows} rows, ${inserted} loaded, ${quarantined} quarantined)`,
    );
  }
  await dropScratch(conn, [
    '_loadable',
    '_left',
    '_chk',
    '_bad',
    '_ctx2',
    '_tri2',
    '_src',
    '_rows',
    '_stg',
    '_pn',
    '_dnv',
    '_dnd',
    '_dn',
    '_d1',
    '_rch',
    '_legs',
    '_reprows',
  ]);
  return { rows, loaded, quarantined, ...(calls ? { calls } : {}) };
}

/**
 * The calls the insert left out, checked alone into `_bad`: each has its reason, or is a
 * repeated id already there. The loaded rows are marked in a bit string (a bit per staged row:
 * 10M rows are 1.25 MB) that every staged row looks itself up in: no hash table of 10M loaded
 * rows to build and probe, as an anti-join would (a quarter of its time, measured alone).
 */
async function checkUnloaded(
  conn: DuckDBConnection,
  staged: Staged,
  fileId: number,
): Promise<StagedRows> {
  const ord = ordOf(staged, 's');
  const [range] = await queryRows<{ lo: bigint; hi: bigint }>(
    conn,
    `SELECT coalesce(min(${ord}), 0) AS lo, coalesce(max(${ord}), 0) AS hi FROM _stg s`,
  );
  const [lo, hi] = [String(range?.lo ?? 0), String(range?.hi ?? 0)];
  await conn.run(
    `SET VARIABLE _loaded_rows = (SELECT bitstring_agg(read_row, ${lo}, ${hi}) FROM (
       SELECT read_row FROM call_rows WHERE file_id = ${Number(fileId)}
       UNION ALL SELECT read_row FROM call_legs WHERE file_id = ${Number(fileId)}))`,
  );
  // The staged rows that did not load, copied once (with their row id in `_stg`): they are
  // checked here and read back by the quarantine, where each was a scan of all of `_stg`.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE _left AS SELECT s.*, s.rowid AS _srid FROM _stg s
      WHERE coalesce(get_bit(getvariable('_loaded_rows'), CAST(${ord} - ${lo} AS INTEGER)), 0) = 0`,
  );
  await conn.run('RESET VARIABLE _loaded_rows');
  await conn.run(
    'CREATE OR REPLACE TEMP VIEW _rows AS SELECT s.* EXCLUDE (_srid), s._srid AS _rid FROM _left s',
  );
  await conn.run(sql('calls-unloaded.sql'));
  await conn.run(rowsSql(staged, null));
  return { table: '_left', rowid: '_srid' };
}

/** Where the quarantine reads staged rows: a table and the column that is their row id in `_stg`. */
interface StagedRows {
  table: string;
  rowid: string;
}

/**
 * Runs `statement` with `_rows` narrowed by `narrow` (null: the rows copied into `_reprows`),
 * then points `_rows` at every row again.
 */
async function onRows(
  conn: DuckDBConnection,
  staged: Staged,
  narrow: string | null,
  statement: string,
) {
  await conn.run(
    narrow === null
      ? 'CREATE OR REPLACE TEMP VIEW _rows AS SELECT * FROM _reprows'
      : rowsSql(staged, narrow),
  );
  await conn.run(statement);
  await conn.run(rowsSql(staged, null));
}

/**
 * `_rows`: the staged rows the checks read, each with `_rid`, its row id in `_stg` — every row,
 * or those that `narrow` keeps (a join or WHERE clause on `_stg s`).
 */
function rowsSql(staged: Staged, narrow: string | null): string {
  return `CREATE OR REPLACE TEMP VIEW _rows AS SELECT s.*, s.rowid AS _rid FROM _stg s ${narrow ?? ''}`;
}

/**
 * A staged row's position (`Staged.ord`) on the staged row named `alias`, whose row id in `_stg`
 * is its column `rowid` (`rowid` itself in `_stg`).
 */
function ordOf(staged: Staged, alias: string, rowid = 'rowid'): string {
  return staged.ord.replaceAll('rowid', `${alias}.${rowid}`).replace('_line', `${alias}._line`);
}

function timestampSql(plan: FilePlan, timezone: string | null): string {
  const parsed = parsedSql(plan);
  const inUtc = plan.localTime
    ? `timezone('${(timezone ?? 'UTC').replaceAll("'", "''")}', CAST(${parsed} AS TIMESTAMP))`
    : `CAST(${parsed} AS TIMESTAMPTZ)`;
  // `infinity` parses as a timestamp but is no time of a call. DuckDB parses the value once
  // (the same expression twice in a projection is computed once): a third cheaper than
  // refusing it by its text, `contains(lower(x), 'inf')`, with the same answers.
  return `CASE WHEN isfinite(${parsed}) THEN ${inUtc} END`;
}

/**
 * A staged record's fields as one value, for telling byte-identical rows (duplicates) from
 * legs (docs/switch-records.md §1): the JSONL line, or every staged column.
 */
function recordSql(plan: FilePlan, staged: Staged): string {
  if (plan.format === 'jsonl') return 's.raw';
  const cols = plan.columns.map((c) => `s.${sqlIdent(c)}`);
  return cols.length > 0 ? `[${cols.join(', ')}]` : ordOf(staged, 's', '_rid');
}

function projectSql(plan: FilePlan, staged: Staged): string {
  const jsonl = plan.format === 'jsonl';
  // JSON functions fail on invalid JSON, so they only ever see `_json`: the line when valid.
  const from = jsonl
    ? `(SELECT *, CASE WHEN json_valid(raw) THEN raw END AS _json FROM _rows)`
    : '_rows';
  const jsonOk = jsonl ? `coalesce(json_type(_json) = 'OBJECT', false)` : 'true';
  const cols = columnsOf(plan.kind).map((c) => {
    const src = plan.source[c];
    return src ? `_clean(${src}) AS ${sqlIdent(c)}` : `NULL::VARCHAR AS ${sqlIdent(c)}`;
  });
  // A call's party as read (calls-triples.sql): each distinct one is cleaned once, not every
  // call's three values.
  if (plan.kind === 'calls') {
    for (const c of PARTY_COLUMNS) {
      cols.push(`${plan.source[c] ?? 'NULL::VARCHAR'} AS ${sqlIdent(`_${c}_read`)}`);
    }
  }
  const ord = staged.ord.replaceAll('rowid', '_rid');
  const select = `SELECT ${ord} AS _ord, ${jsonOk} AS _json_ok, ${cols.join(', ')} FROM ${from}`;
  if (plan.kind !== 'calls') return `CREATE OR REPLACE TEMP VIEW _src AS ${select}`;
  // The number read from the dialled field (docs/switch-records.md §7): the field as written,
  // or what an outside-line prefix or the dial string says, the field then kept as recorded.
  return `CREATE OR REPLACE TEMP VIEW _src AS
    SELECT * EXCLUDE (_pick) REPLACE (coalesce(_pick.v, dialed_number, '') AS dialed_number),
      _pick.src AS dialed_source, CASE WHEN _pick IS NOT NULL THEN dialed_number END AS dialed_recorded
    FROM (SELECT *, _dial_pick(dialed_number, dial_string) AS _pick FROM (${select}))`;
}

/** The columns that make a call's party (calls-triples.sql), each also in `_src` as read. */
const PARTY_COLUMNS = ['route', 'account_id', 'presented_number'] as const;

/**
 * `_clean(x)`: a staged value as the checks read it, trimmed, and NULL when empty. trim() only
 * when there is a space to trim: it is costly on every value of 10M rows. (A macro is written
 * into each query that uses it: no cost of its own.)
 */
const CLEAN_MACRO = `CREATE OR REPLACE TEMP MACRO _clean(x) AS
  CASE WHEN starts_with(x, ' ') OR ends_with(x, ' ') THEN nullif(trim(x), '') ELSE nullif(x, '') END`;

async function runKind(conn: DuckDBConnection, plan: FilePlan, ctx: LoadContext): Promise<void> {
  switch (plan.kind) {
    case 'calls':
      await conn.run(sql('calls-triples.sql'));
      await routeCountries(conn, '_tri0', ctx.routes);
      await conn.run(`SET VARIABLE _home = ${sqlString(ctx.home ?? '')}`);
      await conn.run(sql('calls-context.sql'));
      await resolvePresented(conn, ctx.normalise, sql('calls-presented-keys.sql'), '_pn');
      await conn.run(sql('calls-presented.sql'));
      await resolveDialled(
        conn,
        ctx.normalise,
        sql('calls-dialed-keys.sql'),
        '_dn',
        sql('calls-repeats.sql'),
      );
      break;
    case 'accounts':
      await normaliseInto(conn, ctx.normalise, sql('accounts-phone-keys.sql'), '_pn');
      break;
    case 'brands':
      await normaliseInto(conn, ctx.normalise, sql('brands-keys.sql'), '_pn');
      break;
    case 'payments':
    case 'rates':
      await conn.run(currenciesSql());
      break;
    default:
      break;
  }
  await conn.run(plan.kind === 'calls' ? callsCheckSql(plan, ctx) : sql(`${plan.kind}-check.sql`));
}

/** Writes the quarantine rows of this file (refused by the reader, or by the checks). */
async function quarantine(
  conn: DuckDBConnection,
  plan: FilePlan,
  staged: Staged,
  fileId: number,
  left: StagedRows | null,
): Promise<number> {
  const from = left ?? { table: '_stg', rowid: 'rowid' };
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
       FROM _bad q JOIN ${from.table} s ON ${ordOf(staged, 's', from.rowid)} = q._ord
       ${plan.kind === 'captures' ? 'JOIN _chk c ON c._ord = q._ord' : ''}
      ORDER BY q._ord`,
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
      .map((c) => csvField(`c.${c}`))
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

/** Drops the named scratch tables and views of the session, whichever each is, if it exists. */
export async function dropScratch(conn: DuckDBConnection, names: readonly string[]): Promise<void> {
  const list = names.map(sqlString).join(', ');
  const found = await queryRows<{ name: string; kind: string }>(
    conn,
    `SELECT table_name AS name, 'TABLE' AS kind FROM duckdb_tables() WHERE temporary AND table_name IN (${list})
     UNION ALL
     SELECT view_name, 'VIEW' FROM duckdb_views() WHERE temporary AND view_name IN (${list})`,
  );
  // In the order given: a view goes before the tables it reads.
  for (const name of names) {
    const f = found.find((x) => x.name === name);
    if (f) await conn.run(`DROP ${f.kind} ${sqlIdent(name)}`);
  }
}
