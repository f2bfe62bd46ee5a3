/**
 * The outbox's statements, prepared once per connection (parsed and planned once): what the
 * dispatcher and the receipt sweep share.
 */
import { prepared, preparedAll } from '../ops/db.ts';
import { readNamedSql, readSql } from '../shared/sql.ts';

export const CLAIM = prepared('outreach_claim', readSql(import.meta.url, 'sql/claim.sql'));
export const REC = preparedAll('outreach', readNamedSql(import.meta.url, 'sql/record.sql'));
export const MAINT = preparedAll('outreach', readNamedSql(import.meta.url, 'sql/maintain.sql'));
