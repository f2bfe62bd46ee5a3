/**
 * The timeline: calls, payments, logins and captures over time, for the whole case (a partner:
 * its country's suspects), one suspect or one victim. Counted in bins of the case's time zone
 * (local wall-clock time), as many bins as fit the range asked for (`?from=&to=`, local dates or
 * times), drawn on the server with Vega-Lite as one row per kind, each row named (so no colour
 * is needed to tell them apart), with a table of the same counts. Each bar links to its own
 * range: clicking zooms in; the page's links zoom out and move earlier or later.
 */
import { z } from 'zod';
import type { TopLevelSpec } from 'vega-lite';
import { readNamedSql } from '../shared/sql.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { Analysis } from '../readout/analysis.ts';
import { victimCallsOf } from '../readout/victim-calls.ts';

export const KINDS = ['calls', 'payments', 'logins', 'captures'] as const;
export type Kind = (typeof KINDS)[number];

/** Whose events: the case (a partner's: its country's suspects), a suspect, or a victim. */
export type Subject =
  | { kind: 'case'; scope: string | null }
  | { kind: 'suspect'; accountId: string }
  | { kind: 'victim'; number: string };

/** A local date or date and time, as typed in a form or a link: `2021-06-01`, `2021-06-01T13:30`. */
export const LocalTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s.length === 10 ? `${s}T00:00` : s}Z`)));

export const RangeQuery = z.object({
  from: LocalTime.optional().catch(undefined),
  to: LocalTime.optional().catch(undefined),
});

/** Bin sizes, smallest first; the range is cut into the smallest that makes at most MAX_BINS. */
const BINS = [
  { name: '1 minute', seconds: 60, sql: "INTERVAL '1 minute'" },
  { name: '5 minutes', seconds: 300, sql: "INTERVAL '5 minutes'" },
  { name: '15 minutes', seconds: 900, sql: "INTERVAL '15 minutes'" },
  { name: '1 hour', seconds: 3600, sql: "INTERVAL '1 hour'" },
  { name: '6 hours', seconds: 21600, sql: "INTERVAL '6 hours'" },
  { name: '1 day', seconds: 86400, sql: "INTERVAL '1 day'" },
  { name: '1 week', seconds: 604800, sql: "INTERVAL '7 days'" },
  { name: '1 month', seconds: 2629746, sql: "INTERVAL '1 month'" },
] as const;
const MAX_BINS = 240;
/** The narrowest range a zoom goes to. */
const MIN_SPAN_MS = 60 * 60_000;

export interface Timeline {
  timeZone: string;
  /** The range shown: local wall-clock times (ISO, no offset). */
  from: string;
  to: string;
  /** The whole extent of the subject's events (local), or null when it has none. */
  extent: { from: string; to: string } | null;
  bin: string;
  rows: Array<{ kind: Kind; start: string; end: string; n: number }>;
  totals: Record<Kind, number>;
}

const sql = () => readNamedSql(import.meta.url, 'sql/timeline.sql');

/** `2021-06-01` → `2021-06-01T00:00:00`; a time gets its seconds. */
const full = (s: string) => (s.length === 10 ? `${s}T00:00:00` : s.length === 16 ? `${s}:00` : s);
/** Local wall-clock time as a number, computed as if UTC (only differences and order matter). */
const ms = (local: string) => Date.parse(`${full(local)}Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 19);

/** The events of `subject` as `ev (kind, t)`, each kind's rows filtered to the subject. */
async function events(a: Analysis, subject: Subject): Promise<string> {
  const p = sql();
  if (subject.kind === 'victim')
    return `${(await victimCallsOf(a, [subject.number])).trimEnd()},\nev AS (${p.victim_events})\n`;
  const scoped = subject.kind === 'suspect' ? p.suspect_filter : p.scope_filter;
  return `WITH ev AS (${(p.events as string).replaceAll('/*who*/', scoped as string)})\n`;
}

/** The timeline of `subject` over `[from, to)` (local), the whole extent when not given. */
export async function timeline(
  a: Analysis,
  subject: Subject,
  timeZone: string,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<Timeline> {
  // Only the parameters the statement names: the subject's, and the zone.
  const params: Record<string, string | null> =
    subject.kind === 'case'
      ? { tz: timeZone, scope: subject.scope }
      : subject.kind === 'suspect'
        ? { tz: timeZone, account: subject.accountId }
        : { tz: timeZone };
  const head = await events(a, subject);
  const [ext] = await a.rows(`${head}${sql().extent}`, params);
  const extent =
    ext?.first && ext.last
      ? { from: String(ext.first).slice(0, 19), to: String(ext.last).slice(0, 19) }
      : null;
  // The whole extent by default, from the start of its first day to the end of its last.
  let from = range.from
    ? ms(range.from)
    : extent
      ? Date.parse(`${extent.from.slice(0, 10)}T00:00:00Z`)
      : 0;
  // A date alone as the end is that whole day, as the victims list's filter reads it.
  let to = range.to
    ? ms(range.to) + (range.to.length === 10 ? 86_400_000 : 0)
    : extent
      ? Date.parse(`${extent.to.slice(0, 10)}T00:00:00Z`) + 86_400_000
      : from + 86_400_000;
  if (!(to > from))
    throw new UnspoofError('REQUEST_INVALID', 'the end of the range must be after its start');
  if (to - from < MIN_SPAN_MS) to = from + MIN_SPAN_MS;
  const bin = (BINS.find((b) => (to - from) / 1000 / b.seconds <= MAX_BINS) ??
    BINS[BINS.length - 1]) as (typeof BINS)[number];
  // Bins start at the range's start, rounded down to a whole bin (months: the first of one).
  if (bin.name === '1 month') from = Date.parse(`${iso(from).slice(0, 7)}-01T00:00:00Z`);
  else if (bin.name === '1 week')
    from -= ((new Date(from).getUTCDay() + 6) % 7) * 86_400_000 + (from % 86_400_000);
  else from -= from % (bin.seconds * 1000);
  const rows = await a.rows(`${head}${(sql().bins as string).replaceAll('/*bin*/', bin.sql)}`, {
    ...params,
    from: iso(from),
    to: iso(to),
  });
  const totals = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const out = rows.map((r) => {
    const kind = String(r.kind) as Kind;
    totals[kind] += Number(r.n);
    return {
      kind,
      start: String(r.bin_start).slice(0, 19),
      end: String(r.bin_end).slice(0, 19),
      n: Number(r.n),
    };
  });
  return { timeZone, from: iso(from), to: iso(to), extent, bin: bin.name, rows: out, totals };
}

/** The links around a range: zoomed out (three times as long), earlier, later, the whole. */
export function moves(
  t: Timeline,
): Record<'out' | 'earlier' | 'later', { from: string; to: string }> {
  const from = ms(t.from);
  const to = ms(t.to);
  const span = to - from;
  return {
    out: { from: iso(from - span), to: iso(to + span) },
    earlier: { from: iso(from - span), to: iso(from) },
    later: { from: iso(to), to: iso(to + span) },
  };
}

/**
 * The chart: one row per kind (named at its left), bars over real time axes in the case's time
 * zone, each bar a link (`href(start, end)`) that zooms into its bin.
 */
export function timelineSpec(
  t: Timeline,
  href: (from: string, to: string) => string,
): TopLevelSpec {
  // Local wall-clock times drawn on a UTC scale: the axis then reads as the case's clock,
  // whatever the server's own zone.
  const values = t.rows.map((r) => ({
    kind: r.kind,
    start: ms(r.start),
    end: ms(r.end),
    n: r.n,
    href: href(r.start, r.end),
  }));
  const domain = [ms(t.from), ms(t.to)];
  return {
    data: { values },
    facet: {
      row: {
        field: 'kind',
        type: 'nominal',
        sort: [...KINDS],
        title: null,
        header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 12, labelFontWeight: 'bold' },
      },
    },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 760,
      height: 70,
      mark: { type: 'bar', color: '#1d70b8', cursor: 'pointer' },
      encoding: {
        x: {
          field: 'start',
          type: 'temporal',
          scale: { type: 'utc', domain },
          axis: { title: `Time (${t.timeZone}), each bar ${t.bin}`, labelOverlap: true },
        },
        x2: { field: 'end' },
        y: { field: 'n', type: 'quantitative', title: 'count', axis: { tickCount: 3 } },
        // Bars stand on zero: with x and x2 both times, Vega-Lite would lay them along y.
        y2: { datum: 0 },
        href: { field: 'href', type: 'nominal' },
        tooltip: [
          { field: 'kind', type: 'nominal' },
          {
            field: 'start',
            type: 'temporal',
            scale: { type: 'utc' },
            timeUnit: 'utcyearmonthdatehoursminutes',
            title: 'from',
          },
          { field: 'n', type: 'quantitative', title: 'count' },
        ],
      },
    },
  } as TopLevelSpec;
}

/** The case's time zone: its setting, else the zone its seized server's files were in, else UTC. */
export async function caseTimeZone(a: Analysis, setting: string | undefined): Promise<string> {
  if (setting) return setting;
  const [row] = await a.rows(
    `SELECT timezone FROM files WHERE timezone IS NOT NULL GROUP BY timezone ORDER BY count(*) DESC, timezone LIMIT 1`,
  );
  return row?.timezone ? String(row.timezone) : 'UTC';
}
