import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fs from 'node:fs';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CORRUPT_KINDS } from './corrupt.ts';
import { readCsv, reference, synthTo } from './testkit.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

for (const format of ['canonical', 'asterisk', 'freeswitch'] as const) {
  describe(`truth of a ${format} export`, async () => {
    const { out, summary } = await synthTo(20_000, 11, format);
    dirs.push(out);
    const ref = reference(out, format);
    const truth = readCsv(path.join(out, 'truth', 'victims.csv'));

    it('equals the tiers recomputed from the rows that load', () => {
      assert.equal(truth.length, ref.tiers.size);
      for (const [number, tier] of truth) assert.equal(ref.tiers.get(number!), tier, number);
      const sorted = truth.map((r) => r[0]!);
      assert.deepEqual(sorted, [...sorted].sort());
    });

    it('quarantines every corrupt kind, as many as the generator says', () => {
      for (const kind of CORRUPT_KINDS) {
        assert.ok((summary.calls.corrupt[kind] ?? 0) > 0, kind);
        assert.equal(ref.quarantined[kind], summary.calls.corrupt[kind], kind);
      }
      assert.equal(ref.calls.size, summary.calls.loaded);
      assert.equal(ref.orphanCaptures, 1);
    });

    it('lists only valid numbers, in all four tiers, with GB likely as calibrated', () => {
      for (const [number] of truth) {
        const p = parsePhoneNumberFromString(number!);
        assert.ok(p?.isValid(), number);
      }
      for (const tier of ['harmed', 'likely', 'contacted', 'attempted'] as const) {
        assert.ok(summary.victims[tier] > 0, tier);
      }
      // ≈ 70,000 at scale 1, so ≈ 140 at scale 0.002.
      const gbLikely = summary.victimsByCountry.GB!.likely;
      assert.ok(gbLikely > 90 && gbLikely < 200, `GB likely ${gbLikely}`);
    });

    it('puts every capture inside a loaded call, after it was answered (UTC vs local times)', () => {
      let n = 0;
      for (const [id, at, kind] of readCsv(path.join(out, 'captures.csv'))) {
        const call = ref.calls.get(id!);
        if (!call) continue;
        const t = Date.parse(at!) / 1000;
        assert.ok(call.answered && call.billsec >= 60, id);
        assert.ok(t >= call.start && t <= call.end, `${id} ${at} not in its call`);
        assert.ok(['otp', 'pin', 'card', 'other'].includes(kind!));
        n++;
      }
      assert.equal(n, summary.calls.captures);
    });

    it('writes the right number of columns except in wrong-column-count rows', () => {
      const expected = { canonical: 10, asterisk: 18, freeswitch: 15 }[format];
      const odd = [...ref.columnCounts]
        .filter(([n]) => n !== expected)
        .reduce((s, [, c]) => s + c, 0);
      assert.equal(odd, summary.calls.corrupt.wrong_column_count);
    });
  });
}
