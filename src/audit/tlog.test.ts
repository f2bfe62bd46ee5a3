/**
 * The audit log's Merkle tree and checkpoints in a real store (PGlite and PostgreSQL): the head
 * kept as entries are written is the root of all of them; proofs made from the log verify with
 * the verifier key alone; and an older checkpoint catches every tampering — the newest rows
 * deleted, the whole chain rewritten, one byte of an entry, of a stored hash, of the checkpoint's
 * signature or its root. Exported to files, a checkpoint, the log and a proof verify in a
 * process that has no database.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import { tempDir } from '../../test/fixtures.ts';
import type { OpsDb } from '../ops/db.ts';
import { checkpointNow, recordAudit } from './audit.ts';
import { entryBytes, entryText } from './entry.ts';
import { frontierRoot, leafHash, rootOf } from './merkle.ts';
import { formatVkey, parseVkey, rawPublicKey } from './note.ts';
import { makeConsistency, makeInclusion, openCheckpoint, verifyProof } from './proofs.ts';
import { checkLive } from './live.ts';
import { entriesAfter, latestCheckpoint, logKey, storedHead } from './tree.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/unspoof.js');
const t0 = new Date('2026-03-01T09:00:00.000Z');
const at = (i: number) => new Date(t0.getTime() + i * 1000);

test('what is hashed is what the store gives back: undefined dropped, a Date as its text', async () => {
  const { db, drop } = await (backends[0] as (typeof backends)[number]).open();
  try {
    await recordAudit(
      db,
      { actor: 'a', action: 'export', detail: { gone: undefined, when: new Date(0), n: 1.5 } },
      at(1),
    );
    const cp = await checkpointNow(db, 'test', at(2));
    assert.deepEqual((await checkLive(db, cp.note)).problems, []);
  } finally {
    await drop();
  }
});

async function write(db: OpsDb, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++)
    await recordAudit(
      db,
      {
        actor: `user${i % 3}`,
        action: 'victim_view',
        target: `victim:${i}`,
        detail: { i, é: 'ü' },
      },
      at(i),
    );
}

async function leaves(db: OpsDb) {
  const entries = await entriesAfter(db, 0);
  return { lines: entries.map(entryText), leaves: entries.map((e) => leafHash(entryBytes(e))) };
}

/** Runs a statement the audit log's triggers would refuse: as someone who bypasses them. */
async function behindItsBack(db: OpsDb, sql: string, params: unknown[] = []): Promise<void> {
  await db.query('ALTER TABLE audit DISABLE TRIGGER USER');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('ALTER TABLE audit ENABLE TRIGGER USER');
  }
}

for (const backend of backends) {
  test(`${backend.name}: the tree head kept with the log is the root of its entries; proofs verify with the key alone`, async () => {
    const { db, drop } = await backend.open();
    try {
      await write(db, 1, 21);
      const head = await storedHead(db);
      const l = await leaves(db);
      assert.equal(head?.size, 21);
      assert.deepEqual(frontierRoot(head as never), rootOf(l.leaves));
      const cp1 = await checkpointNow(db, 'test', at(100));
      const key = parseVkey((await logKey(db)).vkey);
      const c1 = openCheckpoint(cp1.note, key);
      assert.equal(c1.size, 21);
      await write(db, 22, 6);
      const cp2 = await checkpointNow(db, 'test', at(200));
      const c2 = openCheckpoint(cp2.note, key);
      const l2 = await leaves(db);
      const inc = makeInclusion(l2.leaves, l2.lines, cp2.note, c2, 7);
      assert.match(
        verifyProof(JSON.parse(JSON.stringify(inc)), key),
        /Entry 7 \(victim_view by user1/,
      );
      const con = makeConsistency(l2.leaves, { note: cp1.note, c: c1 }, { note: cp2.note, c: c2 });
      assert.match(verifyProof(con, key), /at 27 entries extends its 21 entries unchanged/);
      // A proof whose entry was changed does not verify.
      assert.throws(
        () => verifyProof({ ...inc, text: inc.text.replace('user1', 'user2') }, key),
        /AUDIT_BROKEN|leaf hash/,
      );
      assert.deepEqual((await checkLive(db, cp1.note)).problems, []);
      // The latest of many checkpoints is the newest (ids compared as numbers, not as text).
      for (let i = 0; i < 9; i++) await checkpointNow(db, `n${i}`, at(300 + i));
      assert.equal((await latestCheckpoint(db))?.reason, 'n8');
    } finally {
      await drop();
    }
  });

  test(`${backend.name}: an older checkpoint catches every tampering with the log`, async () => {
    const { db, drop } = await backend.open();
    try {
      await write(db, 1, 12);
      const cp = await checkpointNow(db, 'handed to the court', at(50));
      await write(db, 13, 3);
      assert.deepEqual((await checkLive(db, cp.note)).problems, []);
      const problems = async () => (await checkLive(db, cp.note)).problems.join(' | ');
      const saved = await db.query<Record<string, unknown>>(
        'SELECT * FROM audit ORDER BY audit.id',
      );
      const restore = async () => {
        await behindItsBack(db, 'DELETE FROM audit');
        await behindItsBack(
          db,
          'INSERT INTO audit SELECT * FROM json_populate_recordset(NULL::audit, $1::json)',
          [JSON.stringify(saved)],
        );
      };

      // The newest rows deleted: the log is shorter than the checkpoint.
      await behindItsBack(db, 'DELETE FROM audit WHERE id > 9');
      assert.match(await problems(), /holds 9 entries, fewer than the 12 of the checkpoint/);
      await restore();
      assert.deepEqual((await checkLive(db, cp.note)).problems, []);

      // The newest rows deleted after the checkpoint: the head kept with the log counted them,
      // and nothing more is written until the log is verified.
      await behindItsBack(db, 'DELETE FROM audit WHERE id > 13');
      assert.match(await problems(), /counts 15 entries, the log holds 13: entries were removed/);
      await assert.rejects(recordAudit(db, { actor: 'x', action: 'login' }, at(90)), {
        code: 'AUDIT_BROKEN',
      });
      await restore();

      // One byte of an entry.
      await behindItsBack(db, `UPDATE audit SET actor = 'userX' WHERE id = 5`);
      const one = await problems();
      assert.match(one, /do not hash to the checkpoint's root/);
      assert.match(one, /row 5 was changed/);
      await restore();

      // A stored hash of the chain.
      await behindItsBack(db, `UPDATE audit SET hash = '0' || substr(hash, 2) WHERE id = 8`);
      assert.match(await problems(), /hash chain/);
      await restore();

      // The whole chain rewritten (entry 3 changed, every hash after it recomputed, the head
      // rebuilt): the chain verifies, the checkpoint does not.
      const rows = await entriesAfter(db, 0);
      await behindItsBack(db, 'DELETE FROM audit');
      await db.query('DELETE FROM audit_head');
      for (const r of rows)
        await recordAudit(
          db,
          {
            actor: r.id === 3 ? 'someone-else' : r.actor,
            action: r.action,
            target: r.target,
            reason: r.reason,
            detail: r.detail,
          },
          new Date(r.at),
        );
      const rewritten = await problems();
      assert.doesNotMatch(rewritten, /hash chain/, 'the rewritten chain is whole');
      assert.match(rewritten, /do not hash to the checkpoint's root/);
      await restore();
      await db.query('DELETE FROM audit_head');

      // One byte of the checkpoint: its signature, or its root.
      const sigAt = cp.note.lastIndexOf(' ') + 10;
      const flipped = `${cp.note.slice(0, sigAt)}${cp.note[sigAt] === 'A' ? 'B' : 'A'}${cp.note.slice(sigAt + 1)}`;
      await assert.rejects(checkLive(db, flipped), /NOTE_INVALID|does not verify/);
      const lines = cp.note.split('\n');
      const root = Buffer.from(lines[2] as string, 'base64');
      root.writeUInt8(root.readUInt8(0) ^ 1, 0);
      lines[2] = root.toString('base64');
      await assert.rejects(checkLive(db, lines.join('\n')), /does not verify/);
    } finally {
      await drop();
    }
  });
}

test('a checkpoint, an exported log and a proof verify in a process without a database', async () => {
  const backend = backends[0] as (typeof backends)[number];
  const { db, drop } = await backend.open();
  const dir = tempDir('unspoof-tlog-');
  try {
    await write(db, 1, 9);
    const cp = await checkpointNow(db, 'test', at(60));
    const { vkey } = await logKey(db);
    const l = await leaves(db);
    const key = parseVkey(vkey);
    const c = openCheckpoint(cp.note, key);
    const files = {
      checkpoint: path.join(dir, 'checkpoint.txt'),
      key: path.join(dir, 'log.vkey'),
      log: path.join(dir, 'audit.jsonl'),
      proof: path.join(dir, 'proof.json'),
    };
    fs.writeFileSync(files.checkpoint, cp.note);
    fs.writeFileSync(files.key, `${vkey}\n`);
    fs.writeFileSync(files.log, l.lines.map((x) => `${x}\n`).join(''));
    fs.writeFileSync(files.proof, JSON.stringify(makeInclusion(l.leaves, l.lines, cp.note, c, 4)));
    // No database anywhere: no DATABASE_URL, no case folder, run from an empty folder.
    const env = { PATH: process.env.PATH ?? '' };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'audit', 'verify', ...args], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
    const log = run('--log', files.log, '--checkpoint', files.checkpoint, '--key', files.key);
    assert.equal(log.status, 0, log.stderr);
    assert.match(log.stdout, /holds the 9 entries of the checkpoint unchanged/);
    const proof = run('--proof', files.proof, '--key', files.key);
    assert.equal(proof.status, 0, proof.stderr);
    assert.match(proof.stdout, /Entry 4 /);
    // The exported log with one entry changed: refused, naming what broke (exit 10).
    fs.writeFileSync(files.log, fs.readFileSync(files.log, 'utf8').replace('user1', 'user9'));
    const bad = run('--log', files.log, '--checkpoint', files.checkpoint, '--key', files.key);
    assert.equal(bad.status, 10);
    assert.match(
      bad.stderr,
      /AUDIT_BROKEN: the exported log does not verify: the log's first 9 entries do not hash/,
    );
    // Another key than the log's: refused.
    const other = crypto.generateKeyPairSync('ed25519').publicKey;
    fs.writeFileSync(files.key, `${formatVkey(key.name, rawPublicKey(other))}\n`);
    const wrongKey = run('--proof', files.proof, '--key', files.key);
    assert.equal(wrongKey.status, 10);
    assert.match(wrongKey.stderr, /NOTE_INVALID: the signed note is not signed by unspoof\.audit/);
  } finally {
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
