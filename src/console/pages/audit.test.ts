/**
 * The console's audit page: the latest checkpoint, its file and the log's verifier key to hand
 * out (which verify each other), and the verify action — which says the log holds, or, once a
 * row was changed behind the database's back, what broke; each verification is audited.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { postFrom, testConsole, type TestConsole } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import { checkpointNow, latestEntry, recordAudit } from '../../audit/audit.ts';
import { parseVkey } from '../../audit/note.ts';
import { openCheckpoint } from '../../audit/proofs.ts';
import type { OpsDb } from '../../ops/db.ts';

for (const backend of backends) {
  let c: TestConsole;
  let ops: OpsDb;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    c = await testConsole(ops);
  });
  after(async () => {
    await c.close();
    await drop();
  });

  const get = (url: string, role: 'supervisor' | 'admin' | 'partner' | 'analyst') =>
    c.app.inject({ url, headers: { cookie: c.cookies[role] } });

  async function verify(role: 'supervisor' | 'admin') {
    const page = await get('/audit', role);
    const posted = await postFrom(c.app, c.cookies[role], page, '/audit/verify');
    assert.equal(posted.statusCode, 303, posted.body);
    return get(String(posted.headers.location), role);
  }

  test(`${backend.name}: the audit page shows the latest checkpoint, hands it out and verifies the log`, async () => {
    await recordAudit(ops, { actor: 'cli:test', action: 'export', target: 'victims' }, new Date());
    const cp = await checkpointNow(ops, 'on demand', new Date());
    const page = await get('/audit', 'admin');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`at ${cp.size} entries \\(on demand\\)`));
    const file = await get('/audit/checkpoint.txt', 'admin');
    const vkey = await get('/audit/log.vkey', 'admin');
    assert.equal(openCheckpoint(file.body, parseVkey(vkey.body)).size, cp.size);
    assert.equal((await get('/audit/checkpoint.txt', 'partner')).statusCode, 403);
    assert.equal((await get('/audit/log.vkey', 'analyst')).statusCode, 403);

    const ok = await verify('supervisor');
    assert.match(ok.body, /Verified: the log \(\d+ entries\) extends the checkpoint/);
    assert.match(String((await latestEntry(ops, 'audit_verify'))?.actor), /supervisor/);

    // A row changed behind the database's back: the verification says what broke.
    await ops.query('ALTER TABLE audit DISABLE TRIGGER USER');
    await ops.query(`UPDATE audit SET target = 'crews' WHERE action = 'export'`);
    await ops.query('ALTER TABLE audit ENABLE TRIGGER USER');
    const broken = await verify('admin');
    assert.match(broken.body, /does not verify against the latest checkpoint/);
    assert.match(
      broken.body,
      /do not hash to the checkpoint&#39;s root|do not hash to the checkpoint's root/,
    );
    assert.match(broken.body, /was changed after it was written/);
  });
}
