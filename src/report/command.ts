/** `unspoof report`: writes the report of an analysed case, self-contained HTML or PDF. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withAnalysedCase } from '../readout/analysed.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { buildReport, formatOf, type ReportFormat } from './report.ts';
import { caseTitle } from './title.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  format: z.enum(['html', 'pdf']).optional(),
  json: z.boolean().optional(),
});

/** Writes the report to `out` (PDF when it ends in .pdf, unless `format` says) and its size. */
export async function writeReport(
  caseDir: string,
  out: string,
  fx: Effects,
  format: ReportFormat = formatOf(out),
): Promise<number> {
  const title = caseTitle(caseDir);
  const bytes = await withAnalysedCase(caseDir, async (conn) => {
    await auditExport(caseDir, 'report', { out, format }, fx.now());
    return buildReport(conn, title, fx, format);
  });
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, bytes);
  return bytes.length;
}

export async function reportCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const format = o.format ?? formatOf(o.out);
  const bytes = await writeReport(o.case, o.out, fx, format);
  fx.out(
    o.json
      ? JSON.stringify({ out: o.out, format, bytes })
      : format === 'pdf'
        ? `report written to ${o.out} (${Math.round(bytes / 1024)} KB, PDF)`
        : `report written to ${o.out} (${Math.round(bytes / 1024)} KB, self-contained: open it in any browser)`,
  );
}
