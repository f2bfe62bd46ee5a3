/**
 * A victim's report: one per text (message), a draft whose answers are saved page by page and
 * kept for 7 days after the last save, then sent with a crime reference. After sending, the
 * victim can come back for 7 days to read the confirmation and download their record; the
 * report itself stays with the investigation.
 */
import crypto from 'node:crypto';
import { prepared, type OpsDb, type OpsQuery } from '../ops/db.ts';
import { recordAuditIn } from '../audit/audit.ts';
import { checkSymbol, encodeSymbols, group } from '../shared/crockford.ts';
import { UnspoofError } from '../shared/errors.ts';
import { Answers, parseAnswers } from './answers.ts';
import type { Lang } from './i18n/i18n.ts';

export const KEEP_DAYS = 7;
export const SESSION_HOURS = 2;
const DAY = 86_400_000;

export interface Report {
  id: number;
  messageId: number;
  state: 'draft' | 'submitted';
  lang: Lang;
  answers: Answers;
  crimeRef: string | null;
  submittedAt: string | null;
  updatedAt: string;
  /** The victim's number: for their own calls in their record, never shown whole. */
  number: string;
  country: string;
  zones: string;
  brand: string | null;
  callDate: string | null;
}

export type Opened = { kind: 'open'; reportId: number } | { kind: 'closed'; crimeRef: string };

/** The report of a message: a new draft, the draft in progress, or (sent long ago) closed. */
export async function openReport(
  db: OpsDb,
  messageId: number,
  lang: Lang,
  now: Date,
): Promise<Opened> {
  return db.transaction(async (tx) => {
    const at = now.toISOString();
    await tx.query(
      `INSERT INTO reports (message_id, lang, created_at, updated_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (message_id) DO NOTHING`,
      [messageId, lang, at],
    );
    const [r] = await tx.query<{
      id: string;
      state: string;
      crime_ref: string | null;
      updated_at: Date | string;
      submitted_at: Date | string | null;
    }>(
      `SELECT id::text AS id, state, crime_ref, updated_at, submitted_at FROM reports WHERE message_id = $1 FOR UPDATE`,
      [messageId],
    );
    if (!r) throw new UnspoofError('INTERNAL', 'the report was not created');
    const id = Number(r.id);
    const cutoff = now.getTime() - KEEP_DAYS * DAY;
    if (r.state === 'submitted') {
      if (new Date(r.submitted_at as string).getTime() < cutoff)
        return { kind: 'closed', crimeRef: r.crime_ref as string };
    } else if (new Date(r.updated_at).getTime() < cutoff) {
      await forgetDraft(tx, id, at);
    }
    await recordAuditIn(
      tx,
      { actor: 'portal', action: 'report_open', target: `report:${id}` },
      now,
    );
    return { kind: 'open', reportId: id };
  });
}

async function forgetDraft(tx: OpsQuery, id: number, at: string) {
  await tx.query('DELETE FROM report_evidence WHERE report_id = $1', [id]);
  await tx.query(
    `UPDATE reports SET answers = '{}', created_at = $2, updated_at = $2 WHERE id = $1`,
    [id, at],
  );
}

/** Drafts untouched for 7 days lose their answers and evidence (run at start and hourly). */
export async function purgeStaleDrafts(db: OpsDb, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - KEEP_DAYS * DAY).toISOString();
  return db.transaction(async (tx) => {
    const stale = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM reports r WHERE state = 'draft' AND updated_at < $1
          AND (answers <> '{}' OR EXISTS (SELECT 1 FROM report_evidence v WHERE v.report_id = r.id))`,
      [cutoff],
    );
    for (const { id } of stale) await forgetDraft(tx, Number(id), now.toISOString());
    await tx.query('DELETE FROM portal_sessions WHERE expires_at < $1', [now.toISOString()]);
    return stale.length;
  });
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export async function startSession(db: OpsQuery, reportId: number, now: Date): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.query(
    'INSERT INTO portal_sessions (token_hash, report_id, expires_at) VALUES ($1, $2, $3)',
    [sha256(token), reportId, new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString()],
  );
  return token;
}

/** The report a portal cookie opens, or null (unknown, expired, malformed). */
const SESSION_REPORT = prepared(
  'portal_session_report',
  'SELECT report_id::text AS id FROM portal_sessions WHERE token_hash = $1 AND expires_at > $2',
);

export async function sessionReport(
  db: OpsQuery,
  token: string,
  now: Date,
): Promise<number | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await db.query<{ id: string }>(SESSION_REPORT, [sha256(token), now.toISOString()]);
  return row ? Number(row.id) : null;
}

export async function endSession(db: OpsQuery, token: string): Promise<void> {
  await db.query('DELETE FROM portal_sessions WHERE token_hash = $1', [sha256(token)]);
}

export async function loadReport(db: OpsQuery, id: number): Promise<Report> {
  const [r] = await db.query<{
    id: string;
    message_id: string;
    state: 'draft' | 'submitted';
    lang: Lang;
    answers: unknown;
    crime_ref: string | null;
    submitted_at: Date | string | null;
    updated_at: Date | string;
    number: string;
    country: string;
    zones: string;
    brand: string | null;
    call_date: string | null;
  }>(
    `SELECT r.id::text AS id, r.message_id::text AS message_id, r.state, r.lang, r.answers, r.crime_ref,
            r.submitted_at, r.updated_at, m.number, m.country, m.zones, m.brand,
            to_char(m.first_long_call, 'YYYY-MM-DD') AS call_date
       FROM reports r JOIN messages m ON m.id = r.message_id WHERE r.id = $1`,
    [id],
  );
  if (!r) throw new UnspoofError('REPORT_NOT_FOUND', 'no such report');
  return {
    id: Number(r.id),
    messageId: Number(r.message_id),
    state: r.state,
    lang: r.lang,
    answers: parseAnswers(r.answers),
    crimeRef: r.crime_ref,
    submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
    updatedAt: new Date(r.updated_at).toISOString(),
    number: r.number,
    country: r.country,
    zones: r.zones,
    brand: r.brand,
    callDate: r.call_date,
  };
}

/** Saves some answers of a draft (a sent report is not changed). */
export async function saveAnswers(
  db: OpsQuery,
  id: number,
  patch: Partial<Answers>,
  now: Date,
): Promise<void> {
  const rows = await db.query(
    `UPDATE reports SET answers = answers || $2::jsonb, updated_at = $3 WHERE id = $1 AND state = 'draft' RETURNING id`,
    [id, JSON.stringify(Answers.partial().parse(patch)), now.toISOString()],
  );
  if (rows.length === 0)
    throw new UnspoofError('REPORT_SENT', 'this report has been sent and cannot be changed');
}

export async function setLang(db: OpsQuery, id: number, lang: Lang): Promise<void> {
  await db.query('UPDATE reports SET lang = $2 WHERE id = $1', [id, lang]);
}

/** The pages a report still needs before it can be sent (in page order). */
export function missingAnswers(a: Answers): string[] {
  const missing: string[] = [];
  if (!a.when) missing.push('when');
  if (!a.organisation) missing.push('organisation');
  if (!a.asked) missing.push('asked');
  if (!a.given) missing.push('given');
  if (a.lostMoney === undefined) missing.push('money');
  else if (a.lostMoney && !(a.transactions?.length ?? 0)) missing.push('transactions');
  else if (a.lostMoney && !a.paidBy) missing.push('paid-by');
  if (!a.contact) missing.push('contact');
  return missing;
}

/** A crime reference: `UNS-` and 8 random Crockford symbols with a check symbol. */
export function crimeReference(): string {
  const s = encodeSymbols(crypto.randomBytes(8), 8);
  return `UNS-${group(s + checkSymbol(s), 4)}`;
}

/** Sends a draft: it gets its crime reference and its total lost in GBP; audited. */
export async function submitReport(db: OpsDb, id: number, now: Date): Promise<string> {
  return db.transaction(async (tx) => {
    // Two sends at once: the second waits here, then finds the report sent.
    await tx.query('SELECT 1 FROM reports WHERE id = $1 FOR UPDATE', [id]);
    const report = await loadReport(tx, id);
    if (report.state === 'submitted') return report.crimeRef as string;
    const missing = missingAnswers(report.answers);
    if (missing.length > 0)
      throw new UnspoofError('REPORT_INCOMPLETE', `the report still needs: ${missing.join(', ')}`);
    const lost = report.answers.lostMoney
      ? (report.answers.transactions ?? [])
          .filter((t) => t.currency === 'GBP')
          .reduce((sum, t) => sum + t.amountMinor, 0)
      : 0;
    const ref = crimeReference();
    await tx.query(
      `UPDATE reports SET state = 'submitted', crime_ref = $2, submitted_at = $3, updated_at = $3,
              lost_gbp_minor = $4 WHERE id = $1`,
      [id, ref, now.toISOString(), lost],
    );
    await recordAuditIn(
      tx,
      { actor: 'portal', action: 'report_submitted', target: `report:${id}` },
      now,
    );
    return ref;
  });
}
