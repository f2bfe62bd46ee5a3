/**
 * `unspoof synth`: validates the options, refuses a non-empty output folder, writes the
 * synthetic export and prints its summary (as JSON with --json).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { generate, type SynthSummary } from './generate.ts';
import { DEFAULT_CALLS, FULL_CALLS } from './params.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { Effects } from '../shared/effects.ts';

const positiveNumber = z
  .string()
  .regex(/^\d+(\.\d+)?(e\d+)?$/i, 'must be a positive number')
  .transform(Number)
  .pipe(z.number().positive());

const OptionsSchema = z
  .object({
    out: z.string().min(1),
    calls: positiveNumber.pipe(z.number().int().min(100)).optional(),
    scale: positiveNumber.optional(),
    seed: z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .max(2 ** 31 - 1),
      ),
    callsFormat: z.enum(['canonical', 'asterisk', 'freeswitch']),
    clock: z.enum(['local', 'utc']).default('local'),
    json: z.boolean().optional(),
  })
  .refine((o) => o.calls === undefined || o.scale === undefined, {
    message: '--calls and --scale cannot be used together',
  });

export type SynthCliOptions = z.input<typeof OptionsSchema>;

export async function synthCommand(opts: SynthCliOptions, effects: Effects): Promise<void> {
  const parsed = OptionsSchema.safeParse(opts);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length
      ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `
      : '';
    throw new UnspoofError('USAGE', `${where}${issue?.message ?? 'invalid options'}`);
  }
  const o = parsed.data;
  const calls =
    o.calls ?? (o.scale !== undefined ? Math.round(o.scale * FULL_CALLS) : DEFAULT_CALLS);
  if (calls < 100) throw new UnspoofError('USAGE', '--scale is too small (fewer than 100 calls)');
  if (
    fs.existsSync(o.out) &&
    (!fs.statSync(o.out).isDirectory() || fs.readdirSync(o.out).length > 0)
  ) {
    throw new UnspoofError('OUTPUT_EXISTS', `${o.out} exists and is not an empty folder`);
  }
  const summary = await generate(
    { out: o.out, calls, seed: o.seed, callsFormat: o.callsFormat, clock: o.clock },
    effects,
  );
  effects.out(o.json ? JSON.stringify(summary, null, 2) : describe(summary));
}

function describe(s: SynthSummary): string {
  const v = s.victims;
  const gb = s.victimsByCountry.GB;
  const c = s.calls.classes;
  const w = s.switch;
  const corrupt = Object.entries(s.calls.corrupt)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `Synthetic export written to ${s.out} (seed ${s.seed}, scale ${s.scale}, calls as ${s.callsFormat}, switch clock ${s.clock})`,
    `  accounts   ${s.accounts} (${s.crewMembers} in ${s.crews} crews), VPN exits ${s.vpnExits}`,
    `  calls      ${s.calls.rows} rows (${s.calls.rows - w.legs} call records, ${w.legs} other legs), ${s.calls.loaded} calls load, ${s.calls.captures} captures`,
    `  loaded     victims' ${c.victim}, unresolved ${c.unresolved}, own phones ${c.own_phone}, brand numbers ${c.brand_number}, service codes ${c.service_code}`,
    `  corrupt    ${corrupt}`,
    `  switch     ${w.legs} other legs, ${w.no_account_calls} calls without an account, ${w.calls_only_accounts} calls of ${w.calls_only_account_codes} calls-only accounts, ${w.non_number_caller_ids} caller IDs no number (${w.alphanumeric_caller_ids} alphanumeric), ${w.outside_line} behind the outside line, ${w.dial_string} from dial strings, ${w.disposition_conflicts} disposition conflicts, ${w.nonexistent_starts}/${w.ambiguous_starts} nonexistent/ambiguous starts`,
    `  payments   ${s.payments.rows} rows, £${s.payments.gbp.toLocaleString('en-GB')} paid`,
    `  logins     ${s.logins}`,
    `  victims    harmed ${v.harmed}, likely ${v.likely}, contacted ${v.contacted}, attempted ${v.attempted}; ${s.reviewVictims} need review`,
    gb
      ? `  GB victims harmed ${gb.harmed}, likely ${gb.likely}, contacted ${gb.contacted}, attempted ${gb.attempted}`
      : '',
    `  marked     synthetic: export.json ("synthetic": true, provenance) and .synthetic, signed over every data file`,
    `  rates      rates.csv: ${s.rates} daily rates (BTC, EUR, USD)`,
    `  intel      intel/ (for analyze, not ingested): transactions.csv (${s.transactions} rows), vpn.txt, hosting.txt, tor-exit-addresses`,
    `  truth      truth/victims.csv, truth/calls.json, truth/switch.json, truth/crews.csv, truth/priority.csv (${s.priorityGb} GB priority),`,
    `             truth/payers.csv, truth/wallets.csv, truth/jurisdiction.csv`,
  ]
    .filter(Boolean)
    .join('\n');
}
