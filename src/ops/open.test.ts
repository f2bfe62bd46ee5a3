import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analysedCase } from '../../test/analysis-case.ts';
import { lockFile, OPS_DIR, openOps } from './open.ts';

test('the embedded store of a case is opened by one process at a time; a dead owner’s lock is taken over', async () => {
  const { caseDir } = await analysedCase();
  const db = await openOps(caseDir);
  await assert.rejects(openOps(caseDir), {
    code: 'OPS_BUSY',
    message: new RegExp(`process ${process.pid}`),
  });
  await db.close();
  // A lock left by a process that no longer runs.
  fs.writeFileSync(lockFile(path.join(caseDir, OPS_DIR)), '2147483646');
  const again = await openOps(caseDir);
  const [row] = await again.query<{ value: string }>(
    `SELECT value FROM ops_meta WHERE key = 'case_id'`,
  );
  assert.match(row?.value ?? '', /^[0-9a-f-]{36}$/);
  await again.close();
  assert.equal(fs.existsSync(lockFile(path.join(caseDir, OPS_DIR))), false);
});

test('a store that holds another case is refused', async () => {
  const a = await analysedCase();
  const b = await analysedCase();
  // Each store is bound to its case on first use; b's folder then claims to be case a.
  await (await openOps(a.caseDir)).close();
  await (await openOps(b.caseDir)).close();
  fs.copyFileSync(path.join(a.caseDir, 'ops.json'), path.join(b.caseDir, 'ops.json'));
  await assert.rejects(openOps(b.caseDir), { code: 'OPS_OTHER_CASE' });
});

test('a case that does not exist has no operations store', async () => {
  await assert.rejects(openOps('/nonexistent/case'), { code: 'CASE_NOT_FOUND' });
});
