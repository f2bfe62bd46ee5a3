/**
 * The RFC 6962 (RFC 9162 §2.1) Merkle tree over the audit log: leaf hash
 * `SHA-256(0x00 || entry)`, node hash `SHA-256(0x01 || left || right)`, the tree of n leaves split
 * at the largest power of two below n. Tree heads are kept incrementally as a compact range (the
 * roots of the perfect subtrees the leaves fill, largest first: one per set bit of the size), so
 * appending a leaf costs O(log n) hashes and no rescan. Proofs are computed from the leaf hashes;
 * the verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 and the edge cases of transparency-dev's
 * (docs/audit.md).
 */
import crypto from 'node:crypto';

export type Hash = Buffer;

const sha256 = (...parts: Uint8Array[]): Hash => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const leafHash = (entry: Uint8Array): Hash => sha256(LEAF, entry);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Hash => sha256(NODE, left, right);
/** The root of the empty tree: the hash of the empty string. */
export const EMPTY_ROOT: Hash = sha256();

/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[from:to]): the root of the leaves given as their hashes. */
export function rootOf(leaves: readonly Hash[], from = 0, to = leaves.length): Hash {
  const n = to - from;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[from] as Hash;
  const k = split(n);
  return nodeHash(rootOf(leaves, from, from + k), rootOf(leaves, from + k, to));
}

/** PATH(m, D[n]): the inclusion proof of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(
  leaves: readonly Hash[],
  index: number,
  size = leaves.length,
): Hash[] {
  if (!(index >= 0 && index < size && size <= leaves.length))
    throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  const path = (m: number, from: number, to: number): Hash[] => {
    const n = to - from;
    if (n === 1) return [];
    const k = split(n);
    return m < k
      ? [...path(m, from, from + k), rootOf(leaves, from + k, to)]
      : [...path(m - k, from + k, to), rootOf(leaves, from, from + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]): that the tree of the first `size1` leaves is a prefix of that of `size2`. */
export function consistencyProof(
  leaves: readonly Hash[],
  size1: number,
  size2 = leaves.length,
): Hash[] {
  if (!(size1 >= 0 && size1 <= size2 && size2 <= leaves.length))
    throw new RangeError(`no consistency from ${size1} to ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const sub = (m: number, from: number, to: number, whole: boolean): Hash[] => {
    const n = to - from;
    if (m === n) return whole ? [] : [rootOf(leaves, from, to)];
    const k = split(n);
    return m <= k
      ? [...sub(m, from, from + k, whole), rootOf(leaves, from + k, to)]
      : [...sub(m - k, from + k, to, false), rootOf(leaves, from, from + k)];
  };
  return sub(size1, 0, size2, true);
}

/** Whether `proof` shows the leaf `hash` at `index` in the tree of `size` with root `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  hash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size)) || index < 0 || index >= size)
    return false;
  if (!sized([hash, root, ...proof])) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r: Uint8Array = hash;
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n)
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else r = nodeHash(r, p);
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
}

/** Whether `proof` shows that the tree of `size1` (root1) is a prefix of that of `size2` (root2). */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2))) return false;
  // A proof from the empty tree proves nothing: refused, as transparency-dev's vectors say.
  if (size1 <= 0 || size2 < size1) return false;
  if (size1 === size2)
    return proof.length === 0 && root1.length === root2.length && equal(root1, root2);
  if (proof.length === 0 || !sized([root1, root2, ...proof])) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = BigInt(size1 - 1);
  let sn = BigInt(size2 - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n)
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else sr = nodeHash(sr, c);
    fn >>= 1n;
    sn >>= 1n;
  }
  return equal(fr, root1) && equal(sr, root2) && sn === 0n;
}

/** Every hash is a SHA-256 hash: 32 bytes (an empty or short one is malformed, never equal). */
const sized = (hs: readonly Uint8Array[]): boolean => hs.every((h) => h.length === 32);

const isPowerOfTwo = (n: number): boolean => n > 0 && (BigInt(n) & BigInt(n - 1)) === 0n;

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * A compact range: the roots of the perfect subtrees the first `size` leaves fill, largest
 * first (one per set bit of `size`). Enough to append and to give the root.
 */
export interface Frontier {
  size: number;
  roots: Hash[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, roots: [] };

/** The frontier after appending one leaf hash: merges as many subtrees as `size` ends in 1s. */
export function append(f: Frontier, leaf: Hash): Frontier {
  const roots = [...f.roots, leaf];
  for (let n = f.size; (n & 1) === 1; n = Math.floor(n / 2)) {
    const right = roots.pop() as Hash;
    const left = roots.pop() as Hash;
    roots.push(nodeHash(left, right));
  }
  return { size: f.size + 1, roots };
}

/** The tree's root from its frontier: the subtrees folded from the right. */
export function frontierRoot(f: Frontier): Hash {
  if (f.roots.length === 0) return EMPTY_ROOT;
  let r = f.roots[f.roots.length - 1] as Hash;
  for (let i = f.roots.length - 2; i >= 0; i--) r = nodeHash(f.roots[i] as Hash, r);
  return r;
}
