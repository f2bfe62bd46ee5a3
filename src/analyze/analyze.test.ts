/**
 * The rules of docs/analysis.md on a small hand-written export (test/analysis-case.ts), where every
 * figure is known: victim tiers and exclusions, links and infrastructure, crews, priority, the
 * score, settings.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { memoryEffects } from '../shared/effects.ts';
import { isUnspoofError } from '../shared/errors.ts';
import { analysedCase, rows } from '../../test/analysis-case.ts';
import { analyzeCase } from './analyze.ts';
import { points } from './score.ts';

test('victims: each tier by its rule, and what is never a victim', async () => {
  const { caseDir, summary } = await analysedCase();
  const victims = await rows<Record<string, unknown>>(
    caseDir,
    'SELECT number, country, tier, calls, accounts, brands, connected_seconds FROM victims ORDER BY number',
  );
  assert.deepEqual(
    victims.map((v) => [
      v.number,
      v.country,
      v.tier,
      Number(v.calls),
      Number(v.accounts),
      v.brands,
    ]),
    [
      ['+12125550100', 'US', 'attempted', 1, 1, ''],
      ['+447400200001', 'GB', 'harmed', 1, 1, 'Barclays'],
      ['+447400200002', 'GB', 'likely', 1, 1, 'Barclays'],
      ['+447400200003', 'GB', 'contacted', 2, 2, ''],
    ],
  );
  assert.deepEqual(summary.victims, { harmed: 1, likely: 1, contacted: 1, attempted: 1 });
  const leads = await rows<Record<string, unknown>>(
    caseDir,
    'SELECT calling_account, registered_account, number FROM own_number_calls',
  );
  assert.deepEqual(leads, [
    { calling_account: 'a2', registered_account: 'a1', number: '+447400100001' },
  ]);
});

test('links: shared identifiers and IPs within the window; infrastructure is not a link', async () => {
  const { caseDir, summary } = await analysedCase();
  const links = await rows<Record<string, unknown>>(
    caseDir,
    'SELECT account_a, account_b, type, value FROM links ORDER BY account_a, account_b',
  );
  assert.deepEqual(links, [
    { account_a: 'a1', account_b: 'a2', type: 'telegram', value: 'crewa' },
    { account_a: 'a3', account_b: 'a4', type: 'email', value: 'shared@example.org' },
    { account_a: 'a4', account_b: 'a5', type: 'ip', value: '203.0.113.7' },
  ]);
  const infra = await rows<Record<string, unknown>>(
    caseDir,
    'SELECT type, value FROM infrastructure',
  );
  assert.deepEqual(infra, [{ type: 'ip', value: '198.51.100.9' }]);
  const crews = await rows<{ crew_id: string; account_id: string }>(
    caseDir,
    'SELECT crew_id, account_id FROM crews ORDER BY crew_id, account_id',
  );
  assert.deepEqual(
    crews.map((c) => `${c.crew_id}:${c.account_id}`),
    ['crew0001:a3', 'crew0001:a4', 'crew0001:a5', 'crew0002:a1', 'crew0002:a2'],
  );
  assert.equal(summary.crews, 2);
});

test('suspects: components, an explainable score, and GB priority from £100', async () => {
  const { caseDir, summary } = await analysedCase();
  const s = await rows<Record<string, unknown>>(
    caseDir,
    'SELECT * FROM suspects ORDER BY account_id',
  );
  const a1 = s.find((r) => r.account_id === 'a1') as Record<string, unknown>;
  assert.equal(Number(a1.calls), 4);
  assert.equal(Number(a1.likely_victims), 2);
  assert.equal(Number(a1.harmed_victims), 1);
  assert.equal(Number(a1.captures), 1);
  assert.equal(Number(a1.brands), 1);
  assert.equal(Number(a1.linked_accounts), 1);
  assert.equal(a1.crew_id, 'crew0002');
  const w = summary.settings.score_weights;
  const expected =
    points(w.paid_gbp, 150) +
    points(w.calls, 4) +
    points(w.likely_victims, 2) +
    points(w.harmed_victims, 1) +
    points(w.captures, 1) +
    points(w.brands, 1) +
    points(w.peak_calls_per_minute, 1) +
    points(w.linked_accounts, 1);
  assert.ok(Math.abs(Number(a1.score) - expected) < 0.011, `${a1.score} vs ${expected}`);
  assert.deepEqual(
    s.map((r) => [r.account_id, r.priority]),
    [
      ['a1', 'GB'],
      ['a2', ''],
      ['a3', ''],
      ['a4', 'GB'],
      ['a5', ''],
      ['a6', ''],
    ],
  );
});

test('case.json settings change the rules; a wrong one is refused with its field', async () => {
  const { caseDir } = await analysedCase({
    likely_seconds: 121,
    priority_rules: [{ jurisdiction: 'NL', country: 'NL', min_paid_gbp: 400 }],
  });
  const tiers = await rows<{ number: string; tier: string }>(
    caseDir,
    'SELECT number, tier FROM victims ORDER BY number',
  );
  assert.deepEqual(
    tiers.map((t) => t.tier),
    ['attempted', 'harmed', 'contacted', 'contacted'],
  );
  const prio = await rows<{ account_id: string }>(
    caseDir,
    `SELECT account_id FROM suspects WHERE priority = 'NL'`,
  );
  assert.deepEqual(prio, [{ account_id: 'a6' }]);

  fs.writeFileSync(path.join(caseDir, 'case.json'), JSON.stringify({ likely_seconds: -1 }));
  await assert.rejects(analyzeCase(caseDir, memoryEffects()), (e) => {
    assert.ok(isUnspoofError(e) && e.code === 'CONFIG_INVALID', String(e));
    assert.match((e as Error).message, /likely_seconds/);
    return true;
  });
});

test('reported losses: what a victim reported lost counts for every account that called them', async () => {
  const { caseDir } = await analysedCase();
  // +447400200003 was called by a2 (c3) and another account; +447400200001 by a1 only.
  const summary = await analyzeCase(caseDir, memoryEffects(), [
    { number: '+447400200001', lost_gbp: 2500 },
    { number: '+447400200003', lost_gbp: 99.5 },
  ]);
  const s = await rows<Record<string, unknown>>(
    caseDir,
    `SELECT account_id, CAST(reported_loss_gbp AS DOUBLE) AS lost, points_reported_loss_gbp AS pts
       FROM suspects WHERE reported_loss_gbp > 0 ORDER BY account_id`,
  );
  const w = summary.settings.score_weights.reported_loss_gbp;
  const byId = Object.fromEntries(s.map((r) => [r.account_id, r]));
  assert.equal(byId.a1?.lost, 2500);
  assert.equal(Number(byId.a1?.pts), points(w, 2500));
  assert.equal(byId.a2?.lost, 99.5);
  // A later analysis without new figures keeps them; an empty list clears them.
  await analyzeCase(caseDir, memoryEffects());
  assert.equal((await rows(caseDir, 'SELECT * FROM reported_losses')).length, 2);
  await analyzeCase(caseDir, memoryEffects(), []);
  assert.equal(
    (await rows(caseDir, 'SELECT * FROM suspects WHERE reported_loss_gbp > 0')).length,
    0,
  );
});
