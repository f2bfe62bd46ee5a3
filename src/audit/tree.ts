/**
 * The audit log's Merkle tree in the operations store (migration 013, docs/audit.md): the head
 * is brought up to date inside the transaction that writes an entry (under the audit lock), and
 * checkpoints are signed notes of it, written by `writeCheckpoint`. The log's signing key is an
 * Ed25519 key made once per case and kept with the case's other keys (`ops_meta`); its verifier
 * key (vkey) is what a partner or a court is given.
 */
import crypto from 'node:crypto';
import { claimMeta, type OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import { entryBytes, entryOfRow, type Entry, type EntryRow } from './entry.ts';
import {
  append,
  EMPTY_FRONTIER,
  frontierRoot,
  leafHash,
  type Frontier,
  type Hash,
} from './merkle.ts';
import {
  formatCheckpoint,
  formatVkey,
  keyId,
  rawPublicKey,
  signNote,
  type VerifierKey,
} from './note.ts';

/** The advisory lock every audit write and checkpoint takes ('audt'). */
export const AUDIT_LOCK = 0x61756474;

interface HeadRow {
  size: string;
  frontier: string;
}

/** The head as kept, refused (AUDIT_BROKEN) unless it has one 32-byte root per set bit of its size. */
function toFrontier(r: HeadRow | undefined): Frontier {
  if (!r) return EMPTY_FRONTIER;
  const size = Number(r.size);
  const roots = r.frontier ? r.frontier.split(',').map((h) => Buffer.from(h, 'hex')) : [];
  const bits = size.toString(2).replaceAll('0', '').length;
  if (!Number.isSafeInteger(size) || roots.length !== bits || roots.some((h) => h.length !== 32))
    throw new UnspoofError(
      'AUDIT_BROKEN',
      `the tree head kept with the audit log is malformed (size ${r.size}): verify the log against a checkpoint`,
    );
  return { size, roots };
}

/** Refuses a head ahead of the log: entries it counted are gone. */
function notAhead(f: Frontier, entries: number): void {
  if (f.size > entries)
    throw new UnspoofError(
      'AUDIT_BROKEN',
      `the tree head kept with the audit log counts ${f.size} entries, the log holds ${entries}: entries were removed`,
    );
}

/** The entries after `after`, in order, as the log holds them (for a head behind the log). */
export async function entriesAfter(db: OpsQuery, after: number, upTo?: number): Promise<Entry[]> {
  const rows = await db.query<EntryRow>(
    `SELECT id::text AS id, at, actor, action, target, reason, detail FROM audit
      WHERE audit.id > $1 AND ($2::bigint IS NULL OR audit.id <= $2) ORDER BY audit.id`,
    [after, upTo ?? null],
  );
  return rows.map(entryOfRow);
}

/**
 * The tree's head with the entry `e` added, as kept (`audit_head`'s columns): from `head` as
 * read with the last entry (null: none yet), caught up first from the log when it is behind
 * (a log written before the tree, or a head reset). Run under the audit lock.
 */
export async function nextHead(
  tx: OpsQuery,
  head: HeadRow | null,
  e: Entry,
): Promise<{ size: number; frontier: string }> {
  const f = append(await caughtUp(tx, head, e.id - 1), leafHash(entryBytes(e)));
  return { size: f.size, frontier: f.roots.map((h) => h.toString('hex')).join(',') };
}

/**
 * The head as kept, brought up to the log's first `size` entries from the log itself; refused
 * (AUDIT_BROKEN) when it is ahead of them, or they are not gapless.
 */
async function caughtUp(tx: OpsQuery, head: HeadRow | null, size: number): Promise<Frontier> {
  let f = toFrontier(head ?? undefined);
  notAhead(f, size);
  if (f.size < size)
    for (const e of await entriesAfter(tx, f.size, size)) f = append(f, leafHash(entryBytes(e)));
  if (f.size !== size)
    throw new UnspoofError('AUDIT_BROKEN', `the audit log's ids are not gapless up to ${size}`);
  return f;
}

/** The tree head kept with the log, if any. */
export async function storedHead(db: OpsQuery): Promise<Frontier | null> {
  const [row] = await db.query<HeadRow>('SELECT size::text AS size, frontier FROM audit_head');
  return row ? toFrontier(row) : null;
}

/** The log's signing key and its name (the checkpoints' origin), made once per case. */
export async function logKey(
  db: OpsQuery,
): Promise<{ name: string; privateKey: crypto.KeyObject; vkey: string; verifier: VerifierKey }> {
  const made = crypto.generateKeyPairSync('ed25519').privateKey;
  const der = await claimMeta(
    db,
    'audit_log_key',
    made.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  );
  const privateKey = crypto.createPrivateKey({
    key: Buffer.from(der, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const [c] = await db.query<{ value: string }>(`SELECT value FROM ops_meta WHERE key = 'case_id'`);
  const name = `unspoof.audit/${c?.value ?? 'case'}`;
  const publicKey = rawPublicKey(crypto.createPublicKey(privateKey));
  return {
    name,
    privateKey,
    vkey: formatVkey(name, publicKey),
    verifier: { name, id: keyId(name, publicKey), publicKey },
  };
}

export interface WrittenCheckpoint {
  id: number;
  size: number;
  root: Hash;
  note: string;
}

/**
 * Signs a checkpoint of the log as it stands (its head caught up first) and keeps it. Call it
 * in the transaction of the change it marks, after that change's audit entry.
 */
export async function writeCheckpoint(
  tx: OpsQuery,
  reason: string,
  now: Date,
): Promise<WrittenCheckpoint> {
  // Under the audit lock (taken again if the caller holds it): no entry between head and note.
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const [last] = await tx.query<{ id: string | null }>('SELECT max(id)::text AS id FROM audit');
  const size = Number(last?.id ?? 0);
  const [row] = await tx.query<HeadRow>('SELECT size::text AS size, frontier FROM audit_head');
  const root = frontierRoot(await caughtUp(tx, row ?? null, size));
  const key = await logKey(tx);
  const note = signNote(
    formatCheckpoint({ origin: key.name, size, root }),
    key.name,
    key.privateKey,
  );
  const [cp] = await tx.query<{ id: string }>(
    `INSERT INTO audit_checkpoints (size, root, note, at, reason) VALUES ($1, $2, $3, $4, $5)
     RETURNING id::text AS id`,
    [size, root.toString('hex'), note, now.toISOString(), reason],
  );
  return { id: Number(cp?.id), size, root, note };
}

/** The latest checkpoint written, if any. */
export async function latestCheckpoint(
  db: OpsQuery,
): Promise<{ id: number; size: number; at: string; reason: string; note: string } | null> {
  const [r] = await db.query<{
    id: string;
    size: string;
    at: Date | string;
    reason: string;
    note: string;
  }>(
    `SELECT id::text AS id, size::text AS size, at, reason, note FROM audit_checkpoints
      ORDER BY audit_checkpoints.id DESC LIMIT 1`,
  );
  return r
    ? {
        id: Number(r.id),
        size: Number(r.size),
        at: new Date(r.at).toISOString(),
        reason: r.reason,
        note: r.note,
      }
    : null;
}
