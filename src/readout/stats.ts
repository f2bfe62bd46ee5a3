/** `unspoof stats`: the case's statistics as terminal tables, or all of them as JSON. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { queryPlain, type PlainRow } from '../case/store.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { withAnalysedCase } from './analysed.ts';

const Options = z.object({ case: z.string().min(1), json: z.boolean().optional() });

/** Every statistic as plain rows (numbers as numbers, dates as ISO strings). */
export async function readStats(conn: DuckDBConnection): Promise<Record<string, PlainRow[]>> {
  const q = (sql: string) => queryPlain(conn, sql);
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
  const stats = await withAnalysedCase(o.case, readStats);
  if (o.json) {
    fx.out(JSON.stringify(stats));
    return;
  }
  const show = (title: string, rows: PlainRow[], cols: string[]) => {
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
