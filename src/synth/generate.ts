/**
 * Writes a whole synthetic export (and its truth) into an empty folder, marked synthetic and
 * signed (provenance.ts). Deterministic per seed and options: no clock, no Math.random,
 * insertion-ordered maps only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildAccounts, Identifiers, vpnIps, type Account } from './accounts.ts';
import { assignCountries } from './countries.ts';
import { Places } from './geo.ts';
import { buildIntel, INTEL_COUNTRIES, writeIntel } from './intel.ts';
import { HomeAddresses, TRAVEL_COUNTRIES } from './logins.ts';
import { writeRates } from './rates.ts';
import { Transactions } from './transactions.ts';
import { BRANDS_HEADER, EXTRA_BRANDS_CSV, loadBrands } from './brands.ts';
import type { CallsFormat } from './callrows.ts';
import { writeCalls, type CallsSummary } from './calls.ts';
import { buildCrews } from './crews.ts';
import { writeLogins } from './logins.ts';
import { countsFor, OUTSIDE_LINE, PERIOD_END, PERIOD_START, TIMEZONE } from './params.ts';
import { writePayments } from './payments.ts';
import { buildPools, poolSizes } from './pools.ts';
import { Rng } from './rng.ts';
import { markExport } from './provenance.ts';
import { moveIntoClockChanges, planSessions } from './sessions.ts';
import { Clock } from './time.ts';
import { writeTruth, type SwitchCounts, type TruthSummary } from './truth.ts';
import { csvLine, LineWriter } from './writers.ts';
import { SYNTH_GENERATOR } from '../case/provenance.ts';
import type { Effects } from '../shared/effects.ts';

export interface SynthOptions {
  out: string;
  calls: number;
  seed: number;
  callsFormat: CallsFormat;
  /**
   * The clock switch times are written in: `local` (the server's zone, the default) or `utc`
   * (as Asterisk's `usegmtime=yes` writes them; export.json then declares "UTC").
   */
  clock?: 'local' | 'utc';
}

export interface SynthSummary {
  out: string;
  seed: number;
  scale: number;
  callsFormat: CallsFormat;
  files: string[];
  accounts: number;
  crews: number;
  crewMembers: number;
  /** The zone switch times are written in. */
  clock: string;
  calls: Omit<CallsSummary, 'lastCallId' | 'readings' | 'switch'>;
  /** truth/switch.json. */
  switch: SwitchCounts & { clock: string };
  payments: { rows: number; loaded: number; gbp: number };
  logins: number;
  vpnExits: number;
  victims: TruthSummary['victims'];
  /** Victims every loaded call of which needs review (truth/victims.csv `review`). */
  reviewVictims: number;
  victimsByCountry: TruthSummary['byCountry'];
  priorityGb: number;
  /** Rows of rates.csv and of intel/transactions.csv. */
  rates: number;
  transactions: number;
}

export const ACCOUNTS_HEADER = 'account_id,username,email,phone,telegram,country,created_at,plan';

export async function generate(o: SynthOptions, effects: Effects): Promise<SynthSummary> {
  const counts = countsFor(o.calls);
  const zone = o.clock === 'utc' ? 'UTC' : TIMEZONE;
  const clock = new Clock(PERIOD_START, PERIOD_END, zone);
  // Asterisk users dial an outside line first (docs/switch-records.md §7).
  const outsideLine = o.callsFormat === 'asterisk' ? OUTSIDE_LINE : '';
  fs.mkdirSync(path.join(o.out, 'truth'), { recursive: true });
  const file = (name: string) => path.join(o.out, name);
  const manifest = {
    service: 'synthetic iSpoof',
    synthetic: true,
    generator: SYNTH_GENERATOR,
    seed: o.seed,
    timezone: zone,
    calls_format: o.callsFormat,
    scale: counts.scale,
    ...(outsideLine ? { outside_line: outsideLine } : {}),
  };
  // `"synthetic": true` first, so that an export the synth never finished is marked too; the
  // signature (export.json's `provenance` and .synthetic) once every data file is written.
  fs.writeFileSync(file('export.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const brands = loadBrands();
  const allBrands = [...brands.shipped, ...brands.extra];
  fs.writeFileSync(file('brands.csv'), [BRANDS_HEADER, ...EXTRA_BRANDS_CSV, ''].join('\n'));

  const taken = new Set(allBrands.map((b) => b.number));
  const ids = new Identifiers(new Rng(o.seed, 'identifiers'), taken);
  const accounts = buildAccounts(counts, o.seed, ids);
  const crews = buildCrews(accounts, o.seed, ids);
  await writeAccounts(accounts, clock, file('accounts.csv'));

  const pools = buildPools(
    o.calls,
    o.seed,
    taken,
    effects.progress('victim numbers', poolTotal(o.calls)),
  );
  const sessions = planSessions(accounts, o.seed);
  moveIntoClockChanges(sessions, clock, o.seed);
  const callsName = o.callsFormat === 'canonical' ? 'calls.csv' : 'Master.csv';
  const callsW = new LineWriter(file(callsName));
  const capturesW = new LineWriter(file('captures.csv'));
  const calls = await writeCalls({
    format: o.callsFormat,
    seed: o.seed,
    total: o.calls,
    clock,
    localClock: o.clock !== 'utc',
    outsideLine,
    accounts,
    sessions,
    pools,
    brands: allBrands,
    calls: callsW,
    captures: capturesW,
    progress: effects.progress('calls', o.calls),
  });
  // A capture for a call that does not exist (quarantined).
  await capturesW.add(`${missingCallId(o.callsFormat)},${clock.iso(PERIOD_START + 86_400)},otp`);
  await Promise.all([callsW.close(), capturesW.close()]);

  // What the unit is given beside the seized files (intel/, not ingested): the lists, the
  // block-explorer export; and the rates, which are in the export (rates.csv).
  const trueCountry = assignCountries(accounts, o.seed);
  const places = new Places([...trueCountry, ...INTEL_COUNTRIES, ...TRAVEL_COUNTRIES, 'GB']);
  const intel = buildIntel(
    places,
    new Rng(o.seed, 'intel'),
    accounts.length,
    vpnIps(counts.vpnExits),
  );
  writeIntel(path.join(o.out, 'intel'), intel, new Rng(o.seed, 'tor'));
  const homes = new HomeAddresses(places, intel, new Rng(o.seed, 'homes'));
  const ratesW = new LineWriter(file('rates.csv'));
  const rates = await writeRates(o.seed, ratesW);
  await ratesW.close();
  const txW = new LineWriter(path.join(o.out, 'intel', 'transactions.csv'));
  const tx = new Transactions(o.seed, txW);
  await tx.open();
  const paymentsW = new LineWriter(file('payments.csv'), '\r\n');
  const payments = await writePayments({
    accounts,
    seed: o.seed,
    clock,
    rates,
    homeIp: (a) => homes.get(a.homeIps[0]!, trueCountry[a.index]!),
    tx,
    w: paymentsW,
  });
  await Promise.all([paymentsW.close(), txW.close()]);
  await tx.writeTruth(path.join(o.out, 'truth', 'wallets.csv'));
  const loginsW = new LineWriter(file('logins.jsonl'));
  const logins = await writeLogins({
    accounts,
    trueCountry,
    vpnCount: counts.vpnExits,
    seed: o.seed,
    clock,
    homes,
    intel,
    w: loginsW,
  });
  await loginsW.close();

  const truth = await writeTruth(
    path.join(o.out, 'truth'),
    pools,
    accounts,
    payments,
    { trueCountry, located: logins.located },
    calls.classes,
    calls.readings,
    { ...calls.switch, clock: zone },
  );
  await markExport(o.out, manifest, o.seed);
  const { lastCallId: _last, readings: _readings, switch: sw, ...callCounts } = calls;
  return {
    out: o.out,
    seed: o.seed,
    scale: counts.scale,
    callsFormat: o.callsFormat,
    clock: zone,
    files: fs.readdirSync(o.out).sort(),
    accounts: accounts.length,
    crews: crews.length,
    crewMembers: truth.crewMembers,
    calls: callCounts,
    switch: { ...sw, clock: zone },
    payments: { rows: payments.rows, loaded: payments.loaded, gbp: payments.gbp },
    logins: logins.rows,
    vpnExits: counts.vpnExits,
    victims: truth.victims,
    reviewVictims: truth.review,
    victimsByCountry: truth.byCountry,
    priorityGb: truth.priority,
    rates: ratesW.lines - 1,
    transactions: txW.lines - 1,
  };
}

function poolTotal(calls: number): number {
  return [...poolSizes(calls).values()].reduce((a, b) => a + b, 0);
}

/** A call id of the format's shape that no generated call has. */
export function missingCallId(format: CallsFormat): string {
  if (format === 'canonical') return 'c999999999';
  if (format === 'asterisk') return '1500000000.999999999';
  return 'ffffffff-ffff-4fff-bfff-ffffffffffff';
}

async function writeAccounts(accounts: readonly Account[], clock: Clock, name: string) {
  const w = new LineWriter(name, '\n', true);
  await w.add(ACCOUNTS_HEADER);
  for (const a of accounts) {
    const created = clock.iso(a.created);
    await w.add(
      csvLine([a.id, a.username, a.email, a.phone, a.telegram, a.country, created, a.plan]),
    );
  }
  await w.close();
}
