import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import { listAudit, recordAudit, verifyAudit } from './audit.ts';

const t0 = new Date('2026-03-01T09:00:00.123Z');

for (const backend of backends) {
  test(`${backend.name}: the audit log is append-only, chained, and read back as written`, async () => {
    const { db, drop } = await backend.open();
    try {
      await recordAudit(db, { actor: 'ana', action: 'login' }, t0);
      await recordAudit(
        db,
        {
          actor: 'ana',
          action: 'unmask',
          target: 'victim:+447700900123',
          reason: 'call back the victim',
          detail: { b: 1, a: [2, 'x'] },
        },
        new Date(t0.getTime() + 1000),
      );
      await recordAudit(
        db,
        { actor: 'cli:root', action: 'export', detail: { rows: 3 } },
        new Date(t0.getTime() + 2000),
      );

      const rows = await listAudit(db);
      assert.deepEqual(
        rows.map((r) => [r.id, r.at, r.actor, r.action, r.target, r.reason]),
        [
          [1, '2026-03-01T09:00:00.123Z', 'ana', 'login', null, null],
          [
            2,
            '2026-03-01T09:00:01.123Z',
            'ana',
            'unmask',
            'victim:+447700900123',
            'call back the victim',
          ],
          [3, '2026-03-01T09:00:02.123Z', 'cli:root', 'export', null, null],
        ],
      );
      assert.deepEqual(rows[1]?.detail, { a: [2, 'x'], b: 1 });
      assert.equal((await listAudit(db, { since: new Date(t0.getTime() + 1500) })).length, 1);
      assert.equal(await verifyAudit(db), 3);

      // The database itself refuses every change.
      for (const sql of [
        "UPDATE audit SET reason = 'x' WHERE id = 2",
        'DELETE FROM audit WHERE id = 3',
        'TRUNCATE audit',
      ]) {
        await assert.rejects(db.query(sql), /append-only/, sql);
      }
      assert.equal(await verifyAudit(db), 3);
    } finally {
      await drop();
    }
  });

  test(`${backend.name}: a row changed or removed behind the database's back breaks the chain`, async () => {
    const { db, drop } = await backend.open();
    try {
      for (let i = 0; i < 4; i++)
        await recordAudit(db, { actor: 'ana', action: 'victim_view', target: `victim:${i}` }, t0);
      // Someone with the power to switch the triggers off (a superuser) edits a row...
      await db.exec(
        "ALTER TABLE audit DISABLE TRIGGER USER; UPDATE audit SET target = 'victim:9' WHERE id = 2",
      );
      await assert.rejects(verifyAudit(db), { code: 'AUDIT_BROKEN', message: /row 2 was changed/ });
      // ...or removes one.
      await db.exec(
        "UPDATE audit SET target = 'victim:1' WHERE id = 2; DELETE FROM audit WHERE id = 3",
      );
      await assert.rejects(verifyAudit(db), { code: 'AUDIT_BROKEN', message: /row 3 is missing/ });
    } finally {
      await drop();
    }
  });
}
