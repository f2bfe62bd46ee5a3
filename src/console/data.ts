/**
 * What the console shows, read from the analysis store. Every function takes the caller's
 * `scope` (a partner's country, or null) and applies it in SQL: rows outside it are never read
 * into the server, let alone shown.
 */
import { z } from 'zod';
import { COMPONENTS } from '../analyze/score.ts';
import type { PlainRow } from '../case/store.ts';
import { readSql } from '../shared/sql.ts';
import type { Analysis } from '../readout/analysis.ts';
import { countedPage, requirePage, type Memo } from './paging.ts';
import { victimCalls, victimCallsOf } from '../readout/victim-calls.ts';

const sql = (name: string) => readSql(import.meta.url, `sql/${name}`);
export const PAGE_SIZE = 50;
export const TIERS = ['harmed', 'likely', 'contacted', 'attempted'] as const;

export interface VictimFilter {
  country: string | null;
  tier: string | null;
  brand: string | null;
  from: string | null;
  to: string | null;
  /** Only the victims whose number needs review (docs/numbers.md). */
  review: boolean;
}

/**
 * The accounts that called these numbers (E.164), with their crew and score: the calls that
 * count for each number, as the victims table counts them (victim-calls.ts).
 */
export async function callersOf(a: Analysis, numbers: readonly string[]): Promise<PlainRow[]> {
  if (numbers.length === 0) return [];
  return a.rows(
    `${await victimCallsOf(a, numbers)}
     SELECT '+' || CAST(c.victim_digits AS VARCHAR) AS number, c.account_id, s.crew_id, s.score,
            count(*) AS calls, coalesce(max(c.billsec) FILTER (WHERE c.connected), 0) AS longest
       FROM victim_calls c JOIN suspects s USING (account_id)
      GROUP BY ALL ORDER BY number, calls DESC, account_id`,
  );
}

export const SUSPECT_SORTS = [
  'score',
  'paid_gbp',
  'calls',
  'likely_victims',
  'harmed_victims',
  'linked_accounts',
  'last_activity',
] as const;

export interface SuspectFilter {
  country: string | null;
  priority: boolean;
  crew: string | null;
  sort: (typeof SUSPECT_SORTS)[number];
  dir: 'asc' | 'desc';
}

/**
 * A page of suspects. `crews`: whether the viewer may see crews (authz/policy.ts); without, the
 * crew ids are not read and the crew filter finds nothing, so a search cannot probe a crew.
 */
export async function listSuspects(
  a: Analysis,
  f: SuspectFilter,
  scope: string | null,
  page: number,
  crews = false,
): Promise<{ rows: PlainRow[]; total: number }> {
  const where = sql('suspects-where.sql');
  const params = { scope, country: f.country, priority: f.priority, crew: f.crew, crews };
  // The sort column comes from a fixed list, never from the request as text.
  const order = `${f.sort} ${f.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, account_id`;
  const [rows, count] = await Promise.all([
    a.rows(
      `SELECT account_id, score, priority, country, CAST(paid_gbp AS DOUBLE) AS paid_gbp, calls,
              likely_victims, harmed_victims, linked_accounts,
              CASE WHEN $crews THEN crew_id END AS crew_id, last_activity
         FROM suspects ${where} ORDER BY ${order}
        LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`,
      params,
    ),
    a.rows(`SELECT count(*) AS n FROM suspects ${where}`, params),
  ]);
  const total = Number(count[0]?.n ?? 0);
  requirePage(page, total, PAGE_SIZE);
  return { rows, total };
}

export interface SuspectPage {
  suspect: PlainRow;
  breakdown: Array<{ component: string; value: number; points: number }>;
  payments: PlainRow[];
  logins: PlainRow[];
  /** How many hours it placed a call in. */
  hoursWithCalls: number;
  /** One page of the victims it reached, and how many it reached in all. */
  victims: PlainRow[];
  victimsTotal: number;
  links: PlainRow[];
}

/**
 * A suspect's page; `victimsPage` is the page of the victims it reached (PAGE_SIZE a page).
 * `crews`: whether the viewer may see crews and links (authz/policy.ts); without, neither its
 * crew nor the accounts linked to it (of any country) are read.
 */
export async function suspect(
  a: Analysis,
  id: string,
  scope: string | null,
  victimsPage = 1,
  crews = false,
): Promise<SuspectPage | null> {
  const [s] = await a.rows(
    `SELECT s.* EXCLUDE (crew_id, paid_gbp), CASE WHEN $crews THEN s.crew_id END AS crew_id,
            CAST(s.paid_gbp AS DOUBLE) AS paid_gbp, a.username, a.created_at, a.plan
       FROM suspects s LEFT JOIN accounts a USING (account_id)
      WHERE s.account_id = $id AND ($scope IS NULL OR s.country = $scope)`,
    { id, scope, crews },
  );
  if (!s) return null;
  // The victims it reached: its calls, each counted for its victim's number (victim-calls.ts).
  const reached = `${await victimCalls(a)}${sql('suspect-victims.sql')}`;
  const [payments, logins, [hours], victims, links] = await Promise.all([
    a.rows(
      // Each with its GBP value as the analysis found it: stated, in pounds, or at the rate of
      // a day (docs/money.md), or why it has none.
      `SELECT p.paid_at, CAST(v.value_gbp AS DOUBLE) AS value_gbp, v.basis, CAST(v.rate AS DOUBLE) AS rate,
              v.rate_day, v.not_valued, CAST(p.amount AS DOUBLE) AS amount, p.currency, p.btc_address, p.plan
         FROM payments p LEFT JOIN payment_values v USING (payment_id)
        WHERE p.account_id = $id ORDER BY p.paid_at`,
      { id },
    ),
    a.rows(
      `SELECT ip, user_agent, count(*) AS logins, min("at") AS first_seen, max("at") AS last_seen
         FROM logins WHERE account_id = $id GROUP BY ALL ORDER BY logins DESC, ip LIMIT 100`,
      { id },
    ),
    a.rows(
      `SELECT count(DISTINCT date_trunc('hour', started_at)) AS hours FROM calls WHERE account_id = $id`,
      { id },
    ),
    countedPage(
      (limit, offset) => a.rows(reached, { id, scope, limit, offset }),
      victimsPage,
      PAGE_SIZE,
    ),
    crews
      ? a.rows(
          `SELECT CASE WHEN account_a = $id THEN account_b ELSE account_a END AS account_id,
                  type, value, first_seen, last_seen
             FROM links WHERE account_a = $id OR account_b = $id ORDER BY account_id, type, value`,
          { id },
        )
      : [],
  ]);
  const breakdown = COMPONENTS.map((c) => ({
    component: c.replaceAll('_', ' '),
    value: Number(s[c] ?? 0),
    points: Number(s[`points_${c}`] ?? 0),
  }));
  return {
    suspect: s,
    breakdown,
    payments,
    logins,
    hoursWithCalls: Number(hours?.hours ?? 0),
    victims: victims.rows,
    victimsTotal: victims.total,
    links,
  };
}

/**
 * A page of crews, largest first, and how many there are: a case can have thousands (1,930 at
 * iSpoof's scale). The whole ordered list is made once per analysis opened (`memo`), a few
 * numbers per crew, and each page is sliced from it; a page past the last is refused.
 */
export async function listCrews(
  a: Analysis,
  memo: Memo,
  page: number,
): Promise<{ rows: PlainRow[]; total: number }> {
  const all = await memo('crews:all', () =>
    a.rows(
      `SELECT c.crew_id, count(*) AS members, max(s.score) AS top_score,
              count(*) FILTER (s.priority <> '') AS priority_members,
              CAST(sum(s.paid_gbp) AS DOUBLE) AS paid_gbp, sum(s.likely_victims + s.harmed_victims) AS likely_victims
         FROM crews c JOIN suspects s USING (account_id)
        GROUP BY c.crew_id ORDER BY members DESC, top_score DESC, c.crew_id`,
    ),
  );
  requirePage(page, all.length, PAGE_SIZE);
  return { rows: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), total: all.length };
}

export async function crewMembers(a: Analysis, crewId: string): Promise<PlainRow[]> {
  return a.rows(
    `SELECT s.account_id, s.score, s.priority, s.country, CAST(s.paid_gbp AS DOUBLE) AS paid_gbp,
            s.likely_victims, s.harmed_victims
       FROM crews c JOIN suspects s USING (account_id) WHERE c.crew_id = $crew
      ORDER BY s.score DESC, s.account_id`,
    { crew: crewId },
  );
}

export async function quarantinePage(
  a: Analysis,
  reason: string | null,
  page: number,
): Promise<{ rows: PlainRow[]; total: number; reasons: PlainRow[] }> {
  const [rows, reasons] = await Promise.all([
    a.rows(
      `SELECT q.file_id, f.name AS file, q.line, q.reason, q.detail, q.raw
         FROM quarantine q JOIN files f USING (file_id)
        WHERE $reason IS NULL OR q.reason = $reason
        ORDER BY f.name, q.line LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`,
      { reason },
    ),
    a.rows(`SELECT reason, count(*) AS n FROM quarantine GROUP BY reason ORDER BY n DESC, reason`),
  ]);
  const total = reasons
    .filter((r) => reason === null || r.reason === reason)
    .reduce((t, r) => t + Number(r.n), 0);
  return { rows, total, reasons };
}

export async function quarantineRow(
  a: Analysis,
  fileId: number,
  line: number,
): Promise<PlainRow | null> {
  const [row] = await a.rows(
    `SELECT q.file_id, f.name AS file, q.line, q.reason, q.detail, q.raw
       FROM quarantine q JOIN files f USING (file_id) WHERE q.file_id = $file AND q.line = $line`,
    { file: fileId, line },
  );
  return row ?? null;
}

/** An account id as an address names it. */
export const AccountId = z.string().min(1).max(64);

/** Whether `id` is a suspect the caller may see (any, or one of a partner's country). */
export async function suspectInScope(
  a: Analysis,
  id: string,
  scope: string | null,
): Promise<boolean> {
  const rows = await a.rows(
    `SELECT 1 FROM suspects WHERE account_id = $id AND ($scope IS NULL OR country = $scope)`,
    { id, scope },
  );
  return rows.length > 0;
}

/** A suspect's country (where its account is registered), or null: none, or no such suspect. */
export async function suspectCountry(a: Analysis, id: string): Promise<string | null> {
  const [s] = await a.rows(`SELECT country FROM suspects WHERE account_id = $id`, { id });
  return s?.country ? String(s.country) : null;
}

/** What the Case page shows: headline totals and the files of the seized export. */
export interface CaseFacts {
  totals: PlainRow;
  files: PlainRow[];
}

/**
 * The Case page's facts for a scope: the case-wide totals (the same `unspoof info` prints) for
 * the owning unit, a partner's country's slice for a partner (sql/case-country.sql). Made once
 * per scope (`memo`): an open analysis cannot change (DuckDB locks its file against writers
 * while the console reads it; `unspoof analyze` needs the console stopped). Only what the page
 * shows is counted (at 10M calls the case-wide totals take a second or more).
 */
export function caseFacts(a: Analysis, memo: Memo, scope: string | null): Promise<CaseFacts> {
  return memo(`case:facts|${scope ?? ''}`, async () => {
    const [[totals], files] = await Promise.all([
      scope === null
        ? a.rows(readSql(import.meta.url, '../case/info.sql'))
        : a.rows(sql('case-country.sql'), { country: scope }),
      a.rows(sql('case-files.sql'), { counts: scope === null }),
    ]);
    return { totals: totals ?? {}, files };
  });
}

export async function brandNames(a: Analysis): Promise<string[]> {
  const rows = await a.rows(`SELECT DISTINCT brand FROM brands ORDER BY brand`);
  return rows.map((r) => String(r.brand));
}

export async function victimCountries(a: Analysis): Promise<string[]> {
  const rows = await a.rows(
    `SELECT DISTINCT country FROM stats_countries WHERE country <> '' ORDER BY country`,
  );
  return rows.map((r) => String(r.country));
}
