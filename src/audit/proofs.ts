/**
 * Checking the audit log against checkpoints, and proofs, with nothing but the log's verifier
 * key (docs/audit.md): a log's entries (the canonical lines of an export, or the live log's)
 * against a checkpoint; an inclusion proof; a consistency proof between two checkpoints. Each
 * check names what does not hold. No database here: a partner or a court runs these offline.
 */
import { UnspoofError } from '../shared/errors.ts';
import { entryText, type Entry } from './entry.ts';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from './merkle.ts';
import { openNote, parseCheckpoint, type Checkpoint, type VerifierKey } from './note.ts';

/** A checkpoint's signed note, opened with `key` (NOTE_INVALID if it does not verify). */
export function openCheckpoint(note: string, key: VerifierKey): Checkpoint {
  const c = parseCheckpoint(openNote(note, key));
  if (c.origin !== key.name)
    throw new UnspoofError(
      'NOTE_INVALID',
      `the checkpoint is of the log ${c.origin}, not of ${key.name}`,
    );
  return c;
}

/** The first few problems, and how many more: enough to name what broke without a flood. */
export function summarise(problems: readonly string[], shown = 3): string {
  const more = problems.length - shown;
  return `${problems.slice(0, shown).join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** The leaf hashes of canonical entry lines, each checked to be entry i+1 in canonical form. */
export function leavesOf(lines: readonly string[]): { leaves: Hash[]; problems: string[] } {
  const problems: string[] = [];
  const leaves = lines.map((line, i) => {
    let e: Entry | null = null;
    try {
      e = JSON.parse(line) as Entry;
    } catch {
      problems.push(`line ${i + 1} is not JSON`);
    }
    if (e && e.id !== i + 1)
      problems.push(`line ${i + 1} holds entry ${String(e.id)}, not ${i + 1}`);
    else if (e && entryText(e) !== line)
      problems.push(`entry ${i + 1} is not in its canonical form`);
    return leafHash(Buffer.from(line, 'utf8'));
  });
  return { leaves, problems };
}

/** What does not hold of the log's leaves against the checkpoint `c` (nothing: it holds). */
export function checkLeaves(leaves: readonly Hash[], c: Checkpoint): string[] {
  if (leaves.length < c.size)
    return [
      `the log holds ${leaves.length} entries, fewer than the ${c.size} of the checkpoint: entries ${leaves.length + 1}–${c.size} were removed`,
    ];
  if (!rootOf(leaves, 0, c.size).equals(c.root))
    return [
      `the log's first ${c.size} entries do not hash to the checkpoint's root: since it was signed, one of them was changed, removed or reordered`,
    ];
  return [];
}

export interface InclusionProof {
  type: 'inclusion';
  /** The checkpoint (a signed note) the proof is against. */
  checkpoint: string;
  /** 1-based, as the log numbers its entries. */
  entry: number;
  /** The entry's canonical text (the leaf's input). */
  text: string;
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  proof: string[];
}

export interface ConsistencyProof {
  type: 'consistency';
  from: string;
  to: string;
  size1: number;
  size2: number;
  proof: string[];
}

const b64 = (h: Hash) => h.toString('base64');

export function makeInclusion(
  leaves: readonly Hash[],
  lines: readonly string[],
  checkpoint: string,
  c: Checkpoint,
  entry: number,
): InclusionProof {
  if (!(entry >= 1 && entry <= c.size))
    throw new UnspoofError('USAGE', `the checkpoint holds entries 1–${c.size}: no entry ${entry}`);
  return {
    type: 'inclusion',
    checkpoint,
    entry,
    text: lines[entry - 1] as string,
    leaf_index: entry - 1,
    tree_size: c.size,
    leaf_hash: b64(leaves[entry - 1] as Hash),
    proof: inclusionProof(leaves, entry - 1, c.size).map(b64),
  };
}

export function makeConsistency(
  leaves: readonly Hash[],
  from: { note: string; c: Checkpoint },
  to: { note: string; c: Checkpoint },
): ConsistencyProof {
  if (from.c.size > to.c.size)
    throw new UnspoofError(
      'USAGE',
      `--from (${from.c.size} entries) is newer than --to (${to.c.size})`,
    );
  return {
    type: 'consistency',
    from: from.note,
    to: to.note,
    size1: from.c.size,
    size2: to.c.size,
    proof: consistencyProof(leaves, from.c.size, to.c.size).map(b64),
  };
}

const hashList = (l: unknown): Buffer[] =>
  Array.isArray(l) ? l.map((h) => Buffer.from(String(h), 'base64')) : [];

/** What a proof shows, in plain words, or NOTE_INVALID / AUDIT_BROKEN saying what does not hold. */
export function verifyProof(p: unknown, key: VerifierKey): string {
  const o = (p ?? {}) as Record<string, unknown>;
  if (o.type === 'inclusion') {
    const c = openCheckpoint(String(o.checkpoint), key);
    const text = String(o.text ?? '');
    const leaf = leafHash(Buffer.from(text, 'utf8'));
    const entry = Number(o.entry);
    if (o.leaf_hash !== b64(leaf))
      throw new UnspoofError('AUDIT_BROKEN', 'the proof’s leaf hash is not the hash of its entry');
    let parsed: Entry;
    try {
      parsed = JSON.parse(text) as Entry;
    } catch {
      throw new UnspoofError('NOTE_INVALID', 'the proof’s entry is not JSON');
    }
    if (parsed.id !== entry || entryText(parsed) !== text)
      throw new UnspoofError(
        'AUDIT_BROKEN',
        `the proof’s entry is not entry ${entry} in canonical form`,
      );
    if (
      Number(o.tree_size) !== c.size ||
      !verifyInclusion(entry - 1, c.size, leaf, hashList(o.proof), c.root)
    )
      throw new UnspoofError(
        'AUDIT_BROKEN',
        `entry ${entry} is not in the log of the checkpoint (${c.size} entries): the proof does not verify`,
      );
    return `Entry ${entry} (${parsed.action} by ${parsed.actor} at ${parsed.at}) is entry ${entry} of the log ${c.origin} as signed at ${c.size} entries.`;
  }
  if (o.type === 'consistency') {
    const a = openCheckpoint(String(o.from), key);
    const b = openCheckpoint(String(o.to), key);
    if (!verifyConsistency(a.size, b.size, hashList(o.proof), a.root, b.root))
      throw new UnspoofError(
        'AUDIT_BROKEN',
        `the log at ${b.size} entries does not extend the log at ${a.size}: the consistency proof does not verify`,
      );
    return `The log ${a.origin} at ${b.size} entries extends its ${a.size} entries unchanged: nothing was removed or rewritten between the two checkpoints.`;
  }
  throw new UnspoofError('NOTE_INVALID', 'not a proof: expected type "inclusion" or "consistency"');
}
