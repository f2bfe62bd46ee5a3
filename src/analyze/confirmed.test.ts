/**
 * A confirmed reading (docs/numbers.md, "Confirmations") counts wherever the analysis counts a
 * victim, as victims.sql does: the victims each account reached (suspects.sql), the losses
 * victims reported against the accounts that called them, and the statistics by brand
 * (stats.sql). The review case through the real ingest and analysis, with B's rival reading
 * confirmed: its one call (c2, from a1, 90 s answered, as ING) is dialled as B's Australian
 * reading and counts for the Dutch one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confirmedRivalCase, READINGS, reviewCase, victimRows } from '../../test/review-case.ts';
import { openCase, queryRows } from '../case/store.ts';
import { memoryEffects } from '../shared/effects.ts';
import { analyzeCase } from './analyze.ts';

const { conflictA, conflictB, certain } = READINGS;

async function figures(caseDir: string) {
  const store = await openCase(caseDir);
  try {
    const [a1] = await queryRows<Record<string, number>>(
      store.conn,
      `SELECT CAST(likely_victims AS INTEGER) AS likely_victims,
              CAST(harmed_victims AS INTEGER) AS harmed_victims,
              CAST(reported_loss_gbp AS DOUBLE) AS reported_loss_gbp
         FROM suspects WHERE account_id = 'a1'`,
    );
    const brands = await queryRows<{ brand: string; victims: number; likely: number }>(
      store.conn,
      `SELECT brand, CAST(victims AS INTEGER) AS victims,
              CAST(likely_or_harmed AS INTEGER) AS likely
         FROM stats_brands ORDER BY brand`,
    );
    return { a1, brands };
  } finally {
    store.close();
  }
}

test('a confirmed rival reading keeps its call in the suspect’s victims, losses and the statistics by brand', async () => {
  const caseDir = await confirmedRivalCase([{ number: conflictB.alt, lost_gbp: 250 }]);
  const victims = await victimRows(caseDir);
  assert.ok(victims[conflictB.alt], 'B is listed as its rival reading');
  assert.ok(!victims[conflictB.number], 'and no longer as the reading dialled');
  const { a1, brands } = await figures(caseDir);
  // A, B (as its Dutch number) and the certain number: three long answered calls.
  assert.deepEqual(a1, { likely_victims: 3, harmed_victims: 0, reported_loss_gbp: 250 });
  // ING was shown to A and to B: both are its victims, both likely.
  assert.deepEqual(
    brands.find((b) => b.brand === 'ING'),
    { brand: 'ING', victims: 2, likely: 2 },
  );
});

test('a loss reported for the reading dialled no longer counts once the rival is confirmed', async () => {
  // The loss names B's Australian reading, which is no victim once its rival is confirmed;
  // without the confirmation it counts against a1 as before.
  const lost = [{ number: conflictB.number, lost_gbp: 80 }];
  const plain = await reviewCase();
  await analyzeCase(plain, memoryEffects(), lost, []);
  assert.equal((await figures(plain)).a1?.reported_loss_gbp, 80);
  assert.equal((await figures(plain)).a1?.likely_victims, 3);
  const confirmed = await confirmedRivalCase(lost);
  assert.equal((await figures(confirmed)).a1?.reported_loss_gbp, 0);
  // A loss reported for a number whose calls were never confirmed away still counts.
  const both = await confirmedRivalCase([
    { number: conflictA.number, lost_gbp: 5 },
    { number: certain, lost_gbp: 7 },
    { number: conflictB.alt, lost_gbp: 11 },
  ]);
  assert.equal((await figures(both)).a1?.reported_loss_gbp, 23);
});
