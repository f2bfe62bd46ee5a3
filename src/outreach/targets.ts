/**
 * The victims a campaign's filter selects, read from the analysis (DuckDB), each with what its
 * text names: the brand impersonated and the date of the call (the first long call, else the
 * first call) as a date in the victim's own time zone, and the zones that decide when it may go.
 * A victim whose number has no known zone, or no brand to name, cannot be texted safely and is
 * left out (counted); so is a victim whose number needs review (docs/numbers.md), unless the
 * filter includes them explicitly.
 *
 * All the victims the filter selects, in the order a pilot takes them (harmed before likely,
 * then by number): the filter's `limit` is applied by createCampaign (campaigns.ts), after the
 * numbers that cannot be texted are left out, so that `--limit N` gives the next N victims a
 * campaign can text. The zones are looked up in bulk (window.ts, zoneLookup): a whole country's
 * victims in seconds.
 */
import { caseIsSynthetic } from '../case/provenance.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { inList } from '../readout/export.ts';
import { sqlString } from '../shared/sql.ts';
import type { VictimsFilter } from './schemas.ts';
import { localDate, zoneLookup } from './window.ts';

export interface Target {
  number: string;
  country: string;
  brand: string;
  /** YYYY-MM-DD in the victim's zone. */
  callDate: string;
  zones: string;
}

export interface Selection {
  /** The case holds synthetic data (never to be sent through a live gateway). */
  synthetic: boolean;
  targets: Target[];
  left_out: { no_time_zone: number; no_brand: number; needs_review: number };
}

export async function selectTargets(conn: DuckDBConnection, f: VictimsFilter): Promise<Selection> {
  const where = [
    f.countries.length ? inList('country', f.countries) : 'true',
    f.tiers.length ? inList('tier', f.tiers) : 'true',
    f.brands.length
      ? `list_has_any(string_split(brands, ';'), [${f.brands.map(sqlString).join(', ')}])`
      : 'true',
    f.from ? `first_call_at >= DATE ${sqlString(f.from)}` : 'true',
    f.to ? `first_call_at < DATE ${sqlString(f.to)} + INTERVAL 1 DAY` : 'true',
  ];
  // An analysis made before numbers could need review cannot say which are guesses: no
  // campaign is drafted from it (docs/outreach.md).
  if (!(await hasNeedsReview(conn))) {
    throw new UnspoofError(
      'NOT_ANALYSED',
      'the analysis predates number review (docs/numbers.md): run unspoof analyze --case … again',
    );
  }
  const review = 'needs_review';
  const needsReview = f.includeReview
    ? 0
    : Number(
        (
          await queryRows<{ n: bigint }>(
            conn,
            `SELECT count(*) AS n FROM victims WHERE ${where.join(' AND ')} AND ${review}`,
          )
        )[0]?.n ?? 0,
      );
  if (!f.includeReview) where.push(`NOT ${review}`);
  // Read as columns, the call's time as a number (milliseconds, to the second as the text was):
  // a row object each costs more than the rest of the selection.
  const columns = (
    await conn.runAndReadAll(
      `SELECT number, country::VARCHAR AS country,
              coalesce(first_long_call_brand, nullif(split_part(brands, ';', 1), '')) AS brand,
              epoch_ms(date_trunc('second', coalesce(first_long_call_at, first_call_at)))::DOUBLE AS call_at
         FROM victims WHERE ${where.join(' AND ')}
        ORDER BY CASE tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END, number`,
    )
  ).getColumnsJS();
  // No columns at all when no victim is selected.
  const [numbers = [], countries = [], brands = [], callAt = []] = columns as [
    string[]?,
    string[]?,
    Array<string | null>?,
    number[]?,
  ];
  const synthetic = await caseIsSynthetic(conn);
  const zonesOf = await zoneLookup();
  const targets: Target[] = [];
  const left_out = { no_time_zone: 0, no_brand: 0, needs_review: needsReview };
  for (let i = 0; i < numbers.length; i++) {
    const number = numbers[i] as string;
    const brand = brands[i];
    if (!brand) {
      left_out.no_brand++;
      continue;
    }
    const zones = zonesOf(number);
    if (!zones) {
      left_out.no_time_zone++;
      continue;
    }
    const comma = zones.indexOf(',');
    targets.push({
      number,
      country: countries[i] as string,
      brand,
      zones,
      callDate: localDate(new Date(callAt[i] as number), comma < 0 ? zones : zones.slice(0, comma)),
    });
  }
  return { synthetic, targets, left_out };
}

async function hasNeedsReview(conn: DuckDBConnection): Promise<boolean> {
  const rows = await queryRows(
    conn,
    `SELECT 1 FROM duckdb_columns() WHERE table_name = 'victims' AND column_name = 'needs_review'`,
  );
  return rows.length > 0;
}
