/**
 * The live audit log read for its tree (docs/audit.md): its entries as canonical lines, and the
 * log checked against a checkpoint of it — by the command line and by the console's audit page.
 */
import type { OpsDb } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import { verifyAudit } from './audit.ts';
import { entryText } from './entry.ts';
import { frontierRoot, leafHash, rootOf, type Hash } from './merkle.ts';
import type { VerifierKey } from './note.ts';
import { checkLeaves, leavesOf, openCheckpoint } from './proofs.ts';
import { entriesAfter, logKey, storedHead } from './tree.ts';

/** The live log's entries as canonical lines, read in batches. */
export async function logLines(db: OpsDb, upTo?: number): Promise<string[]> {
  const lines: string[] = [];
  for (;;) {
    const batch = await entriesAfter(
      db,
      lines.length,
      Math.min(upTo ?? Infinity, lines.length + 10_000),
    );
    for (const e of batch) lines.push(entryText(e));
    if (batch.length < 10_000 || (upTo !== undefined && lines.length >= upTo)) return lines;
  }
}

/**
 * The live log's leaf hashes up to `upTo`, read in batches, with the canonical lines of only the
 * entries in `keep` (the rest are hashed and dropped): what proofs of a few entries need, in 32
 * bytes an entry rather than the whole log's text.
 */
export async function logLeaves(
  db: OpsDb,
  upTo: number,
  keep: ReadonlySet<number>,
): Promise<{ leaves: Hash[]; lines: string[] }> {
  const leaves: Hash[] = [];
  const lines: string[] = [];
  while (leaves.length < upTo) {
    const batch = await entriesAfter(db, leaves.length, Math.min(upTo, leaves.length + 10_000));
    if (!batch.length) break;
    for (const e of batch) {
      const text = entryText(e);
      if (keep.has(e.id)) lines[e.id - 1] = text;
      leaves.push(leafHash(Buffer.from(text, 'utf8')));
    }
  }
  return { leaves, lines };
}

/**
 * The live log against a checkpoint of it (signed with the case's key): what does not hold —
 * entries removed, the tree's root not the checkpoint's, the hash chain broken (which names the
 * row), the stored head not the entries' — or nothing.
 */
export async function checkLive(
  db: OpsDb,
  note: string,
  /** The verifier key to trust (a partner's copy); the case's own when not given. */
  key?: VerifierKey,
): Promise<{ entries: number; size: number; problems: string[] }> {
  const c = openCheckpoint(note, key ?? (await logKey(db)).verifier);
  const lines = await logLines(db);
  const { leaves, problems } = leavesOf(lines);
  problems.push(...checkLeaves(leaves, c));
  try {
    await verifyAudit(db);
  } catch (e) {
    if (!(e instanceof UnspoofError)) throw e;
    problems.push(e.message.replace(/^the audit log does not verify: /, 'its hash chain: '));
  }
  const head = await storedHead(db).catch((e: unknown) => {
    if (!(e instanceof UnspoofError)) throw e;
    problems.push(e.message);
    return null;
  });
  if (head && head.size > leaves.length)
    problems.push(
      `the tree head kept with the log counts ${head.size} entries, the log holds ${leaves.length}: entries were removed`,
    );
  else if (head && !frontierRoot(head).equals(rootOf(leaves, 0, head.size)))
    problems.push(
      `the tree head kept with the log (${head.size} entries) is not that of its entries`,
    );
  return { entries: lines.length, size: c.size, problems };
}
