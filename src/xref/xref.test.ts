/** Cross-reference: every watchlist row comes back, with its hits or why it matched nothing. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { memoryEffects } from '../shared/effects.ts';
import { isUnspoofError } from '../shared/errors.ts';
import { analysedCase } from '../../test/analysis-case.ts';
import { tempDir } from '../../test/fixtures.ts';
import { xrefCommand } from './command.ts';
import type { XrefRow } from './xref.ts';

const WATCHLIST = [
  'type,value,source',
  'number,+44 7400 200001,op-falcon',
  'number,07400 200003,op-x',
  'email,SHARED@example.org,op-y',
  'wallet,bc1qa6,chain',
  'ip,203.0.113.7,isp',
  'telegram,@CREWA,tg',
  'fax,123,old',
  'number,0044 7400 100001,op-z',
  'ip,10.9.9.9,none',
].join('\n');

test('identifiers are normalised and matched against accounts, victims, calls, payments, logins', async () => {
  const { caseDir } = await analysedCase();
  const dir = tempDir('unspoof-xref-');
  const watchlist = path.join(dir, 'watchlist.csv');
  fs.writeFileSync(watchlist, WATCHLIST);
  const fx = memoryEffects();
  const out = path.join(dir, 'hits.csv');
  await xrefCommand({ case: caseDir, watchlist, out, json: true }, fx);
  const rows = JSON.parse(fx.lines.join('')) as XrefRow[];
  const seen = (line: number) =>
    rows
      .filter((r) => r.line === line)
      .map((r) => [r.status, r.matched_as, r.accounts, r.victim_tier]);
  assert.deepEqual(seen(2), [
    ['hit', 'dialled_number', 'a1', null],
    ['hit', 'victim', null, 'harmed'],
  ]);
  assert.deepEqual(seen(3), [['unresolvable_national_number', null, null, null]]);
  assert.deepEqual(seen(4), [['hit', 'account_email', 'a3;a4', null]]);
  assert.deepEqual(seen(5), [['hit', 'payment_wallet', 'a6', null]]);
  assert.deepEqual(seen(6), [['hit', 'login_ip', 'a4;a5', null]]);
  assert.deepEqual(seen(7), [['hit', 'account_handle', 'a1;a2', null]]);
  assert.deepEqual(seen(8), [['unknown_type', null, null, null]]);
  assert.deepEqual(seen(9), [
    ['hit', 'account_phone', 'a1', null],
    ['hit', 'dialled_number', 'a2', null],
  ]);
  assert.deepEqual(seen(10), [['no_match', null, null, null]]);
  // Nothing is lost: the file has a row for every watchlist entry.
  const lines = new Set(
    fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]),
  );
  assert.equal(lines.size, 9);
});

test('a watchlist that is not type,value,source is refused clearly', async () => {
  const { caseDir } = await analysedCase();
  const file = path.join(tempDir('unspoof-xref-'), 'bad.csv');
  fs.writeFileSync(file, 'a,b\n1,2,3,4\n');
  await assert.rejects(
    xrefCommand({ case: caseDir, watchlist: file }, memoryEffects()),
    (e) => isUnspoofError(e) && e.code === 'FILE_UNREADABLE' && /type,value,source/.test(e.message),
  );
});
