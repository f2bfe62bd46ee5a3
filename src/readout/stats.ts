/** `unspoof stats`: the case's statistics as terminal tables, or all of them as JSON. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { openCase, queryRows } from '../case/store.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { requireAnalysis } from './analysed.ts';

const Options = z.object({ case: z.string().min(1), json: z.boolean().optional() });

type Row = Record<string, string | number | null>;

/** Every statistic as plain rows (numbers as numbers, dates as ISO strings). */
export async function readStats(conn: DuckDBConnection): Promise<Record<string, Row[]>> {
  const q = async (sql: string) =>
    (await queryRows(conn, sql)).map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          typeof v === 'bigint'
            ? Number(v)
            : v instanceof Date
              ? v.toISOString().slice(0, 10)
              : typeof v === 'object' && v !== null
                ? Number(String(v))
                : (v as string | number | null),
        ]),
      ),
    );
  return {
    countries: await q(`PIVOT (SELECT country, tier, victims FROM stats_countries) ON tier
        IN ('harmed', 'likely', 'contacted', 'attempted') USING sum(victims) GROUP BY country
        ORDER BY coalesce("harmed", 0) + coalesce("likely", 0) + coalesce("contacted", 0) + coalesce("attempted", 0) DESC, country`),
    calls_by_country: await q(
      `SELECT country, sum(calls) AS calls FROM stats_countries GROUP BY country ORDER BY calls DESC, country`,
    ),
    brands: await q(
      `SELECT brand, brand_country, calls, victims, likely_or_harmed, accounts FROM stats_brands ORDER BY calls DESC, brand`,
    ),
    months: await q(
      `SELECT strftime(month, '%Y-%m') AS month, calls, answered, new_victims, new_likely_or_harmed,
              CAST(revenue_gbp AS DOUBLE) AS revenue_gbp, active_accounts, paying_accounts
         FROM stats_months ORDER BY month`,
    ),
    days: await q(
      `SELECT strftime(day, '%Y-%m-%d') AS day, calls, answered, long_calls, accounts FROM stats_days ORDER BY day`,
    ),
  };
}

export async function statsCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const store = await openCase(o.case);
  let stats: Record<string, Row[]>;
  try {
    await requireAnalysis(store.conn);
    stats = await readStats(store.conn);
  } finally {
    store.close();
  }
  if (o.json) {
    fx.out(JSON.stringify(stats));
    return;
  }
  const show = (title: string, rows: Row[], cols: string[]) => {
    fx.out(`\n${title}`);
    fx.out(
      table(
        cols,
        rows.map((r) => cols.map((c) => r[c] ?? 0)),
      ),
    );
  };
  show('Victims by destination country and tier', stats.countries ?? [], [
    'country',
    'harmed',
    'likely',
    'contacted',
    'attempted',
  ]);
  show('Brands impersonated', stats.brands ?? [], [
    'brand',
    'brand_country',
    'calls',
    'victims',
    'likely_or_harmed',
    'accounts',
  ]);
  show('Per month', stats.months ?? [], [
    'month',
    'calls',
    'answered',
    'new_victims',
    'new_likely_or_harmed',
    'revenue_gbp',
    'active_accounts',
  ]);
  fx.out(`\n(calls per day: ${(stats.days ?? []).length} days; --json for all of it)`);
}
