/**
 * No victim disappears (docs/numbers.md): every loaded call is a victim's call, unresolved, or
 * excluded with its reason, and the counts reconcile; a victim whose number needs review is
 * listed with both readings; a confirmed reading moves its calls and survives re-analysis.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { openCase, queryRows } from '../case/store.ts';
import { ingestExport } from '../ingest/ingest.ts';
import { memoryEffects } from '../shared/effects.ts';
import { tempDir, writeExport } from '../../test/fixtures.ts';
import { analyzeCase } from './analyze.ts';

const ACCOUNTS =
  'account_id,username,email,phone,telegram,country,created_at,plan\n' +
  'gb,a,,+447400999999,,GB,2021-01-01T00:00:00Z,pro\n' +
  // A crew mate with the same phone: the phone's calls are counted once.
  'gb2,b,,+447400999999,,GB,2021-01-01T00:00:00Z,pro\n' +
  'none,d,,,,,2021-01-01T00:00:00Z,pro\n';

const HEAD =
  'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition';
const call = (id: string, account: string, presented: string, dialled: string, route = '') =>
  `${id},${account},${presented},"${dialled}",${route},2021-03-01T10:00:00Z,2021-03-01T10:00:05Z,2021-03-01T10:02:05Z,120,ANSWERED`;

const CALLS = [
  HEAD,
  call('v1', 'gb', '+443457404404', '07400 100001', 'from-internal'), // victim, via the bank's country
  call('v2', 'gb', '+443457404404', '07400 100001', 'out-gb'), // the same victim
  call('r1', 'gb', 'anonymous', '7026080160', 'from-internal'), // only the account: needs review
  call('a1', 'gb', '+31201234567', '0412345678', 'out-au'), // two readings: needs review
  call('u1', 'none', 'anonymous', '07400 100002'), // no evidence: unresolved
  call('u2', 'none', 'anonymous', '07400 100002'), // the same raw value
  call('o1', 'gb', 'anonymous', '+447400999999'), // the account's own phone
  call('b1', 'gb', 'anonymous', '+443457404404'), // the real bank
  call('s1', 'gb', 'anonymous', '*97', 'out-gb'), // a service code
  call('s2', 'gb', 'anonymous', '1001', 'out-gb'), // an extension
].join('\n');

async function read<T>(caseDir: string, sql: string): Promise<T[]> {
  const store = await openCase(caseDir);
  return queryRows<T>(store.conn, sql).finally(() => store.close());
}

test('calls = victims’ calls + unresolved + excluded, and review victims carry both readings', async () => {
  const dir = writeExport({ 'accounts.csv': ACCOUNTS, 'calls.csv': CALLS });
  const caseDir = path.join(tempDir(), 'case');
  await ingestExport({ exportDir: dir, caseDir }, memoryEffects());
  const s = await analyzeCase(caseDir, memoryEffects());
  assert.deepEqual(s.calls, {
    victim: 4,
    unresolved: 2,
    own_phone: 1,
    brand_number: 1,
    service_code: 2,
  });
  assert.equal(
    Object.values(s.calls).reduce((a, b) => a + b, 0),
    10,
    'every loaded call in one class',
  );
  assert.equal(s.unresolved_numbers, 1);
  assert.equal(s.needs_review, 2);
  const unresolved = await read<{ raw: string; calls: bigint }>(
    caseDir,
    'SELECT raw, calls FROM unresolved',
  );
  assert.deepEqual(
    unresolved.map((u) => [u.raw, Number(u.calls)]),
    [['07400 100002', 2]],
  );
  const victims = await read<Record<string, unknown>>(
    caseDir,
    'SELECT number, confidence, rule, needs_review, review_reason, alt_number FROM victims ORDER BY number',
  );
  assert.deepEqual(victims, [
    {
      number: '+447026080160',
      confidence: 'guess',
      rule: 'account',
      needs_review: true,
      review_reason: 'weak',
      alt_number: null,
    },
    {
      number: '+447400100001',
      confidence: 'probable',
      rule: 'route',
      needs_review: false,
      review_reason: null,
      alt_number: null,
    },
    {
      number: '+61412345678',
      confidence: 'probable',
      rule: 'route',
      needs_review: true,
      review_reason: 'conflict',
      alt_number: '+31412345678',
    },
  ]);

  // The analyst confirms the rival reading: the call counts for it, and no longer needs review.
  await analyzeCase(caseDir, memoryEffects(), undefined, [
    {
      number: '+61412345678',
      alt_number: '+31412345678',
      chosen: '+31412345678',
      chosen_country: 'NL',
    },
  ]);
  // A later analysis without the list keeps the confirmation.
  const again = await analyzeCase(caseDir, memoryEffects());
  assert.equal(again.needs_review, 1);
  const moved = await read<Record<string, unknown>>(
    caseDir,
    "SELECT number, country, confidence, needs_review FROM victims WHERE number IN ('+61412345678', '+31412345678')",
  );
  assert.deepEqual(moved, [
    { number: '+31412345678', country: 'NL', confidence: 'certain', needs_review: false },
  ]);
});
