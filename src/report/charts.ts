/**
 * Charts for the report, drawn to static SVG on the server with Vega-Lite and Vega: the report
 * needs no script and no network to show them.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PlainRow } from '../case/store.ts';

export type Rows = PlainRow[];

const CONFIG = {
  font: 'system-ui, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
};

export const TIER_COLOURS = {
  domain: ['harmed', 'likely', 'contacted', 'attempted'],
  range: ['#a50f15', '#de2d26', '#fb6a4a', '#fcbba1'],
};

export async function svgOf(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ config: CONFIG, ...spec } as TopLevelSpec).spec;
  return renderVega(compiled);
}

export async function renderVega(spec: vega.Spec): Promise<string> {
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function callsPerDay(rows: Rows): TopLevelSpec {
  return {
    width: 760,
    height: 180,
    data: { values: rows },
    mark: { type: 'area', line: true, color: '#3182bd', opacity: 0.6 },
    encoding: {
      x: { field: 'day', type: 'temporal', title: null },
      y: { field: 'calls', type: 'quantitative', title: 'calls per day' },
    },
  };
}

export function horizontalBars(
  rows: Rows,
  label: string,
  value: string,
  title: string,
): TopLevelSpec {
  return {
    width: 340,
    height: { step: 16 },
    data: { values: rows },
    mark: { type: 'bar', color: '#3182bd' },
    encoding: {
      y: { field: label, type: 'nominal', sort: '-x', title: null },
      x: { field: value, type: 'quantitative', title },
    },
  };
}

export function revenuePerMonth(rows: Rows): TopLevelSpec {
  return {
    width: 760,
    height: 180,
    data: { values: rows },
    mark: { type: 'bar', color: '#31a354' },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: null },
      y: {
        field: 'revenue_gbp',
        type: 'quantitative',
        title: 'revenue (GBP)',
        axis: { labelExpr: "'£' + format(datum.value, ',.0f')" },
      },
    },
  };
}

/** Accounts per crew, largest first: a bar per crew (rows: `crew`, `accounts`). */
export function crewSizes(rows: Rows): TopLevelSpec {
  return {
    width: 600,
    height: Math.max(120, 16 * rows.length),
    data: { values: rows },
    mark: { type: 'bar', color: '#756bb1' },
    encoding: {
      y: { field: 'crew', type: 'nominal', sort: '-x', title: null },
      x: { field: 'accounts', type: 'quantitative', title: 'accounts', axis: { tickMinStep: 1 } },
    },
  };
}

export function victimsByTierAndCountry(rows: Rows): TopLevelSpec {
  return {
    width: 760,
    height: 200,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'country', type: 'nominal', sort: '-y', title: null },
      y: { field: 'victims', type: 'quantitative', title: 'victims' },
      color: { field: 'tier', type: 'nominal', scale: TIER_COLOURS, title: 'tier' },
      order: { field: 'tier_order', type: 'quantitative' },
    },
  };
}

/** One stacked bar per suspect: the points each score component gives. */
export function scoreBreakdown(rows: Rows): TopLevelSpec {
  return {
    width: 600,
    height: { step: 16 },
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: {
        field: 'account_id',
        type: 'nominal',
        sort: { field: 'score', order: 'descending' },
        title: null,
      },
      x: { field: 'points', type: 'quantitative', title: 'score points' },
      color: {
        field: 'component',
        type: 'nominal',
        title: 'component',
        scale: { scheme: 'tableau10' },
      },
    },
  };
}
