/** `unspoof analyze`: thin handler over `analyzeCase`. */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { lossesForAnalysis } from '../portal/losses.ts';
import { analyzeCase, type AnalysisSummary } from './analyze.ts';

const Options = z.object({ case: z.string().min(1), json: z.boolean().optional() });

export async function analyzeCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const s = await analyzeCase(o.case, fx, await lossesForAnalysis(o.case, fx));
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
        ['suspects (accounts)', s.suspects],
        ['links between accounts', s.links],
        ['identifiers treated as infrastructure', s.infrastructure],
        ['crews', s.crews],
        ['accounts in crews', s.crew_members],
        ['calls to registered phones (leads)', s.own_number_leads],
      ],
    ),
    `priority suspects: ${prio || 'none'}`,
  ].join('\n');
}
