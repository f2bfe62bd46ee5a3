/**
 * Victims' reports as the console reads them: the inbox (sent reports, newest first) and one
 * report with its evidence list. Reading a report's content is audited by the caller.
 */
import type { OpsQuery } from '../ops/db.ts';
import { parseAnswers, type Answers, type EvidenceItem } from './answers.ts';
import { listEvidence } from './evidence-store.ts';

export interface InboxRow {
  id: number;
  crimeRef: string;
  submittedAt: string;
  number: string;
  country: string;
  brand: string | null;
  lostGbp: number;
  evidence: number;
  lang: string;
}

export const INBOX_PAGE = 50;

/** A sent report as the inbox lists it: the columns and their reading, shared by both queries. */
const SENT = `SELECT r.id::text AS id, r.crime_ref, r.submitted_at, m.number, m.country, m.brand,
                     r.lost_gbp_minor::text AS lost, r.lang, r.answers,
                     (SELECT count(*)::int FROM report_evidence v WHERE v.report_id = r.id) AS evidence
                FROM reports r JOIN messages m ON m.id = r.message_id
               WHERE r.state = 'submitted'`;

interface SentRow {
  id: string;
  crime_ref: string;
  submitted_at: Date | string;
  number: string;
  country: string;
  brand: string | null;
  lost: string;
  lang: string;
  answers: unknown;
  evidence: number;
}

const inboxRow = (r: SentRow): InboxRow => ({
  id: Number(r.id),
  crimeRef: r.crime_ref,
  submittedAt: new Date(r.submitted_at).toISOString(),
  number: r.number,
  country: r.country,
  brand: r.brand,
  lostGbp: Number(r.lost) / 100,
  evidence: r.evidence,
  lang: r.lang,
});

export async function inbox(
  db: OpsQuery,
  page: number,
): Promise<{ rows: InboxRow[]; total: number }> {
  const rows = await db.query<SentRow>(
    `${SENT} ORDER BY r.submitted_at DESC, r.id DESC LIMIT $1 OFFSET $2`,
    [INBOX_PAGE, (page - 1) * INBOX_PAGE],
  );
  const [count] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reports WHERE state = 'submitted'`,
  );
  return { total: count?.n ?? 0, rows: rows.map(inboxRow) };
}

export interface SentReport extends InboxRow {
  answers: Answers;
  files: EvidenceItem[];
}

export async function sentReport(db: OpsQuery, id: number): Promise<SentReport | null> {
  const [r] = await db.query<SentRow>(`${SENT} AND r.id = $1`, [id]);
  if (!r) return null;
  return { ...inboxRow(r), answers: parseAnswers(r.answers), files: await listEvidence(db, id) };
}
