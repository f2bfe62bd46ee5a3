/**
 * `npm run bench:accuracy [-- --calls N --seeds 1,2 --formats asterisk,canonical,freeswitch]`:
 * synthesises exports written the way switches write numbers (docs/numbers.md), ingests and
 * analyses each, and prints victims precision and recall per tier against the generator's truth,
 * the truly ambiguous victims flagged for review, and the listed numbers nobody called that
 * outreach would text. Exits 1 when any tier is under 0.999 or any stranger would be texted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accuracy } from '../src/analyze/accuracy.ts';
import { analyzeCase } from '../src/analyze/analyze.ts';
import { openCase } from '../src/case/store.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { generate } from '../src/synth/generate.ts';
import type { CallsFormat } from '../src/synth/callrows.ts';
import { cache, log } from './common.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '200000' },
    seeds: { type: 'string', default: '1,2' },
    formats: { type: 'string', default: 'asterisk,canonical,freeswitch' },
  },
});
const calls = Number(values.calls);
const seeds = (values.seeds as string).split(',').map(Number);
const formats = (values.formats as string).split(',') as CallsFormat[];
const TARGET = 0.999;

let worst = 1;
let strangers = 0;
let unflagged = 0;
for (const format of formats) {
  for (const seed of seeds) {
    const dir = path.join(cache, `accuracy-${format}-${seed}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const out = path.join(dir, 'export');
    const caseDir = path.join(dir, 'case');
    await generate({ out, calls, seed, callsFormat: format }, memoryEffects());
    await ingestExport({ exportDir: out, caseDir }, memoryEffects());
    const summary = await analyzeCase(caseDir, memoryEffects());
    const store = await openCase(caseDir);
    const a = await accuracy(store.conn, out).finally(() => store.close());
    log(`${format}, seed ${seed}, ${calls.toLocaleString('en-GB')} calls`);
    for (const [tier, t] of Object.entries(a.tiers)) {
      worst = Math.min(worst, t.precision, t.recall);
      log(
        `  ${tier.padEnd(10)} truth ${String(t.truth).padStart(7)}  found ${String(t.found).padStart(7)}  precision ${t.precision.toFixed(4)}  recall ${t.recall.toFixed(4)}`,
      );
    }
    strangers += a.strangers;
    unflagged += a.review.truth - a.review.flagged;
    log(
      `  ambiguous  ${a.review.flagged} of ${a.review.truth} truly ambiguous victims flagged for review; ${summary.needs_review} victims need review in all`,
    );
    log(`  strangers  ${a.strangers} listed, not flagged, and called by nobody (target 0)`);
    const c = summary.calls;
    log(
      `  calls      ${Object.values(c).reduce((x, y) => x + y, 0)} = ${c.victim} to victims + ${c.unresolved} unresolved + ${c.own_phone} own phones + ${c.brand_number} banks + ${c.service_code} service codes`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
log(
  `worst precision/recall over every tier, format and seed: ${worst.toFixed(4)} (target ≥ ${TARGET}; ratio to the floor ${(worst / TARGET).toFixed(4)}); strangers ${strangers}; ambiguous victims not flagged ${unflagged}`,
);
if (worst < TARGET || strangers > 0 || unflagged > 0) process.exit(1);
