/**
 * Payments in GBP from dated rates (docs/money.md): the rate of the day or the last before it
 * (a weekend, Easter), stated; unknown currencies, missing amounts and rates too old listed,
 * never zero; a rates file quarantined row by row; `analyze --rates` adding rates later; and
 * the £100 rule on what bitcoin-only payers paid.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { analyzeCommand } from '../analyze/command.ts';
import { openCase } from '../case/store.ts';
import { withAnalysedCase } from '../readout/analysed.ts';
import { isUnspoofError } from '../shared/errors.ts';
import { memoryEffects } from '../shared/effects.ts';
import { rows } from '../../test/analysis-case.ts';
import { withPeopleCase } from '../../test/people-case.ts';

const pc = withPeopleCase();

interface Value {
  payment_id: string;
  currency: string | null;
  value_gbp: string | null;
  basis: string | null;
  rate: string | null;
  rate_day: string | null;
  not_valued: string | null;
}

const values = () =>
  rows<Value>(
    pc.caseDir,
    `SELECT payment_id, currency, CAST(value_gbp AS VARCHAR) AS value_gbp, basis,
       CAST(CAST(rate AS DOUBLE) AS VARCHAR) AS rate, CAST(rate_day AS VARCHAR) AS rate_day, not_valued
     FROM payment_values ORDER BY payment_id`,
  );

test('each payment is valued with the rate of its day or the last before it, or listed with why', async () => {
  const v = Object.fromEntries((await values()).map((r) => [r.payment_id, r]));
  // Sunday 7 February 2021: Friday's close.
  assert.deepEqual(
    [v.p1?.basis, v.p1?.value_gbp, v.p1?.rate, v.p1?.rate_day],
    ['rate', '150.00', '30000.0', '2021-02-05'],
  );
  // Easter Monday 2021 (no rate, nor on Good Friday): Thursday's; the currency written `eur`.
  assert.deepEqual(
    [v.p2?.currency, v.p2?.basis, v.p2?.value_gbp, v.p2?.rate_day],
    ['EUR', 'rate', '170.00', '2021-04-01'],
  );
  assert.deepEqual([v.p6?.basis, v.p6?.value_gbp], ['gbp', '40.00']);
  assert.deepEqual([v.p7?.basis, v.p7?.value_gbp], ['stated', '50.00']);
  assert.deepEqual([v.p9?.basis, v.p9?.value_gbp], ['rate', '99.00']);
  // Never silently zero: no value, and why.
  assert.deepEqual([v.p3?.value_gbp, v.p3?.not_valued], [null, 'unknown_currency']);
  assert.deepEqual([v.p8?.value_gbp, v.p8?.not_valued], [null, 'no_amount']);
  assert.deepEqual([v.p4?.value_gbp, v.p4?.not_valued], [null, 'rate_too_old']);
  assert.deepEqual([v.p5?.value_gbp, v.p5?.not_valued], [null, 'no_rates_for_currency']);
});

test('a rates file loads row by row: unknown currency, bad value, bad date and repeats quarantined', async () => {
  const q = await rows<{ line: bigint; reason: string; detail: string }>(
    pc.caseDir,
    `SELECT q.line, q.reason, q.detail FROM quarantine q JOIN files f USING (file_id)
     WHERE f.kind = 'rates' ORDER BY q.line`,
  );
  assert.deepEqual(
    q.map((r) => [Number(r.line), r.reason, r.detail]),
    [
      [5, 'unknown_currency', 'currency'],
      [6, 'bad_value', 'gbp'],
      [7, 'bad_date', 'date'],
      [8, 'duplicate_id', 'date,currency'],
    ],
  );
  const [r] = await rows<{ n: bigint }>(pc.caseDir, 'SELECT count(*) AS n FROM rates');
  assert.equal(Number(r?.n), 3);
});

test('the £100 rule counts bitcoin paid with no GBP value; what is not valued is counted', async () => {
  const s = await rows<{
    account_id: string;
    paid_gbp: string;
    priority: string;
    unvalued_payments: bigint;
  }>(
    pc.caseDir,
    `SELECT account_id, CAST(paid_gbp AS VARCHAR) AS paid_gbp, priority, unvalued_payments
     FROM suspects ORDER BY account_id`,
  );
  const by = Object.fromEntries(s.map((r) => [r.account_id, r]));
  assert.deepEqual([by.g1?.paid_gbp, by.g1?.priority], ['150.00', 'GB']);
  assert.deepEqual([by.g3?.paid_gbp, by.g3?.priority], ['99.00', '']);
  assert.deepEqual([by.g2?.paid_gbp, by.g2?.priority], ['90.00', '']);
  // Declared GB, paid £170, but the evidence places the user in Romania.
  assert.deepEqual(
    [by.r1?.paid_gbp, by.r1?.priority, Number(by.r1?.unvalued_payments)],
    ['170.00', '', 2],
  );
  assert.equal(Number(by.u1?.unvalued_payments), 2);
});

test('analyze --rates adds a later rates file and values what it can', async () => {
  const file = path.join(pc.inputDir, 'more-rates.csv');
  fs.writeFileSync(file, 'date,currency,gbp\n2021-05-31,BTC,50000\n2021-05-31,JPY,0.0065\n');
  const fx = memoryEffects();
  await analyzeCommand({ case: pc.caseDir, rates: [file], json: true }, fx, async () => undefined);
  const v = Object.fromEntries((await values()).map((r) => [r.payment_id, r]));
  assert.deepEqual([v.p4?.basis, v.p4?.value_gbp, v.p4?.rate_day], ['rate', '50.00', '2021-05-31']);
  assert.deepEqual([v.p5?.basis, v.p5?.value_gbp], ['rate', '6.50']);
  const [f] = await rows<{ name: string }>(
    pc.caseDir,
    `SELECT f.name FROM payment_values v JOIN files f ON f.file_id = v.rate_file WHERE v.payment_id = 'p4'`,
  );
  assert.equal(f?.name, 'more-rates.csv');
  const summary = JSON.parse(fx.lines.at(-1) ?? '{}') as {
    payments: { not_valued: Record<string, number> };
  };
  assert.deepEqual(summary.payments.not_valued, { no_amount: 1, unknown_currency: 1 });
});

test('a case analysed before payments were valued is to be analysed again, not half-read', async () => {
  const store = await openCase(pc.caseDir);
  await store.conn.run('DROP TABLE payment_values');
  store.close();
  await assert.rejects(
    withAnalysedCase(pc.caseDir, async () => 1),
    (e) => isUnspoofError(e) && e.code === 'NOT_ANALYSED' && /older version/.test(e.message),
  );
});
