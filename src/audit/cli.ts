/**
 * The command line as an audited actor: `cli:<os user>`. Every export of personal data from the
 * command line is recorded before the file is written; if the audit log cannot be written,
 * nothing is exported. Ingest and analysis are recorded once done, with what they read and made.
 */
import os from 'node:os';
import { openOps } from '../ops/open.ts';
import { recordAuditIn, type AuditEntry } from './audit.ts';
import { writeCheckpoint } from './tree.ts';

export const cliActor = (): string => `cli:${os.userInfo().username}`;

/** `what`: `victims`, `suspects`, `crews`, `graph`, `xref`, `quarantine`, `report`. */
export async function auditExport(
  caseDir: string,
  what: string,
  detail: Record<string, unknown>,
  now: Date,
): Promise<void> {
  // An export is a change of state that matters: the log is checkpointed with it.
  await recordCheckpointed(
    caseDir,
    { actor: cliActor(), action: 'export', target: what, detail },
    `export of ${what}`,
    now,
  );
}

/** Records `entry` in the case's audit log and signs a checkpoint with it, in one transaction. */
async function recordCheckpointed(
  caseDir: string,
  entry: AuditEntry,
  reason: string,
  now: Date,
): Promise<void> {
  const db = await openOps(caseDir);
  try {
    await db.transaction(async (tx) => {
      await recordAuditIn(tx, entry, now);
      await writeCheckpoint(tx, reason, now);
    });
  } finally {
    await db.close();
  }
}

export type RecordStep = (
  caseDir: string,
  action: 'ingest' | 'analysis',
  detail: Record<string, unknown>,
  now: Date,
) => Promise<void>;

/**
 * Records a step that decides what the case holds (`ingest`, `analysis`), with what it read
 * and made, and checkpoints the log with it: who ingested which files, who ran the analysis with
 * which settings and what it decided. A case's victim list is so traced back to its files and
 * rules (docs/audit.md).
 */
export async function auditCaseStep(
  caseDir: string,
  action: 'ingest' | 'analysis',
  detail: Record<string, unknown>,
  now: Date,
  actor = cliActor(),
): Promise<void> {
  await recordCheckpointed(caseDir, { actor, action, target: 'case', detail }, action, now);
}
