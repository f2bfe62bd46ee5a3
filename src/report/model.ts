/**
 * The case report as one model, drawn once and written three ways: the self-contained HTML file
 * (html.ts), the PDF (pdf.ts) and the console's report page (fragment.ts). Every value is
 * formatted here, so the three say the same thing in the same words.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { COMPONENTS } from '../analyze/score.ts';
import {
  callsPerDay,
  crewSizes,
  horizontalBars,
  revenuePerMonth,
  scoreBreakdown,
  svgOf,
  victimsByTierAndCountry,
} from './charts.ts';
import { crewSvg } from './crew-graph.ts';
import { crewRows, reportData, type CrewRow } from './data.ts';
import { count, gbp } from './format.ts';
import { findingsOf, summaryText } from './summary.ts';
import type { CaseTitle } from './title.ts';

export const SCORE_FORMULA =
  'Score = Σ weight × log10(1 + component), over: paid (GBP), calls, likely victims, harmed victims, captures, brands impersonated, peak calls per minute, linked accounts, reported losses (GBP). Weights are the case settings (docs/analysis.md).';

export interface Figure {
  id: string;
  title: string;
  svg: string;
  /** What the chart shows, in words: for readers who cannot see it, and under it in the PDF. */
  note?: string;
}

export type CellKind = 'text' | 'number' | 'gbp';

export interface Column {
  key: string;
  label: string;
  kind: CellKind;
}

/** The suspect table's columns: short enough to fit an A4 page; the points are in the chart. */
export const SUSPECT_COLUMNS: readonly Column[] = [
  { key: 'account_id', label: 'Account', kind: 'text' },
  { key: 'score', label: 'Score', kind: 'number' },
  { key: 'priority', label: 'Priority', kind: 'text' },
  { key: 'country', label: 'Where (evidence)', kind: 'text' },
  { key: 'crew_id', label: 'Crew', kind: 'text' },
  { key: 'paid_gbp', label: 'Paid (GBP)', kind: 'gbp' },
  { key: 'calls', label: 'Calls', kind: 'number' },
  { key: 'likely_victims', label: 'Likely victims', kind: 'number' },
  { key: 'harmed_victims', label: 'Harmed victims', kind: 'number' },
  { key: 'captures', label: 'Captures', kind: 'number' },
  { key: 'linked_accounts', label: 'Linked accounts', kind: 'number' },
  { key: 'reported_loss_gbp', label: 'Reported loss (GBP)', kind: 'gbp' },
];

export const CREW_COLUMNS: readonly Column[] = [
  { key: 'id', label: 'Crew', kind: 'text' },
  { key: 'accounts', label: 'Accounts', kind: 'number' },
  { key: 'prioritySuspects', label: 'Priority suspects', kind: 'number' },
  { key: 'calls', label: 'Calls', kind: 'number' },
  { key: 'paidGbp', label: 'Paid (GBP)', kind: 'gbp' },
  { key: 'members', label: 'Accounts, highest score first', kind: 'text' },
];

export type Cells = Record<string, string>;

export interface CaseReport {
  title: CaseTitle;
  /** `YYYY-MM-DD HH:MM UTC` */
  generated: string;
  synthetic: boolean;
  summary: string;
  headline: Array<[string, string]>;
  figures: Figure[];
  scoreFormula: string;
  scoreChart: Figure;
  suspects: Cells[];
  crews: Cells[];
  crewGraphs: Array<{ id: string; accounts: number; svg: string; members: string[] }>;
}

export function cell(kind: CellKind, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (kind === 'gbp') return gbp(Number(v));
  if (kind === 'number') return count(Number(v));
  return String(v);
}

/** A crew's row: its members named up to MEMBERS_SHOWN, then how many more. */
export function crewCells(c: CrewRow): Cells {
  const more = c.accounts - c.members.length;
  return {
    id: c.id,
    accounts: count(c.accounts),
    prioritySuspects: count(c.prioritySuspects),
    calls: count(c.calls),
    paidGbp: gbp(c.paidGbp),
    members: c.members.join(', ') + (more > 0 ? ` and ${count(more)} more` : ''),
  };
}

export interface ModelOptions {
  title: CaseTitle;
  now: Date;
  /** Crews drawn as graphs, largest first (every crew is in the crews table). */
  graphs?: number;
}

export async function caseReport(conn: DuckDBConnection, o: ModelOptions): Promise<CaseReport> {
  const d = await reportData(conn, 20, o.graphs ?? 3);
  const crews = await crewRows(conn);
  const h = d.headline;
  const s = d.stats;
  const f = findingsOf(h);
  const num = (v: unknown) => count(Number(v ?? 0));
  const breakdown = d.suspects.flatMap((r) =>
    COMPONENTS.map((c) => ({
      account_id: r.account_id as string,
      score: r.score as number,
      component: c.replaceAll('_', ' '),
      points: r[`points_${c}`] as number,
    })),
  );
  const figures: Figure[] = [
    {
      id: 'calls-per-day',
      title: 'Calls per day',
      svg: await svgOf(callsPerDay(s.days ?? [])),
      note: `${num(h.calls)} calls from ${String(h.first_call ?? '')} to ${String(h.last_call ?? '')}.`,
    },
    {
      id: 'victims-by-tier',
      title: 'Victims by tier and destination country',
      svg: await svgOf(victimsByTierAndCountry(d.tiersByCountry)),
      note: `Harmed ${num(h.harmed)}, likely ${num(h.likely)}, contacted ${num(h.contacted)}, attempted ${num(h.attempted)}.`,
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
      title: 'Revenue of the service per month (GBP)',
      svg: await svgOf(revenuePerMonth(s.months ?? [])),
      note: `${gbp(f.revenueGbp)} in all.`,
    },
  ];
  if (crews.length > 0)
    figures.push({
      id: 'crew-sizes',
      title: 'Accounts per crew (the 30 largest)',
      svg: await svgOf(
        crewSizes(crews.slice(0, 30).map((c) => ({ crew: c.id, accounts: c.accounts }))),
      ),
      note: `${num(crews.length)} crews, ${num(f.crewAccounts)} accounts in all.`,
    });
  return {
    title: o.title,
    generated: o.now.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    synthetic: d.synthetic,
    summary: summaryText(f),
    headline: [
      ['Calls', num(h.calls)],
      ['Answered calls', num(h.answered_calls)],
      ['Service accounts', num(h.accounts)],
      ['Victims (every tier)', num(h.victims)],
      ['Harmed: a code was captured', num(h.harmed)],
      ['Likely victims', num(h.likely)],
      ['Likely or harmed in GB', num(h.likely_or_harmed_gb)],
      ['Victims whose number needs review', num(h.needs_review)],
      ['Calls to victims', num(h.victim_calls)],
      ['Calls to unresolved numbers', num(h.unresolved_calls)],
      ['Unresolved numbers', num(h.unresolved_numbers)],
      ['Calls excluded (own phones, banks, service codes)', num(h.excluded_calls)],
      ['Suspects scored', num(h.suspects)],
      ['Priority suspects', num(h.priority_suspects)],
      ['Crews', num(h.crews)],
      ['Service revenue (GBP)', gbp(f.revenueGbp)],
      ['Losses reported by victims (GBP)', gbp(f.lossGbp)],
      ['First call', String(h.first_call ?? '')],
      ['Last call', String(h.last_call ?? '')],
      ['Rows quarantined at ingest', num(h.quarantined)],
    ],
    figures,
    scoreFormula: SCORE_FORMULA,
    scoreChart: {
      id: 'score-breakdown',
      title: 'Score of the top suspects, component by component',
      svg: await svgOf(scoreBreakdown(breakdown)),
    },
    suspects: d.suspects.map((r) =>
      Object.fromEntries(SUSPECT_COLUMNS.map((c) => [c.key, cell(c.kind, r[c.key])])),
    ),
    crews: crews.map(crewCells),
    crewGraphs: await Promise.all(
      d.crews.map(async (c) => ({
        id: c.id,
        accounts: c.size,
        svg: await crewSvg(c.graph),
        members: c.graph.nodes(),
      })),
    ),
  };
}
