/**
 * The Merkle tree against published vectors and against itself: every inclusion and consistency
 * case of transparency-dev/merkle's test data (RFC 6962 trees; vendored in test/vectors/rfc6962,
 * and read from ../shared/testdata/rfc6962 too where that folder is present) is accepted or
 * refused as the vectors say; the tree heads of small logs are golden; proofs made here verify
 * for every leaf and every pair of sizes, and the incremental head equals the full root.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  append,
  consistencyProof,
  EMPTY_FRONTIER,
  frontierRoot,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type Frontier,
} from './merkle.ts';

const root = path.resolve(import.meta.dirname, '../..');
const folders = [
  path.join(root, 'test/vectors/rfc6962'),
  path.resolve(root, '../shared/testdata/rfc6962'),
].filter((d) => fs.existsSync(d));

function cases(dir: string): Array<{ file: string; c: Record<string, unknown> }> {
  const out: Array<{ file: string; c: Record<string, unknown> }> = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith('.json')) {
      const file = path.join(e.parentPath, e.name);
      out.push({ file, c: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> });
    }
  return out;
}

const b64 = (s: unknown): Buffer => Buffer.from(String(s ?? ''), 'base64');
const hashes = (l: unknown): Buffer[] => ((l as string[] | null) ?? []).map(b64);

for (const dir of folders) {
  test(`every RFC 6962 inclusion vector in ${path.relative(root, dir)}`, () => {
    const all = cases(path.join(dir, 'inclusion'));
    assert.ok(all.length > 50, `${all.length} inclusion cases`);
    for (const { file, c } of all) {
      const ok = verifyInclusion(
        Number(c.leafIdx),
        Number(c.treeSize),
        b64(c.leafHash),
        hashes(c.proof),
        b64(c.root),
      );
      assert.equal(ok, !c.wantErr, `${path.relative(dir, file)}: ${String(c.desc)}`);
    }
  });

  test(`every RFC 6962 consistency vector in ${path.relative(root, dir)}`, () => {
    const all = cases(path.join(dir, 'consistency'));
    assert.ok(all.length > 50, `${all.length} consistency cases`);
    for (const { file, c } of all) {
      const ok = verifyConsistency(
        Number(c.size1),
        Number(c.size2),
        hashes(c.proof),
        b64(c.root1),
        b64(c.root2),
      );
      assert.equal(ok, !c.wantErr, `${path.relative(dir, file)}: ${String(c.desc)}`);
    }
  });
}

// The eight leaves of RFC 6962's reference test data (transparency-dev/merkle's testonly).
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => leafHash(Buffer.from(h, 'hex')));

test('tree heads of small logs are golden', () => {
  const heads = LEAVES.map((_, i) => rootOf(LEAVES.slice(0, i + 1)).toString('hex'));
  assert.deepEqual(heads, [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ]);
  assert.equal(
    rootOf([]).toString('hex'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

test('every proof made here verifies, and a changed one does not', () => {
  const leaves = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
  for (let size = 1; size <= leaves.length; size++) {
    const r = rootOf(leaves.slice(0, size));
    for (let i = 0; i < size; i++) {
      const p = inclusionProof(leaves, i, size);
      assert.ok(verifyInclusion(i, size, leaves[i] as Buffer, p, r), `leaf ${i} of ${size}`);
      assert.ok(!verifyInclusion(i, size, leaves[(i + 1) % size] as Buffer, p, r) || size === 1);
      if (p.length) {
        const bad = p.map((h) => Buffer.from(h));
        const first = bad[0] as Buffer;
        first.writeUInt8(first.readUInt8(0) ^ 1, 0);
        assert.ok(!verifyInclusion(i, size, leaves[i] as Buffer, bad, r));
      }
    }
    for (let size1 = 1; size1 <= size; size1++) {
      const p = consistencyProof(leaves, size1, size);
      const r1 = rootOf(leaves.slice(0, size1));
      assert.ok(verifyConsistency(size1, size, p, r1, r), `${size1} → ${size}`);
      if (size1 < size) assert.ok(!verifyConsistency(size1, size, p, r, r1));
    }
  }
});

test('the incremental head equals the full root at every size', () => {
  const leaves = Array.from({ length: 300 }, (_, i) => leafHash(Buffer.from(String(i))));
  let f: Frontier = EMPTY_FRONTIER;
  assert.deepEqual(frontierRoot(f), rootOf([]));
  for (let i = 0; i < leaves.length; i++) {
    f = append(f, leaves[i] as Buffer);
    assert.equal(f.roots.length, (i + 1).toString(2).replaceAll('0', '').length);
    assert.deepEqual(frontierRoot(f), rootOf(leaves.slice(0, i + 1)), `size ${i + 1}`);
  }
});
