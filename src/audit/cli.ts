/**
 * The command line as an audited actor: `cli:<os user>`. Every export of personal data from the
 * command line is recorded before the file is written; if the audit log cannot be written,
 * nothing is exported.
 */
import os from 'node:os';
import { openOps } from '../ops/open.ts';
import { recordAudit } from './audit.ts';

export const cliActor = (): string => `cli:${os.userInfo().username}`;

/** `what`: `victims`, `suspects`, `crews`, `graph`, `xref`, `quarantine`, `report`. */
export async function auditExport(
  caseDir: string,
  what: string,
  detail: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const db = await openOps(caseDir);
  try {
    await recordAudit(db, { actor: cliActor(), action: 'export', target: what, detail }, now);
  } finally {
    await db.close();
  }
}
