import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fs from 'node:fs';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CORRUPT_KINDS } from './corrupt.ts';
import { reference } from './reference.ts';
import { readCsv, synthTo } from './testkit.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

for (const format of ['canonical', 'asterisk', 'freeswitch'] as const) {
  describe(`truth of a ${format} export`, async () => {
    const { out, summary } = await synthTo(20_000, 11, format);
    dirs.push(out);
    const ref = reference(out, format);
    const truth = readCsv(path.join(out, 'truth', 'victims.csv'));

    it('equals the tiers and review flags recomputed from the rows that load', () => {
      assert.deepEqual(truth[0]?.length, 3);
      // Calls to a truly ambiguous victim may read as its rival: they count for the victim.
      const rivals = new Map<string, string[]>();
      for (const [reading, seen] of ref.readings) {
        for (const alt of seen.alts) rivals.set(alt, [...(rivals.get(alt) ?? []), reading]);
      }
      const order = ['', 'attempted', 'contacted', 'likely', 'harmed'];
      const listed = new Set<string>();
      for (const [number, tier, review] of truth) {
        const seen = ref.readings.get(number!);
        if (review === 'false') {
          assert.equal(ref.tiers.get(number!), tier, number);
          assert.equal(seen?.review, false, `${number} has a call without doubt`);
          listed.add(number!);
          continue;
        }
        assert.equal(review, 'true');
        assert.notEqual(seen?.review, false, `${number}: every call to it needs review`);
        const read = [number!, ...(rivals.get(number!) ?? [])].filter((n) => ref.tiers.has(n));
        assert.ok(read.length > 0, number);
        const best = Math.max(...read.map((n) => order.indexOf(ref.tiers.get(n)!)));
        assert.equal(order[best], tier, number);
        read.forEach((n) => listed.add(n));
      }
      // Every reading of a victim's call is a listed victim or the rival of a flagged one.
      for (const [reading, seen] of ref.readings) {
        assert.ok(listed.has(reading) || seen.review, reading);
      }
      const sorted = truth.map((r) => r[0]!);
      assert.deepEqual(sorted, [...sorted].sort());
    });

    it('counts the loaded calls by class as the rules read them (truth/calls.json)', () => {
      const counted = JSON.parse(fs.readFileSync(path.join(out, 'truth', 'calls.json'), 'utf8'));
      assert.deepEqual(counted, ref.classes);
      assert.deepEqual(summary.calls.classes, ref.classes);
      const { calls, victim, unresolved, own_phone, brand_number, service_code } = counted;
      assert.equal(calls, victim + unresolved + own_phone + brand_number + service_code);
      assert.equal(calls, summary.calls.loaded);
      for (const k of ['unresolved', 'own_phone', 'brand_number', 'service_code'] as const) {
        assert.ok(counted[k] > 0, k);
      }
    });

    it('counts what docs/switch-records.md reads in the loaded calls (truth/switch.json)', () => {
      const counted = JSON.parse(fs.readFileSync(path.join(out, 'truth', 'switch.json'), 'utf8'));
      assert.deepEqual(counted, ref.switch);
      assert.deepEqual(summary.switch, ref.switch);
      assert.equal(counted.duplicates, summary.calls.corrupt.duplicate_row);
      // Every leg is a line of the calls file: calls, their other legs and the quarantined rows.
      const quarantined = Object.values(ref.quarantined).reduce((a, b) => a + b, 0);
      assert.equal(summary.calls.rows, ref.calls.size + counted.legs + quarantined);
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
        assert.ok(call.connected && call.billsec >= 60, id);
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
