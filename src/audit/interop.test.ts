/**
 * Our checkpoints and proofs checked by an implementation we did not write: Go's
 * golang.org/x/mod/sumdb/note (signed notes, Ed25519) and sumdb/tlog (RFC 6962 trees, record
 * and tree proofs), from Debian's golang-go and golang-golang-x-mod-dev, which CI installs. The
 * Go program (test/interop/tlogcheck.go) recomputes the root from the entries, opens both
 * checkpoints with our verifier key, and checks our inclusion and consistency proofs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import { checkpointNow, recordAudit } from './audit.ts';
import { entryBytes, entryText } from './entry.ts';
import { consistencyProof, inclusionProof, leafHash } from './merkle.ts';
import { entriesAfter, logKey } from './tree.ts';

const GOPATH = '/usr/share/gocode';
const PROGRAM = path.resolve(import.meta.dirname, '../../test/interop/tlogcheck.go');
const goSkip =
  spawnSync('go', ['version']).status !== 0
    ? 'go is not installed (Debian: golang-go)'
    : !fs.existsSync(path.join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog'))
      ? 'golang.org/x/mod is not installed (Debian: golang-golang-x-mod-dev)'
      : false;

function goCheck(input: unknown): { status: number | null; out: string } {
  const r = spawnSync('go', ['run', PROGRAM], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: {
      ...process.env,
      GOPATH,
      GO111MODULE: 'off',
      GOFLAGS: '',
      GOCACHE: path.join(os.tmpdir(), 'unspoof-gocache'),
    },
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test(
  "Go's sumdb/note and sumdb/tlog accept our checkpoints and proofs, and refuse a changed one",
  { skip: goSkip },
  async () => {
    const { db, drop } = await (backends[0] as (typeof backends)[number]).open();
    try {
      const write = async (from: number, n: number) => {
        for (let i = from; i < from + n; i++)
          await recordAudit(
            db,
            { actor: `user${i % 4}`, action: 'victim_view', target: `victim:${i}`, detail: { i } },
            new Date(Date.UTC(2026, 2, 1, 9, 0, i)),
          );
      };
      await write(1, 13);
      const older = await checkpointNow(db, 'test', new Date());
      await write(14, 8);
      const newer = await checkpointNow(db, 'test', new Date());
      const entries = await entriesAfter(db, 0);
      const leaves = entries.map((e) => leafHash(entryBytes(e)));
      const b64 = (hs: Buffer[]) => hs.map((h) => h.toString('base64'));
      const input = {
        vkey: (await logKey(db)).vkey,
        checkpoint: newer.note,
        older: older.note,
        entries: entries.map(entryText),
        entry: 5,
        inclusion: b64(inclusionProof(leaves, 4, 21)),
        consistency: b64(consistencyProof(leaves, 13, 21)),
      };
      const ok = goCheck(input);
      assert.equal(ok.status, 0, ok.out);
      assert.match(ok.out, /ok signature of the checkpoint at 21 entries/);
      assert.match(ok.out, /ok root of the first 21 entries/);
      assert.match(ok.out, /ok inclusion of entry 5/);
      assert.match(ok.out, /ok consistency from 13 to 21 entries/);

      const changed = goCheck({
        ...input,
        entries: input.entries.map((e, i) => (i === 2 ? e.replace('user', 'usr') : e)),
      });
      assert.equal(changed.status, 1);
      assert.match(changed.out, /FAIL the entries' tree hash at 21 is not the checkpoint's root/);
      const forged = goCheck({ ...input, checkpoint: newer.note.replace('\n21\n', '\n22\n') });
      assert.equal(forged.status, 1);
      assert.match(forged.out, /FAIL note.Open/);
    } finally {
      await drop();
    }
  },
);
