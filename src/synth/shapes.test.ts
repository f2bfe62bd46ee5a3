import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { reference } from './reference.ts';
import { readCsv, synthTo } from './testkit.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** How switches write dialled numbers (docs/numbers.md, issue #19). */
const DIALLED: Record<string, RegExp> = {
  plus: /^\+\d{8,}$/,
  plus_spaced: /^\+\d{1,3} [\d ()-]+$/,
  idd00: /^00 ?[1-9]\d* [\d ]+$|^00[1-9]\d{7,}$/,
  idd011: /^011 ?[1-9][\d ]+$/,
  intl_digits: /^[1-9]\d{10,}$/,
  national_grouped: /^0[1-9]\d*( \d+)+$/,
  national_digits: /^0[1-9]\d{8,}$/,
  national_paren0: /^\(0\)[1-9][\d ]+$/,
  nanp: /^(\([2-9]\d\d\) |[2-9]\d\d[-.])[2-9]\d\d[-.]\d{4}$/,
  nanp_trunk: /^1[- ][2-9]\d\d[- ][2-9]\d\d[- ]\d{4}$/,
  nanp_bare: /^[2-9]\d\d[2-9]\d{6}$/,
};
/** How caller IDs are written. */
const PRESENTED: Record<string, RegExp> = {
  plus: /^\+\d{8,}$/,
  intl_digits: /^[1-9]\d{10,}$/,
  national: /^0\d{8,}$|^[2-9]\d\d[2-9]\d{6}$/,
  withheld: /^(anonymous|Anonymous|private)$/,
};
const NO_COUNTRY =
  /^(|default|from-internal|from-trunk|outbound-allroutes|public|to-pstn|sip-in|trunk-in|calls-in|hr|gb)$/;
/** docs/switch-records.md §5: an outbound word and a country code, either way round. */
const WITH_COUNTRY =
  /^((out|outbound|outgoing|dialout|intl)[-_][a-z]{2}|[a-z]{2}[-_](out|outbound|outgoing))$/i;

for (const format of ['asterisk'] as const) {
  describe(`a ${format} export of 30,000 calls`, async () => {
    const { out, summary } = await synthTo(30_000, 21, format);
    dirs.push(out);
    const ref = reference(out, format);
    const loaded = [...ref.calls.values()];
    const truth = readCsv(path.join(out, 'truth', 'victims.csv'));
    const count = (re: RegExp, pick: (c: (typeof loaded)[number]) => string) =>
      loaded.filter((c) => re.test(pick(c))).length;

    it('writes every shape of dialled number, mixed', () => {
      for (const [shape, re] of Object.entries(DIALLED)) {
        const n = count(re, (c) => c.dialled);
        assert.ok(n >= 100, `${shape}: ${n}`);
        assert.ok(n < loaded.length * 0.4, `${shape}: ${n}`);
      }
      // Each dialled shape reads as a victim's number somewhere (not only rejected forms).
      for (const [shape, re] of Object.entries(DIALLED)) {
        assert.ok(
          loaded.some((c) => c.class === 'victim' && !c.review && re.test(c.dialled)),
          shape,
        );
      }
    });

    it('writes caller IDs with and without +, national, and withheld', () => {
      for (const [shape, re] of Object.entries(PRESENTED)) {
        const n = count(re, (c) => c.presented);
        // Withheld shares its sessions with caller IDs that are no number (switch.test.ts).
        const least = shape === 'withheld' ? 0.03 : 0.05;
        assert.ok(n >= loaded.length * least, `${shape}: ${n}`);
      }
    });

    it('writes routes with and without a country, half or more without', () => {
      const none = count(NO_COUNTRY, (c) => c.route);
      const some = count(WITH_COUNTRY, (c) => c.route);
      assert.equal(none + some, loaded.length);
      assert.ok(none >= loaded.length * 0.45, `no country: ${none} of ${loaded.length}`);
      assert.ok(some >= loaded.length * 0.3, `a country: ${some}`);
    });

    it("has accounts calling victims of another country than the account's", () => {
      const countryOf = new Map(readCsv(path.join(out, 'accounts.csv')).map((r) => [r[0]!, r[5]!]));
      const victims = loaded.filter((c) => c.class === 'victim');
      const other = victims.filter(
        (c) => countryOf.get(c.account) !== parsePhoneNumberFromString(c.e164!)?.country,
      ).length;
      const share = other / victims.length;
      assert.ok(share > 0.15 && share < 0.45, `share ${share}`);
    });

    it('flags a few truly ambiguous victims in every destination country', () => {
      const flagged = truth.filter((r) => r[2] === 'true');
      assert.equal(flagged.length, summary.reviewVictims);
      const countries = new Set<string | undefined>(
        flagged.map((r) => parsePhoneNumberFromString(r[0]!)?.country),
      );
      for (const c of ['US', 'GB', 'NL', 'AU', 'FR', 'IE', 'CA']) assert.ok(countries.has(c), c);
      assert.ok(flagged.length >= 14 && flagged.length < truth.length * 0.02, `${flagged.length}`);
      // Both kinds of doubt: the account's country alone, and two readings that disagree.
      const rules = loaded.filter((c) => c.review);
      assert.ok(rules.some((c) => c.alt === null));
      assert.ok(rules.some((c) => c.alt !== null));
      // Some calls to them read as the rival number, flagged with the true one as the rival.
      const numbers = new Set(flagged.map((r) => r[0]!));
      assert.ok(loaded.some((c) => c.alt !== null && numbers.has(c.alt) && c.e164 !== c.alt));
    });

    it('never reads a call as a wrong number without flagging it', () => {
      // A victim's call reads as a listed victim, or needs review (an ambiguous victim's rival).
      const listed = new Set(truth.map((r) => r[0]!));
      for (const c of loaded) {
        if (c.class !== 'victim') continue;
        assert.ok(listed.has(c.e164!) || c.review, `${c.dialled} read as ${c.e164}`);
      }
    });

    it('loads calls whose dialled number no rule reads, as unresolved', () => {
      const unresolved = loaded.filter((c) => c.class === 'unresolved');
      assert.ok(unresolved.length > 0);
      assert.equal(summary.calls.classes.unresolved, unresolved.length);
      assert.ok(unresolved.some((c) => /^0[1-9]/.test(c.dialled) && NO_COUNTRY.test(c.route)));
      assert.ok(!('unresolvable_national_number' in summary.calls.corrupt));
    });
  });
}
