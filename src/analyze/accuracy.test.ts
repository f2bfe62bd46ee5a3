/**
 * Accuracy against the generator's truth (issue #3, #25): victims per tier precision and recall
 * ≥ 0.999, crews pairwise F1 ≥ 0.95, priority suspects exactly right (bitcoin-only payers too),
 * wallets pairwise F1 ≥ 0.99, jurisdiction right for ≥ 99% of suspects with a located login. Small scale here; the
 * bench (`npm run bench:analyze`) prints the same figures at iSpoof scale.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import test from 'node:test';
import { openCase } from '../case/store.ts';
import { ingestExport } from '../ingest/ingest.ts';
import { memoryEffects } from '../shared/effects.ts';
import { synthTo } from '../synth/testkit.ts';
import { tempDir } from '../../test/fixtures.ts';
import { accuracy } from './accuracy.ts';
import { analyzeCase } from './analyze.ts';
import { loadInputs } from './inputs.ts';
import { intelInputs } from '../synth/intel.ts';

for (const format of ['canonical', 'asterisk', 'freeswitch'] as const) {
  test(`analysis of a synthetic ${format} export matches its truth`, async () => {
    const { out } = await synthTo(30_000, 11, format);
    const caseDir = tempDir('unspoof-case-');
    try {
      await ingestExport({ exportDir: out, caseDir }, memoryEffects());
      await loadInputs(caseDir, intelInputs(out)!, memoryEffects());
      await analyzeCase(caseDir, memoryEffects());
      const store = await openCase(caseDir);
      const a = await accuracy(store.conn, out).finally(() => store.close());
      for (const [tier, t] of Object.entries(a.tiers)) {
        assert.ok(t.truth > 0, `${tier}: the truth has victims of this tier`);
        assert.ok(t.precision >= 0.999 && t.recall >= 0.999, `${tier}: ${JSON.stringify(t)}`);
      }
      // No number that nobody called is listed without a review flag (outreach would text it),
      // and every truly ambiguous victim is listed for review.
      assert.equal(a.strangers, 0);
      assert.ok(a.review.truth > 0, 'the synth writes truly ambiguous victims');
      assert.equal(a.review.flagged, a.review.truth);
      assert.ok(a.crews.truthPairs > 0);
      assert.ok(a.crews.f1 >= 0.95, JSON.stringify(a.crews));
      assert.ok(a.priority.truth > 0);
      assert.deepEqual(
        { missing: a.priority.missing, extra: a.priority.extra },
        { missing: 0, extra: 0 },
      );
      // Bitcoin-only payers (no GBP value in the export) are priority exactly by the £100 rule.
      assert.ok(a.btcOnly.payers > 0 && a.btcOnly.truth > 0, JSON.stringify(a.btcOnly));
      assert.deepEqual(
        { missing: a.btcOnly.missing, extra: a.btcOnly.extra },
        { missing: 0, extra: 0 },
      );
      assert.ok(a.wallets.truthPairs > 0 && a.wallets.f1 >= 0.99, JSON.stringify(a.wallets));
      assert.ok(a.jurisdiction.suspects > 0, 'suspects with a located login');
      assert.ok(a.jurisdiction.share >= 0.99, JSON.stringify(a.jurisdiction));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(caseDir, { recursive: true, force: true });
    }
  });
}
