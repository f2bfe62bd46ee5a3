/** `unspoof analyze`: thin handler over `analyzeCase`. */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { readForAnalysis } from '../ops/for-analysis.ts';
import { reportedLosses } from './losses.ts';
import { confirmedReadings } from './confirmations.ts';
import { analyzeCase, type AnalysisSummary } from './analyze.ts';
import { auditCaseStep, type RecordStep } from '../audit/cli.ts';
import { outputDigests } from './digests.ts';
import { loadInputs, type LoadedInputs } from './inputs.ts';

/**
 * What the audit log keeps of an analysis: its settings, the digests of what it decided, and
 * the inputs it was given (rates, transactions, IP lists), if any.
 */
export async function analysisDetail(
  caseDir: string,
  s: AnalysisSummary,
  inputs?: LoadedInputs | null,
): Promise<Record<string, unknown>> {
  return {
    settings: s.settings,
    outputs: await outputDigests(caseDir),
    ...(inputs ? { inputs } : {}),
  };
}

const Options = z.object({
  case: z.string().min(1),
  rates: z.array(z.string().min(1)).optional(),
  transactions: z.array(z.string().min(1)).optional(),
  ipList: z.array(z.string().min(1)).optional(),
  json: z.boolean().optional(),
});

/** `record`: as for `ingestCommand`, the step's audit entry (real unless a test passes its own). */
export async function analyzeCommand(
  raw: unknown,
  fx: Effects,
  record: RecordStep = auditCaseStep,
): Promise<void> {
  const o = parseOptions(Options, raw);
  const loaded = await loadInputs(o.case, o, fx);
  // One opening of the operations store for both (PGlite takes a while to open).
  const ops = await readForAnalysis(
    o.case,
    fx,
    'reported losses and confirmed readings',
    async (db) => ({
      losses: await reportedLosses(db),
      confirmed: await confirmedReadings(db),
    }),
  );
  const s = await analyzeCase(o.case, fx, ops?.losses, ops?.confirmed);
  await record(o.case, 'analysis', await analysisDetail(o.case, s, loaded), fx.now());
  fx.out(o.json ? JSON.stringify(s) : describe(s));
}

export function describe(s: AnalysisSummary): string {
  const v = s.victims;
  const prio = Object.entries(s.priority)
    .map(([j, n]) => `${j} ${n.toLocaleString('en-GB')}`)
    .join(', ');
  return [
    table(
      ['analysis', 'count'],
      [
        ['victims harmed (a code was captured)', v.harmed ?? 0],
        [`victims likely (≥ ${s.settings.likely_seconds} s connected)`, v.likely ?? 0],
        ['victims contacted', v.contacted ?? 0],
        ['victims attempted', v.attempted ?? 0],
        ['victims whose number needs review (kept out of outreach)', s.needs_review],
        ['suspects (accounts)', s.suspects],
        ['links between accounts', s.links],
        ['identifiers treated as infrastructure', s.infrastructure],
        ['crews', s.crews],
        ['accounts in crews', s.crew_members],
        ['calls to registered phones (leads)', s.own_number_leads],
      ],
    ),
    `priority suspects: ${prio || 'none'}`,
    callsLine(s),
    peopleLines(s),
  ].join('\n');
}

/** Money, addresses, wallets and where the users are (docs/money.md and its neighbours). */
function peopleLines(s: AnalysisSummary): string {
  const f = (x: number | undefined) => (x ?? 0).toLocaleString('en-GB');
  const kv = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${f(v)} ${k.replaceAll('_', ' ')}`)
      .join(', ') || 'none';
  const valued = Object.values(s.payments.valued).reduce((a, b) => a + b, 0);
  const unvalued = Object.values(s.payments.not_valued).reduce((a, b) => a + b, 0);
  const j = s.jurisdiction;
  return [
    `payments: ${f(valued)} valued in GBP (${kv(s.payments.valued)}); ${f(unvalued)} not valued` +
      (unvalued ? ` (${kv(s.payments.not_valued)}: unspoof payments --unvalued)` : ''),
    `IP addresses: ${f(s.ips.addresses)}, ${f(s.ips.located)} place their user; ${f(s.ips.listed)} hosting, VPN or Tor; ${f(s.ips.not_public)} not public`,
    `bitcoin addresses: ${f(s.wallets.addresses)} (${f(s.wallets.invalid)} fail their checksum); ${f(s.wallets.wallets)} wallets of several addresses; ${f(s.wallets.coinjoins)} CoinJoin-shaped transactions left out`,
    `where suspects are: ${f(j.strong)} strong, ${f(j.medium)} medium, ${f(j.weak)} weak (declared only), ${f(j.none)} unknown; ${f(j.disagreeing)} with evidence that disagrees`,
    `requests to providers: ${f(s.provider_requests)} (unspoof requests)`,
  ].join('\n');
}

/** Every call accounted for (docs/numbers.md): victims' calls, unresolved, excluded by reason. */
function callsLine(s: AnalysisSummary): string {
  const c = s.calls;
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const f = (x: number | undefined) => (x ?? 0).toLocaleString('en-GB');
  return (
    `calls: ${f(total)} = ${f(c.victim)} to victims + ${f(c.unresolved)} unresolved ` +
    `(${f(s.unresolved_numbers)} numbers: unspoof unresolved) + excluded: ${f(c.own_phone)} own phones, ` +
    `${f(c.brand_number)} banks' numbers, ${f(c.service_code)} service codes`
  );
}
