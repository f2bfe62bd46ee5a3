/**
 * The outbox's statements, prepared once per connection (parsed and planned once): what the
 * dispatcher and the receipt sweep share.
 */
import { prepared, preparedAll, type OpsQuery, type Prepared } from '../ops/db.ts';
import { readNamedSql, readSql } from '../shared/sql.ts';
import type { Receipt } from './gateways/gateway.ts';

/** Serialises the outbox's housekeeping between dispatchers (a transaction-scoped advisory lock). */
export const HOUSEKEEPING_LOCK = 'SELECT pg_advisory_xact_lock(7365624)';

export const CLAIM = prepared('outreach_claim', readSql(import.meta.url, 'sql/claim.sql'));
export const REC = preparedAll('outreach', readNamedSql(import.meta.url, 'sql/record.sql'));
export const MAINT = preparedAll('outreach', readNamedSql(import.meta.url, 'sql/maintain.sql'));

/** Stores receipts in one statement, each applied to its message or segment when it names one. */
export async function storeReceipts(db: OpsQuery, receipts: Receipt[]): Promise<void> {
  if (!receipts.length) return;
  await db.query(REC.receipts as Prepared, [
    receipts.map((r) => r.messageId),
    receipts.map((r) => r.destination),
    receipts.map((r) => r.stat),
    receipts.map((r) => r.state),
    receipts.map((r) => r.doneAt?.toISOString() ?? null),
  ]);
}
