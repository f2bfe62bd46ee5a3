/**
 * `analyze`: computes victims, suspect leads, links, crews, suspects and statistics inside the
 * case's DuckDB (SQL beside this file), with the case's settings. Replaces any earlier analysis
 * in one transaction; the seized rows are only read.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readSettings, type Settings } from '../case/settings.ts';
import { openCase, queryRows } from '../case/store.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { readSql } from '../shared/sql.ts';
import { computeCrews } from './crews.ts';
import { scoreSql } from './score.ts';
import { currenciesSql } from '../money/currencies.ts';
import { ipIntel } from '../ipintel/intel.ts';
import type { IpDatabase } from '../ipintel/databases.ts';
import { clusterWallets } from '../wallets/cluster.ts';

export interface AnalysisSummary {
  victims: Record<string, number>;
  victims_by_country: Array<{ country: string; tier: string; victims: number }>;
  suspects: number;
  priority: Record<string, number>;
  links: number;
  infrastructure: number;
  crews: number;
  crew_members: number;
  own_number_leads: number;
  /** Victims whose number needs review (docs/numbers.md): listed, kept out of outreach. */
  needs_review: number;
  /** Every loaded call in one class: victim, unresolved, own_phone, brand_number, service_code. */
  calls: Record<string, number>;
  /** Distinct raw values no reading resolves (`unspoof unresolved`). */
  unresolved_numbers: number;
  /** Payments by how their GBP value was found (docs/money.md); `not_valued` by reason. */
  payments: { valued: Record<string, number>; not_valued: Record<string, number> };
  /** Distinct login and payment addresses (docs/ip-intelligence.md). */
  ips: { addresses: number; located: number; listed: number; not_public: number };
  /** Bitcoin addresses and wallets (docs/wallets.md). */
  wallets: { addresses: number; invalid: number; wallets: number; coinjoins: number };
  /** Suspects by the strength of where the evidence places them (docs/jurisdiction.md). */
  jurisdiction: Record<string, number> & { disagreeing: number };
  /** Rows of the provider worklist (docs/requests.md). */
  provider_requests: number;
  settings: Settings;
}

const STEPS = [
  'victims',
  'unresolved',
  'leads',
  'money',
  'ips',
  'wallets',
  'identifiers',
  'links',
  'crews',
  'jurisdiction',
  'suspects',
  'requests',
  'stats',
] as const;

/** Steps whose work is in another room (folders by capability). */
const STEP_SQL: Partial<Record<(typeof STEPS)[number], string>> = {
  money: '../money/sql/values.sql',
  jurisdiction: '../jurisdiction/sql/jurisdiction.sql',
  requests: '../requests/sql/requests.sql',
};

/** A victim's reported loss (portal reports, GBP): a component of the suspect score. */
export interface ReportedLoss {
  number: string;
  lost_gbp: number;
}

/**
 * A victim number's reading an analyst confirmed (docs/numbers.md): the calls read as `number`
 * with the rival `alt_number` count for `chosen` (one of the two), E.164 all.
 */
export interface ConfirmedReading {
  number: string;
  alt_number: string | null;
  chosen: string;
  chosen_country: string | null;
}

/**
 * `reportedLosses` and `confirmed`, when given, replace the case's reported losses and confirmed
 * readings (read from the operations store by the caller); when absent, those of the last
 * analysis are kept.
 */
export async function analyzeCase(
  caseDir: string,
  fx: Effects,
  reportedLosses?: readonly ReportedLoss[],
  confirmed?: readonly ConfirmedReading[],
): Promise<AnalysisSummary> {
  const settings = readSettings(caseDir);
  const store = await openCase(caseDir);
  const { conn } = store;
  const bar = fx.progress('analysis', STEPS.length);
  try {
    await conn.run(`SET VARIABLE likely_seconds = ${settings.likely_seconds}`);
    await conn.run(`SET VARIABLE infrastructure_accounts = ${settings.infrastructure_accounts}`);
    await conn.run(`SET VARIABLE ip_window_hours = ${settings.ip_window_hours}`);
    await conn.run(`SET VARIABLE rate_max_days = ${settings.rate_max_days}`);
    await conn.run(currenciesSql());
    // DuckDB plans an ASOF join (rates, IP ranges) whose left side looks small as a loop over
    // every row of the right; a temp table made inside the transaction always looks small.
    await conn.run('SET asof_loop_join_threshold = 0');
    // Made before the transaction: DuckDB knows nothing of the size of a temp table made inside
    // one, and plans the joins over every call to it badly (victims took 70% longer).
    await conn.run(readSql(import.meta.url, 'sql/brand-ids.sql'));
    await conn.run(readSql(import.meta.url, 'sql/parties.sql'));
    await conn.run('BEGIN TRANSACTION');
    try {
      if (reportedLosses) await replaceLosses(conn, reportedLosses);
      if (confirmed) await replaceConfirmed(conn, confirmed);
      let done = 0;
      let ipDatabases: IpDatabase[] = [];
      for (const step of STEPS) {
        if (step === 'ips') {
          ipDatabases = await ipIntel(conn);
        } else if (step === 'wallets') {
          await clusterWallets(conn);
        } else if (step === 'crews') {
          await computeCrews(conn, {
            maxCrewSize: settings.max_crew_size,
            seed: settings.louvain_seed,
          });
        } else {
          await conn.run(readSql(import.meta.url, STEP_SQL[step] ?? `sql/${step}.sql`));
          if (step === 'suspects') await conn.run(scoreSql(settings));
        }
        bar.tick(++done);
      }
      await checkClasses(conn);
      await conn.run('DROP TABLE _party; DROP TABLE _brand_ids; DROP TABLE _brand_names');
      await conn.run(`INSERT OR REPLACE INTO case_meta VALUES ('analysis', $v)`, {
        v: JSON.stringify({
          analysed_at: fx.now().toISOString(),
          settings,
          ip_databases: ipDatabases,
        }),
      });
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    bar.done();
    await noteLegacy(conn, fx);
    return await summarise(conn, settings);
  } finally {
    store.close();
  }
}

async function replaceLosses(conn: DuckDBConnection, losses: readonly ReportedLoss[]) {
  await conn.run('DELETE FROM reported_losses');
  for (const l of losses)
    await conn.run('INSERT INTO reported_losses VALUES ($n, CAST($v AS DECIMAL(18, 2)))', {
      n: l.number,
      v: String(l.lost_gbp),
    });
}

async function replaceConfirmed(conn: DuckDBConnection, rows: readonly ConfirmedReading[]) {
  await conn.run('DELETE FROM confirmed_readings');
  if (rows.length === 0) return;
  // Appended as text, then cast in one statement (the country is an enum in the case).
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE _confirmed (number VARCHAR, alt VARCHAR, chosen VARCHAR, country VARCHAR)',
  );
  const appender = await conn.createAppender('_confirmed', 'main', 'temp');
  for (const r of rows) {
    appender.appendVarchar(r.number);
    if (r.alt_number) appender.appendVarchar(r.alt_number);
    else appender.appendNull();
    appender.appendVarchar(r.chosen);
    if (r.chosen_country) appender.appendVarchar(r.chosen_country);
    else appender.appendNull();
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
  await conn.run(
    `INSERT INTO confirmed_readings SELECT CAST(number AS BIGINT), coalesce(CAST(alt AS BIGINT), 0),
       CAST(chosen AS BIGINT), CAST(country AS country_code) FROM _confirmed;
     DROP TABLE _confirmed;`,
  );
}

/**
 * A case ingested before calls carried their number's evidence: its calls not written with `+`
 * or `00` count as guesses (victims.sql), and the analyst is told how to do better.
 */
async function noteLegacy(conn: DuckDBConnection, fx: Effects): Promise<void> {
  const [r] = await queryRows<{ n: bigint }>(
    conn,
    'SELECT count(*) AS n FROM call_rows WHERE dialed_rule IS NULL',
  );
  const n = Number(r?.n ?? 0);
  if (n > 0) {
    fx.note(
      `${n.toLocaleString('en-GB')} calls were ingested before numbers carried their evidence: ` +
        'their victims need review unless the number was written with + or 00; ' +
        'ingest the export again into a new case to resolve them (docs/numbers.md)',
    );
  }
}

/** Every loaded call is in exactly one class (unresolved.sql): the counts must add up. */
async function checkClasses(conn: DuckDBConnection): Promise<void> {
  const [c] = await queryRows<{ total: bigint; classes: bigint }>(
    conn,
    'SELECT (SELECT count(*) FROM call_rows) AS total, (SELECT sum(calls) FROM call_classes) AS classes',
  );
  if (Number(c?.total ?? 0) !== Number(c?.classes ?? 0)) {
    throw new UnspoofError(
      'INTERNAL',
      `analysis: ${c?.total} calls but ${c?.classes} in victims, unresolved and excluded`,
    );
  }
}

async function summarise(conn: DuckDBConnection, settings: Settings): Promise<AnalysisSummary> {
  const n = (v: unknown) => Number(v ?? 0);
  const tiers = await queryRows<{ tier: string; n: bigint }>(
    conn,
    'SELECT tier, count(*) AS n FROM victims GROUP BY tier',
  );
  const byCountry = await queryRows<{ country: string; tier: string; victims: bigint }>(
    conn,
    'SELECT country, tier, victims FROM stats_countries ORDER BY victims DESC, country, tier',
  );
  const prio = await queryRows<{ j: string; n: bigint }>(
    conn,
    `SELECT j, count(*) AS n FROM (SELECT unnest(string_split(priority, ';')) AS j FROM suspects WHERE priority <> '') GROUP BY j ORDER BY j`,
  );
  const [c] = await queryRows<Record<string, bigint>>(
    conn,
    `SELECT (SELECT count(*) FROM suspects) AS suspects, (SELECT count(*) FROM links) AS links,
            (SELECT count(*) FROM infrastructure) AS infrastructure,
            (SELECT count(DISTINCT crew_id) FROM crews) AS crews, (SELECT count(*) FROM crews) AS members,
            (SELECT count(*) FROM own_number_calls) AS leads,
            (SELECT count(*) FROM victims WHERE needs_review) AS review,
            (SELECT count(*) FROM unresolved) AS unresolved`,
  );
  const classes = await queryRows<{ class: string; calls: bigint }>(
    conn,
    'SELECT class, calls FROM call_classes',
  );
  const victims: Record<string, number> = { harmed: 0, likely: 0, contacted: 0, attempted: 0 };
  for (const t of tiers) victims[t.tier] = n(t.n);
  const counted = async (sql: string) =>
    Object.fromEntries(
      (await queryRows<{ k: string; n: bigint }>(conn, sql)).map((r) => [r.k, n(r.n)]),
    );
  const [x] = await queryRows<Record<string, bigint>>(
    conn,
    `SELECT (SELECT count(*) FROM ip_intel) AS ips,
       (SELECT count(*) FROM ip_intel WHERE located) AS located,
       (SELECT count(*) FROM ip_intel WHERE lists IS NOT NULL) AS listed,
       (SELECT count(*) FROM ip_intel WHERE range <> 'unicast') AS not_public,
       (SELECT count(*) FROM btc_addresses) AS addresses,
       (SELECT count(*) FROM btc_addresses WHERE NOT valid) AS invalid,
       (SELECT count(*) FROM (SELECT wallet FROM wallet_addresses GROUP BY wallet HAVING count(*) > 1)) AS wallets,
       (SELECT count(*) FROM tx_shapes WHERE coinjoin) AS coinjoins,
       (SELECT count(*) FROM suspects WHERE jurisdiction_strength <> 'none'
          AND account_id IN (SELECT account_id FROM jurisdiction WHERE disagreements IS NOT NULL)) AS disagreeing,
       (SELECT count(*) FROM provider_requests) AS requests`,
  );
  return {
    victims,
    victims_by_country: byCountry.map((r) => ({
      country: r.country,
      tier: r.tier,
      victims: n(r.victims),
    })),
    suspects: n(c?.suspects),
    priority: Object.fromEntries(prio.map((p) => [p.j, n(p.n)])),
    links: n(c?.links),
    infrastructure: n(c?.infrastructure),
    crews: n(c?.crews),
    crew_members: n(c?.members),
    own_number_leads: n(c?.leads),
    needs_review: n(c?.review),
    calls: Object.fromEntries(classes.map((k) => [k.class, n(k.calls)])),
    unresolved_numbers: n(c?.unresolved),
    payments: {
      valued: await counted(
        'SELECT basis AS k, count(*) AS n FROM payment_values WHERE basis IS NOT NULL GROUP BY ALL ORDER BY k',
      ),
      not_valued: await counted(
        'SELECT not_valued AS k, count(*) AS n FROM payment_values WHERE basis IS NULL GROUP BY ALL ORDER BY k',
      ),
    },
    ips: {
      addresses: n(x?.ips),
      located: n(x?.located),
      listed: n(x?.listed),
      not_public: n(x?.not_public),
    },
    wallets: {
      addresses: n(x?.addresses),
      invalid: n(x?.invalid),
      wallets: n(x?.wallets),
      coinjoins: n(x?.coinjoins),
    },
    jurisdiction: {
      ...(await counted(
        'SELECT jurisdiction_strength AS k, count(*) AS n FROM suspects GROUP BY ALL ORDER BY k',
      )),
      disagreeing: n(x?.disagreeing),
    },
    provider_requests: n(x?.requests),
    settings,
  };
}
