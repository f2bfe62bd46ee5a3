/**
 * The victims a campaign's filter selects, read from the analysis (DuckDB), each with what its
 * text names: the brand impersonated and the date of the call (the first long call, else the
 * first call) as a date in the victim's own time zone, and the zones that decide when it may go.
 * A victim whose number has no known zone, or no brand to name, cannot be texted safely and is
 * left out (counted); so is a victim whose number needs review (docs/numbers.md), unless the
 * filter includes them explicitly.
 */
import { UnspoofError } from '../shared/errors.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../case/store.ts';
import { inList } from '../readout/export.ts';
import { sqlString } from '../shared/sql.ts';
import type { VictimsFilter } from './schemas.ts';
import { localDate, zonesOf } from './window.ts';

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
  const rows = await queryRows<{
    number: string;
    country: string;
    brand: string | null;
    call_at: string;
  }>(
    conn,
    `SELECT number, country,
            coalesce(first_long_call_brand, nullif(split_part(brands, ';', 1), '')) AS brand,
            strftime(coalesce(first_long_call_at, first_call_at), '%Y-%m-%dT%H:%M:%SZ') AS call_at
       FROM victims WHERE ${where.join(' AND ')}
      ORDER BY CASE tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END, number
      ${f.limit ? `LIMIT ${f.limit}` : ''}`,
  );
  const synthetic =
    (await queryRows(conn, `SELECT 1 FROM case_meta WHERE key = 'synthetic'`)).length > 0;
  const targets: Target[] = [];
  const left_out = { no_time_zone: 0, no_brand: 0, needs_review: needsReview };
  for (const r of rows) {
    if (!r.brand) {
      left_out.no_brand++;
      continue;
    }
    const zones = await zonesOf(r.number);
    if (!zones) {
      left_out.no_time_zone++;
      continue;
    }
    targets.push({
      number: r.number,
      country: r.country,
      brand: r.brand,
      zones,
      callDate: localDate(new Date(r.call_at), zones.split(',')[0] as string),
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
