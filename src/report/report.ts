/** Builds the report of an analysed case: its data, its charts, its page. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { COMPONENTS } from '../analyze/score.ts';
import type { Effects } from '../shared/effects.ts';
import {
  callsPerDay,
  horizontalBars,
  revenuePerMonth,
  scoreBreakdown,
  svgOf,
  victimsByTierAndCountry,
} from './charts.ts';
import { crewSvg } from './crew-graph.ts';
import { reportData } from './data.ts';
import { renderPage } from './html.ts';

export const SCORE_FORMULA =
  'Score = Σ weight × log10(1 + component), over: paid (GBP), calls, likely victims, harmed victims, captures, brands impersonated, peak calls per minute, linked accounts. Weights are the case settings (docs/analysis.md).';

export async function buildReport(
  conn: DuckDBConnection,
  title: string,
  fx: Effects,
): Promise<string> {
  const d = await reportData(conn);
  const h = d.headline;
  const s = d.stats;
  const breakdown = d.suspects.flatMap((r) =>
    COMPONENTS.map((c) => ({
      account_id: r.account_id as string,
      score: r.score as number,
      component: c.replaceAll('_', ' '),
      points: r[`points_${c}`] as number,
    })),
  );
  return renderPage({
    title,
    generated: fx.now().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    synthetic: d.synthetic,
    headline: [
      ['calls', h.calls ?? 0],
      ['answered calls', h.answered_calls ?? 0],
      ['service accounts', h.accounts ?? 0],
      ['victims (every tier)', h.victims ?? 0],
      ['victims whose number needs review', h.needs_review ?? 0],
      ['calls to victims', h.victim_calls ?? 0],
      ['calls to unresolved numbers', h.unresolved_calls ?? 0],
      ['unresolved numbers', h.unresolved_numbers ?? 0],
      ['calls excluded (own phones, banks, service codes)', h.excluded_calls ?? 0],
      ['harmed: a code was captured', h.harmed ?? 0],
      ['likely victims', h.likely ?? 0],
      ['likely or harmed in GB', h.likely_or_harmed_gb ?? 0],
      ['priority suspects', h.priority_suspects ?? 0],
      ['crews', h.crews ?? 0],
      ['service revenue (GBP)', h.revenue_gbp ?? 0],
      ['first call', h.first_call ?? ''],
      ['last call', h.last_call ?? ''],
      ['rows quarantined at ingest', h.quarantined ?? 0],
    ],
    figures: [
      { id: 'calls-per-day', title: 'Calls per day', svg: await svgOf(callsPerDay(s.days ?? [])) },
      {
        id: 'victims-by-tier',
        title: 'Victims by tier and destination country',
        svg: await svgOf(victimsByTierAndCountry(d.tiersByCountry)),
      },
      {
        id: 'destination-countries',
        title: 'Calls by destination country',
        svg: await svgOf(horizontalBars(s.calls_by_country ?? [], 'country', 'calls', 'calls')),
      },
      {
        id: 'brands',
        title: 'Brands impersonated (calls presenting their number)',
        svg: await svgOf(horizontalBars((s.brands ?? []).slice(0, 20), 'brand', 'calls', 'calls')),
      },
      {
        id: 'revenue-per-month',
        title: 'Revenue of the service per month',
        svg: await svgOf(revenuePerMonth(s.months ?? [])),
      },
    ],
    suspects: d.suspects,
    suspectsChart: await svgOf(scoreBreakdown(breakdown)),
    crews: await Promise.all(
      d.crews.map(async (c) => ({
        id: c.id,
        size: c.size,
        svg: await crewSvg(c.graph),
        members: c.graph.nodes(),
      })),
    ),
    scoreFormula: SCORE_FORMULA,
  });
}
