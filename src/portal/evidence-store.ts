/**
 * Evidence files of a report in the operations store: the original byte-for-byte with its
 * SHA-256, and the re-encoded copy (images) that is what anyone is shown.
 */
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { EvidenceItem } from './answers.ts';
import { EVIDENCE_LIMITS, type InspectedEvidence } from './evidence.ts';

/** A file name as shown: its last path part, control characters dropped, at most 120 characters. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return clean.slice(0, 120) || 'file';
}

/**
 * Adds a file to a draft report; the same file twice is kept once. Refused past the count limit:
 * counted and added in one transaction under the report's row lock, so uploads sent at once
 * queue and cannot pass the limit together.
 */
export async function addEvidence(
  db: OpsDb,
  reportId: number,
  name: string,
  e: InspectedEvidence,
  now: Date,
): Promise<void> {
  await db.transaction((tx) => addLocked(tx, reportId, name, e, now));
}

async function addLocked(
  db: OpsQuery,
  reportId: number,
  name: string,
  e: InspectedEvidence,
  now: Date,
): Promise<void> {
  await db.query('SELECT 1 FROM reports WHERE id = $1 FOR UPDATE', [reportId]);
  const [count] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM report_evidence WHERE report_id = $1',
    [reportId],
  );
  if ((count?.n ?? 0) >= EVIDENCE_LIMITS.maxFiles)
    throw new UnspoofError('EVIDENCE_REFUSED', `at most ${EVIDENCE_LIMITS.maxFiles} files`);
  const added = await db.query(
    `INSERT INTO report_evidence (report_id, name, type, bytes, sha256, original, display, display_type, pages, added_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM reports WHERE id = $1 AND state = 'draft'
     ON CONFLICT (report_id, sha256) DO NOTHING RETURNING id`,
    [
      reportId,
      cleanName(name),
      e.type,
      e.original.length,
      e.sha256,
      e.original,
      e.display,
      e.displayType,
      e.pages ?? null,
      now.toISOString(),
    ],
  );
  if (added.length > 0)
    await db.query('UPDATE reports SET updated_at = $2 WHERE id = $1', [
      reportId,
      now.toISOString(),
    ]);
  if (added.length === 0) {
    const [sent] = await db.query(`SELECT 1 FROM reports WHERE id = $1 AND state = 'submitted'`, [
      reportId,
    ]);
    if (sent)
      throw new UnspoofError('REPORT_SENT', 'this report has been sent and cannot be changed');
  }
}

export async function removeEvidence(
  db: OpsQuery,
  reportId: number,
  evidenceId: number,
  now: Date,
): Promise<void> {
  // A change to a draft is a save: its 7 days start again.
  await db.query(`UPDATE reports SET updated_at = $2 WHERE id = $1 AND state = 'draft'`, [
    reportId,
    now.toISOString(),
  ]);
  await db.query(
    `DELETE FROM report_evidence v USING reports r
      WHERE v.id = $2 AND v.report_id = $1 AND r.id = v.report_id AND r.state = 'draft'`,
    [reportId, evidenceId],
  );
}

export interface StoredFile {
  name: string;
  type: string;
  sha256: string;
  bytes: Buffer;
}

/** One file of a report: its display copy (`display`) or the original bytes. */
export async function evidenceFile(
  db: OpsQuery,
  reportId: number,
  evidenceId: number,
  which: 'display' | 'original',
): Promise<StoredFile | null> {
  const [row] = await db.query<{
    name: string;
    type: string;
    sha256: string;
    original: Uint8Array;
    display: Uint8Array | null;
    display_type: string | null;
  }>(
    // Only a sent report's files: a draft is the victim's until they send it.
    `SELECT v.name, v.type, v.sha256, v.original, v.display, v.display_type
       FROM report_evidence v JOIN reports r ON r.id = v.report_id AND r.state = 'submitted'
      WHERE v.id = $1 AND v.report_id = $2`,
    [evidenceId, reportId],
  );
  if (!row) return null;
  if (which === 'display') {
    if (!row.display || !row.display_type) return null;
    return {
      name: row.name,
      type: row.display_type,
      sha256: row.sha256,
      bytes: Buffer.from(row.display),
    };
  }
  return { name: row.name, type: row.type, sha256: row.sha256, bytes: Buffer.from(row.original) };
}

export async function listEvidence(db: OpsQuery, reportId: number): Promise<EvidenceItem[]> {
  const rows = await db.query<{
    id: string;
    name: string;
    type: string;
    bytes: number;
    sha256: string;
  }>(
    'SELECT id::text AS id, name, type, bytes, sha256 FROM report_evidence WHERE report_id = $1 ORDER BY report_evidence.id',
    [reportId],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
