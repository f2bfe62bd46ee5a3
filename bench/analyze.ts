/**
 * `npm run bench:analyze [-- --scale 1]`: ingests and analyses the cached synthetic export,
 * measures the DuckDB plain-load floor in the same run (before and after: the ratio is to the
 * mean, as this machine's speed drifts), and prints wall times, peak RSS, the ratio of
 * (ingest + analyze) to the floor, and the accuracy against the generator's truth.
 */
import path from 'node:path';
import type { Accuracy } from '../src/analyze/accuracy.ts';
import { benchArgs, betweenFloors, cache, ensureExport, log, runChild } from './common.ts';

const { scale, format } = benchArgs();
const exportDir = ensureExport(scale, format);
const caseDir = path.join(cache, 'bench-analyze-case');

const {
  floor,
  result: [ingest, analyze],
} = betweenFloors(exportDir, () => [
  runChild('ingest', exportDir, caseDir),
  runChild('analyze', exportDir, caseDir),
]);
const acc = analyze.accuracy as Accuracy;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (x: number) => x.toFixed(4);
log('');
log(`analysis bench — scale ${scale}, calls as ${format}`);
log(`  ingest wall time       ${s(ingest.ms)} (peak RSS ${ingest.maxRssMb.toFixed(0)} MB)`);
log(`  analyze wall time      ${s(analyze.ms)} (peak RSS ${analyze.maxRssMb.toFixed(0)} MB)`);
log(
  `  peak RSS               ${Math.max(ingest.maxRssMb, analyze.maxRssMb).toFixed(0)} MB (target ≤ 4096 MB)`,
);
log(
  `  floor (DuckDB read_csv, 64 MB buffer, no transformation)  ${s(floor.ms)} (mean of ${s(floor.before)} before and ${s(floor.after)} after)`,
);
log(
  `  ratio (ingest + analyze) / floor  ${((ingest.ms + analyze.ms) / floor.ms).toFixed(2)} (target ≤ 4)`,
);
log('  accuracy against the synthetic truth');
for (const [tier, t] of Object.entries(acc.tiers)) {
  log(
    `    ${tier.padEnd(10)} truth ${t.truth.toLocaleString('en-GB').padStart(9)}  found ${t.found.toLocaleString('en-GB').padStart(9)}  precision ${pct(t.precision)}  recall ${pct(t.recall)}  (target ≥ 0.999)`,
  );
}
log(
  `    crews      pairwise F1 ${pct(acc.crews.f1)} (precision ${pct(acc.crews.precision)}, recall ${pct(acc.crews.recall)}; target ≥ 0.95)`,
);
log(
  `    priority   ${acc.priority.found} found of ${acc.priority.truth}: ${acc.priority.missing} missing, ${acc.priority.extra} extra (target: exactly right)`,
);
log(
  `    BTC-only   ${acc.btcOnly.payers} payers, ${acc.btcOnly.truth} priority by the £100 rule: ${acc.btcOnly.missing} missing, ${acc.btcOnly.extra} extra (target: exactly right)`,
);
log(
  `    wallets    pairwise F1 ${pct(acc.wallets.f1)} over ${acc.wallets.addresses} addresses (precision ${pct(acc.wallets.precision)}, recall ${pct(acc.wallets.recall)}; target ≥ 0.99)`,
);
log(
  `    jurisdiction ${acc.jurisdiction.correct} of ${acc.jurisdiction.suspects} suspects with a located login: ${pct(acc.jurisdiction.share)} (target ≥ 0.99)`,
);
