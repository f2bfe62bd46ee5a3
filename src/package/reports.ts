/**
 * The victims' reports that go into a country's package: sent reports of that country's
 * victims who agreed that the police may share what they told them with other forces (the
 * portal's consent question), with their evidence files as the victim uploaded them: the
 * originals, byte for byte, whose SHA-256 the victim's own record states, because a court
 * compares the two (a photo may carry its metadata; the victim agreed to share what they gave).
 * Least data: the victim's e-mail address stays with the unit (the partner contacts a victim
 * through it); the report's answers, crime reference and evidence go.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OpsQuery } from '../ops/db.ts';

interface ReportRow {
  id: string;
  crime_ref: string;
  submitted_at: Date | string;
  lang: string;
  number: string;
  answers: Record<string, unknown> | string;
}

const BATCH_BYTES = 64 * 1024 * 1024;

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/** Writes `reports/reports.json` and `reports/evidence/*` under `dir`; returns how many. */
export async function writeReports(db: OpsQuery, country: string, dir: string): Promise<number> {
  const rows = await db.query<ReportRow>(
    `SELECT r.id::text AS id, r.crime_ref, r.submitted_at, r.lang, m.number, r.answers
     FROM reports r JOIN messages m ON m.id = r.message_id
     WHERE r.state = 'submitted' AND m.country = $1
       AND (r.answers -> 'contact' ->> 'consent')::boolean IS TRUE
     ORDER BY r.submitted_at, r.id`,
    [country],
  );
  if (!rows.length) return 0;
  const out = path.join(dir, 'reports');
  fs.mkdirSync(path.join(out, 'evidence'), { recursive: true });
  const evidence = new Map<string, Array<Record<string, unknown>>>();
  // The files' sizes first, then their bytes a batch at a time, each batch at most BATCH_BYTES
  // (one file larger than that alone): a country's evidence never sits in memory at once.
  const listed = await db.query<{ id: string; report_id: string; bytes: number }>(
    `SELECT id::text AS id, report_id::text AS report_id, bytes FROM report_evidence
     WHERE report_id = ANY ($1::bigint[]) ORDER BY report_id, id`,
    [rows.map((r) => r.id)],
  );
  for (let i = 0; i < listed.length;) {
    let bytes = 0;
    let j = i;
    while (j < listed.length && (j === i || bytes + Number(listed[j]!.bytes) <= BATCH_BYTES))
      bytes += Number(listed[j++]!.bytes);
    const files = await db.query<{
      report_id: string;
      name: string;
      type: string;
      bytes: number;
      sha256: string;
      original: Buffer;
    }>(
      `SELECT report_id::text AS report_id, name, type, bytes, sha256, original
       FROM report_evidence WHERE id = ANY ($1::bigint[]) ORDER BY report_id, id`,
      [listed.slice(i, j).map((e) => e.id)],
    );
    i = j;
    for (const f of files) {
      const file = `evidence/${f.sha256}.${EXT[f.type] ?? 'bin'}`;
      fs.writeFileSync(path.join(out, file), f.original);
      const list = evidence.get(f.report_id) ?? [];
      list.push({ name: f.name, type: f.type, bytes: f.bytes, sha256: f.sha256, file });
      evidence.set(f.report_id, list);
    }
  }
  const reports = rows.map((r) => {
    const answers = (typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers) as Record<
      string,
      unknown
    >;
    const contact = answers.contact as Record<string, unknown> | undefined;
    return {
      crime_ref: r.crime_ref,
      submitted_at: new Date(r.submitted_at).toISOString(),
      lang: r.lang,
      victim: r.number,
      answers: { ...answers, contact: contact && { way: contact.way, consent: contact.consent } },
      evidence: evidence.get(r.id) ?? [],
    };
  });
  fs.writeFileSync(path.join(out, 'reports.json'), `${JSON.stringify(reports, null, 2)}\n`);
  return reports.length;
}
