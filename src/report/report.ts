/** Builds the report of an analysed case: its model once, then HTML or PDF. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Effects } from '../shared/effects.ts';
import { renderPage } from './html.ts';
import { caseReport } from './model.ts';
import { reportPdf } from './pdf.ts';
import type { CaseTitle } from './title.ts';

export { SCORE_FORMULA } from './model.ts';

export type ReportFormat = 'html' | 'pdf';

/** `report.pdf` → pdf; anything else is the HTML page. */
export const formatOf = (file: string): ReportFormat =>
  file.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html';

export async function buildReport(
  conn: DuckDBConnection,
  title: CaseTitle,
  fx: Effects,
  format: ReportFormat = 'html',
): Promise<Buffer> {
  const now = fx.now();
  const model = await caseReport(conn, { title, now });
  return format === 'pdf' ? reportPdf(model, now) : Buffer.from(renderPage(model));
}
