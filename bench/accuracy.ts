/**
 * `npm run bench:accuracy [-- --calls N --seeds 1,2 --formats asterisk,canonical,freeswitch
 * --clock local|utc]`: synthesises exports written the way switches write them
 * (docs/numbers.md, docs/switch-records.md), ingests and analyses each, and prints victims
 * precision and recall per tier against the generator's truth, the truly ambiguous victims
 * flagged for review, the listed numbers nobody called that outreach would text, and the
 * counts of truth/calls.json (the loaded calls by class) and truth/switch.json (legs,
 * duplicates, accounts, caller IDs, dial-plan readings, clocks) the case differs on.
 * `--export DIR --case DIR` scores a case already ingested from a synthetic export and
 * analysed instead. Exits 1 when any tier is under 0.999, any stranger
 * would be texted, an ambiguous victim is not flagged or a count differs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accuracy, type Accuracy } from '../src/analyze/accuracy.ts';
import { analyzeCase } from '../src/analyze/analyze.ts';
import { openCase } from '../src/case/store.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { generate } from '../src/synth/generate.ts';
import type { CallsFormat } from '../src/synth/callrows.ts';
import { cache, log } from './common.ts';

const USAGE = `npm run bench:accuracy -- [options]
  --calls N           calls per export (default 200000)
  --seeds 1,2         seeds (default 1,2)
  --formats a,b       calls formats: asterisk, canonical, freeswitch (default all three)
  --clock local|utc   switch times in the server's zone or in UTC (default local)
  --export DIR --case DIR
                      score a case already ingested from the synthetic export DIR and analysed
  --help              this text`;

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '200000' },
    seeds: { type: 'string', default: '1,2' },
    formats: { type: 'string', default: 'asterisk,canonical,freeswitch' },
    clock: { type: 'string', default: 'local' },
    export: { type: 'string' },
    case: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  log(USAGE);
  process.exit(0);
}
const calls = Number(values.calls);
const seeds = (values.seeds as string).split(',').map(Number);
const formats = (values.formats as string).split(',') as CallsFormat[];
const clock = values.clock === 'utc' ? 'utc' : 'local';
const TARGET = 0.999;

let worst = 1;
let strangers = 0;
let unflagged = 0;
/** Counts of truth/calls.json and truth/switch.json the case differs on. */
let switchMismatches = 0;

/** Prints one scored case and adds it to the totals. */
function report(title: string, a: Accuracy, needsReview?: number) {
  log(title);
  for (const [tier, t] of Object.entries(a.tiers)) {
    worst = Math.min(worst, t.precision, t.recall);
    log(
      `  ${tier.padEnd(10)} truth ${String(t.truth).padStart(7)}  found ${String(t.found).padStart(7)}  precision ${t.precision.toFixed(4)}  recall ${t.recall.toFixed(4)}`,
    );
  }
  strangers += a.strangers;
  unflagged += a.review.truth - a.review.flagged;
  const all = needsReview === undefined ? '' : `; ${needsReview} victims need review in all`;
  log(
    `  ambiguous  ${a.review.flagged} of ${a.review.truth} truly ambiguous victims flagged for review${all}`,
  );
  log(`  strangers  ${a.strangers} listed, not flagged, and called by nobody (target 0)`);
  // The loaded calls by class (truth/calls.json) and the switch records' shapes (switch.json).
  for (const [name, c] of [
    ['classes', a.classes],
    ['switch', a.switch],
  ] as const) {
    switchMismatches += c.mismatches.length;
    const differ = c.mismatches.map(
      (k) => `${k} ${c.counts[k]!.found} (truth ${c.counts[k]!.truth})`,
    );
    const all = Object.keys(c.counts).length;
    log(
      `  ${name.padEnd(10)} ${all - c.mismatches.length} of ${all} counts as the truth's${differ.length ? `; differ: ${differ.join(', ')}` : ''}`,
    );
  }
}

async function score(exportDir: string, caseDir: string): Promise<Accuracy> {
  const store = await openCase(caseDir);
  return accuracy(store.conn, exportDir).finally(() => store.close());
}

if (values.export !== undefined || values.case !== undefined) {
  if (!values.export || !values.case) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  report(`${values.export} scored in ${values.case}`, await score(values.export, values.case));
} else {
  for (const format of formats) {
    for (const seed of seeds) {
      const dir = path.join(cache, `accuracy-${format}-${seed}`);
      fs.rmSync(dir, { recursive: true, force: true });
      const out = path.join(dir, 'export');
      const caseDir = path.join(dir, 'case');
      await generate({ out, calls, seed, callsFormat: format, clock }, memoryEffects());
      await ingestExport({ exportDir: out, caseDir }, memoryEffects());
      const summary = await analyzeCase(caseDir, memoryEffects());
      const a = await score(out, caseDir);
      report(
        `${format}, seed ${seed}, ${calls.toLocaleString('en-GB')} calls, switch clock ${clock}`,
        a,
        summary.needs_review,
      );
      const c = summary.calls;
      log(
        `  calls      ${Object.values(c).reduce((x, y) => x + y, 0)} = ${c.victim} to victims + ${c.unresolved} unresolved + ${c.own_phone} own phones + ${c.brand_number} banks + ${c.service_code} service codes`,
      );
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
log(
  `worst precision/recall over every tier, format and seed: ${worst.toFixed(4)} (target ≥ ${TARGET}; ratio to the floor ${(worst / TARGET).toFixed(4)}); strangers ${strangers}; ambiguous victims not flagged ${unflagged}; counts that differ ${switchMismatches}`,
);
if (worst < TARGET || strangers > 0 || unflagged > 0 || switchMismatches > 0) process.exit(1);
