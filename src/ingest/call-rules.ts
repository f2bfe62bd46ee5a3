/**
 * The rules of docs/switch-records.md that a calls file's checks apply, as SQL: whether a call
 * connected and whether its record contradicts itself (§2), the number read from the dialled
 * field (§7), the local times its zone skips or repeats (§6); and what `ingest` counts of them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { readSql, sqlString } from '../shared/sql.ts';
import type { LocalTransition } from './clocks.ts';
import type { Normaliser } from '../numbers/many.ts';
import type { FilePlan } from './plan.ts';

export type { LocalTransition };

const sql = (name: string) => readSql(import.meta.url, `sql/${name}`);

/**
 * A calls file: rows = calls + legs + quarantined (duplicates among them). The rest count
 * loaded calls (deciding legs) by what docs/switch-records.md derived or kept of them.
 */
export interface CallCounts {
  calls: number;
  /** Legs beyond each call's deciding one (`call_legs`). */
  legs: number;
  /** Rows identical to one before them (`duplicate_row`, in the quarantine). */
  duplicates: number;
  no_account: number;
  calls_only_accounts: number;
  alphanumeric_caller_ids: number;
  other_caller_ids: number;
  disposition_conflicts: number;
  outside_line: number;
  dial_string: number;
  nonexistent_times: number;
  ambiguous_times: number;
}

export async function callCounts(conn: DuckDBConnection, fileId: number): Promise<CallCounts> {
  const [c] = await queryRows<Record<keyof CallCounts, bigint>>(conn, sql('calls-counts.sql'), {
    file_id: fileId,
  });
  const out = {} as CallCounts;
  for (const [k, v] of Object.entries(c ?? {})) out[k as keyof CallCounts] = Number(v ?? 0);
  return out;
}

/** A timestamp's text parsed as the file writes it (local or with its offset). */
export function parsedSql(plan: FilePlan): string {
  return plan.timestampFormat
    ? `try_strptime(x, '${plan.timestampFormat.replaceAll("'", "''")}')`
    : plan.localTime
      ? 'TRY_CAST(x AS TIMESTAMP)'
      : 'TRY_CAST(x AS TIMESTAMPTZ)';
}

/**
 * The macros a calls file's checks use (docs/switch-records.md): `_connected` and `_conflict`
 * (§2: a FreeSWITCH hangup cause says why a call ended, not whether it connected), `_dial_pick`
 * (§7: the number read from the dialled field, an outside-line prefix or the dial string, and
 * which), and `_tflag` with `_lts` (§6: the local times the zone skips or repeats).
 */
export async function callMacros(conn: DuckDBConnection, plan: FilePlan, ctx: LoadContext) {
  const outcome = plan.format !== 'freeswitch';
  const notConnected = `upper(d) IN (${NOT_CONNECTED.map(sqlString).join(', ')})`;
  // Where the layout names the callee's channel (Asterisk dstchannel), an answer without one
  // was the switch's own: a Congestion, Hangup or IVR leg is ANSWERED once the caller's channel
  // is up, though no callee ever answered.
  const peer = plan.source.peer_channel ? ' AND peer IS NOT NULL' : '';
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _connected(d, answered, billsec, peer) AS ${
      outcome
        ? `CASE WHEN ${notConnected} THEN false WHEN upper(d) = 'ANSWERED' THEN true${peer}
                ELSE answered IS NOT NULL${peer} END`
        : 'answered IS NOT NULL'
    }`,
  );
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _conflict(d, answered, billsec) AS ${
      outcome
        ? `coalesce((${notConnected} AND (answered IS NOT NULL OR billsec > 0))
             OR (upper(d) = 'ANSWERED' AND answered IS NULL), false)`
        : 'false'
    }`,
  );
  // Digits of a dialled value shaped as a number (digits and separators, after a `+` or not),
  // else NULL; `_plus`: whether it is written with `+`; `_usable`: a number of 7 digits or more
  // as written (one regular expression: it is asked of every call that has a dial string).
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _dgts(v) AS
       CASE WHEN translate(v, '0123456789 ().-+', '') = '' THEN translate(v, ' ().-+', '') END`,
  );
  await conn.run(`CREATE OR REPLACE TEMP MACRO _plus(v) AS starts_with(ltrim(v), '+')`);
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _usable(v) AS
       coalesce(regexp_full_match(v, '[+]?(?:[ ().-]*[0-9]){7,}[ ().-]*'), false)`,
  );
  // The first target of a dial string's number: 7 digits or more after a `/`.
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _ds_number(ds) AS nullif(regexp_extract(
       split_part(split_part(ds, ',', 1), '&', 1), '/([+]?[0-9]{7,})(?:[@/]|$)', 1), '')`,
  );
  // An outside-line prefix is the switch's users' habit: not applied to a service's own
  // canonical calls file.
  const p =
    plan.format === 'csv' || plan.format === 'jsonl' || plan.format === 'parquet'
      ? ''
      : (ctx.outsideLine ?? '');
  const stripped = p
    ? `CASE WHEN starts_with(v, ${sqlString(p)}) AND _usable(v)
           AND length(_dgts(v)) > ${p.length + 6}
         THEN _dgts(v)[${p.length + 1}:] END`
    : 'NULL::VARCHAR';
  // §7: the outside-line reading; else the dial string's number when the dialled field has no
  // usable number (not a number of 7 digits or more) or is that number behind a prefix of one
  // or two digits. The dial string is only parsed where it does not hold a usable value as is.
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _dial_pick(v, ds) AS CASE
       WHEN ${stripped} IS NOT NULL THEN {'v': ${stripped}, 'src': 'outside_line'}
       WHEN ds IS NULL OR (contains(ds, v) AND _usable(v)) OR _ds_number(ds) IS NULL THEN NULL
       WHEN v IS NULL OR NOT _usable(v)
         OR (NOT _plus(v) AND ends_with(_dgts(v), ltrim(_ds_number(ds), '+'))
             AND length(_dgts(v)) - length(ltrim(_ds_number(ds), '+')) IN (1, 2))
         THEN {'v': _ds_number(ds), 'src': 'dial_string'}
     END`,
  );
  // `_tflag(t)`: whether a local time is one the zone skips or repeats (§6). Only a call on
  // the day of a change looks among the changes: no join of every call to them.
  const ts = ctx.transitions ?? [];
  const days = new Set(ts.flatMap((t) => [t.start.slice(0, 10), previousSecond(t.end)]));
  const flag = ts.length
    ? `CASE WHEN CAST(t AS DATE) IN (${[...days].map((d) => `DATE '${d}'`).join(', ')}) THEN CASE ${ts
        .map(
          (t) =>
            `WHEN t >= TIMESTAMP '${t.start}' AND t < TIMESTAMP '${t.end}' THEN ${sqlString(t.kind)}`,
        )
        .join(' ')} END END`
    : 'NULL::VARCHAR';
  await conn.run(`CREATE OR REPLACE TEMP MACRO _tflag(t) AS ${flag}`);
  await conn.run(
    `CREATE OR REPLACE TEMP MACRO _lts(x) AS ${plan.localTime ? parsedSql(plan) : 'NULL::TIMESTAMP'}`,
  );
}

/** Dispositions that say a call did not connect (docs/switch-records.md §2). */
const NOT_CONNECTED = [
  'NO ANSWER',
  'NOANSWER',
  'BUSY',
  'FAILED',
  'CONGESTION',
  'CANCEL',
  'CHANUNAVAIL',
];

/**
 * calls-check.sql, with each call's local start time looked up among the times its zone skips
 * or repeats (docs/switch-records.md §6) when the file is in local time and its zone has any.
 */
export function callsCheckSql(plan: FilePlan, ctx: LoadContext): string {
  const text = sql('calls-check.sql');
  if (!plan.localTime || (ctx.transitions ?? []).length === 0) return text;
  return text.replace(
    '/* dst-flag */ NULL::VARCHAR AS start_time_flag',
    '_tflag(_lts(c.started_at)) AS start_time_flag',
  );
}

/** The day of the last second before a local time `YYYY-MM-DD HH:MM:SS`. */
function previousSecond(local: string): string {
  const t = new Date(`${local.replace(' ', 'T')}Z`);
  return new Date(t.getTime() - 1000).toISOString().slice(0, 10);
}

/** What loading one file needs to know besides its rows (load.ts). */
export interface LoadContext {
  fileId: number;
  timezone: string | null;
  normalise: Normaliser;
  brandSource?: string;
  /**
   * Route → country and the rule that named it (docs/switch-records.md §5): the mapping's
   * `routes`, then export.json's; wins over the route's own name.
   */
  routes?: Record<string, NamedRoute>;
  /** The seized server's home country: the route country where no rule names one (§5). */
  home?: string | undefined;
  /** The outside-line prefix dialled before numbers (§7). */
  outsideLine?: string | undefined;
  /** The local times the file's zone skips or repeats (§6), for local-time files. */
  transitions?: readonly LocalTransition[];
}

export interface NamedRoute {
  cc: string;
  rule: 'mapping' | 'export';
}
