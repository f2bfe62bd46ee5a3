/**
 * The audit log: who did what, to what, when and why. Every login, every view of a victim's
 * number or report, every export and every decision goes through `recordAudit`. Rows are
 * append-only (the database refuses changes) and hash-chained: each row's hash covers the
 * previous row's hash and its own content, over gapless ids, so `verifyAudit` finds a row
 * altered or removed by someone who bypassed the database's own refusal. Each entry is also a
 * leaf of the log's RFC 6962 Merkle tree (tree.ts), whose signed checkpoints let others check
 * later that nothing was removed or rewritten, which a chain alone cannot show (docs/audit.md).
 */
import crypto from 'node:crypto';
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import { entryOfRow, entryText, type Entry, type EntryRow } from './entry.ts';
import { AUDIT_LOCK, nextHead, writeCheckpoint, type WrittenCheckpoint } from './tree.ts';

export interface AuditEntry {
  /** A user's name, `cli:<os user>` for the command line, or `portal` for the public site. */
  actor: string;
  /** A stable code: `login`, `login_failed`, `user_add`, `victim_view`, `unmask`, `export`… */
  action: string;
  target?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow extends Entry {
  hash: string;
}

const GENESIS = '0'.repeat(64);

/**
 * Records one entry inside the caller's transaction (so a decision and its audit row commit
 * together), and brings the tree's head up to date with it: three statements under the audit
 * lock — the lock, the last row and the head read together, the row and the new head written
 * together — as a chain alone took.
 */
export async function recordAuditIn(tx: OpsQuery, entry: AuditEntry, now: Date): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const [last] = await tx.query<{
    id: string | null;
    hash: string | null;
    size: string | null;
    frontier: string | null;
  }>(
    `SELECT a.id::text AS id, a.hash, h.size::text AS size, h.frontier
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT id, hash FROM audit ORDER BY audit.id DESC LIMIT 1) AS a ON true
       LEFT JOIN audit_head AS h ON true`,
  );
  const id = last?.id ? Number(last.id) + 1 : 1;
  const prev = last?.hash ?? GENESIS;
  const row: Entry = {
    id,
    at: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    reason: entry.reason ?? null,
    // As the store will give it back (jsonb of its JSON text): an undefined value dropped, a
    // Date as its string, so that what is hashed and signed is what is kept.
    detail: JSON.parse(JSON.stringify(entry.detail ?? {})) as Record<string, unknown>,
  };
  const hash = chainHash(prev, row);
  const head = await nextHead(
    tx,
    last?.size ? { size: last.size, frontier: last.frontier ?? '' } : null,
    row,
  );
  await tx.query(
    `WITH entry AS (
       INSERT INTO audit (id, at, actor, action, target, reason, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     )
     INSERT INTO audit_head (one, size, frontier) VALUES (true, $10, $11)
     ON CONFLICT (one) DO UPDATE SET size = EXCLUDED.size, frontier = EXCLUDED.frontier`,
    [
      id,
      row.at,
      row.actor,
      row.action,
      row.target,
      row.reason,
      JSON.stringify(row.detail),
      prev,
      hash,
      head.size,
      head.frontier,
    ],
  );
  return id;
}

/** Signs and keeps a checkpoint of the log as it stands, in its own transaction. */
export function checkpointNow(db: OpsDb, reason: string, now: Date): Promise<WrittenCheckpoint> {
  return db.transaction((tx) => writeCheckpoint(tx, reason, now));
}

/** Records one entry in its own transaction. */
export function recordAudit(db: OpsDb, entry: AuditEntry, now: Date): Promise<number> {
  return db.transaction((tx) => recordAuditIn(tx, entry, now));
}

export async function listAudit(
  db: OpsQuery,
  opts: { since?: Date; limit?: number; offset?: number } = {},
): Promise<AuditRow[]> {
  const rows = await db.query<DbRow>(
    `SELECT id::text AS id, at, actor, action, target, reason, detail, hash FROM audit
      WHERE $1::timestamptz IS NULL OR at >= $1
      ORDER BY audit.id LIMIT $2 OFFSET $3`,
    [opts.since?.toISOString() ?? null, opts.limit ?? 1_000_000, opts.offset ?? 0],
  );
  return rows.map(fromDb);
}

/** The newest entry of `action`, if any. */
export async function latestEntry(db: OpsQuery, action: string): Promise<AuditRow | null> {
  const [r] = await db.query<DbRow>(
    `SELECT id::text AS id, at, actor, action, target, reason, detail, hash FROM audit
      WHERE action = $1 ORDER BY audit.id DESC LIMIT 1`,
    [action],
  );
  return r ? fromDb(r) : null;
}

/** Walks the whole chain; returns the number of rows, or throws AUDIT_BROKEN at the first fault. */
export async function verifyAudit(db: OpsQuery): Promise<number> {
  let prev = GENESIS;
  let expected = 1;
  // Keyset pages (after the last id read): an OFFSET would rescan every row before it.
  for (let after = 0; ;) {
    const rows = await db.query<DbRow & { prev_hash: string }>(
      `SELECT id::text AS id, at, actor, action, target, reason, detail, prev_hash, hash
         FROM audit WHERE audit.id > $1 ORDER BY audit.id LIMIT 10000`,
      [after],
    );
    for (const r of rows) {
      const row = fromDb(r);
      const fault =
        row.id !== expected
          ? `row ${expected} is missing`
          : r.prev_hash !== prev
            ? `row ${row.id} does not follow row ${row.id - 1}`
            : chainHash(prev, row) !== row.hash
              ? `row ${row.id} was changed after it was written`
              : null;
      if (fault) throw new UnspoofError('AUDIT_BROKEN', `the audit log does not verify: ${fault}`);
      prev = row.hash;
      expected++;
      after = row.id;
    }
    if (rows.length < 10_000) return expected - 1;
  }
}

interface DbRow extends EntryRow {
  hash: string;
}

const fromDb = (r: DbRow): AuditRow => ({ ...entryOfRow(r), hash: r.hash });

function chainHash(prev: string, row: Entry): string {
  return crypto.createHash('sha256').update(prev).update('\n').update(entryText(row)).digest('hex');
}
