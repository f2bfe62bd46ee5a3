/** `unspoof report`: writes the self-contained HTML report of an analysed case. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withAnalysedCase } from '../readout/analysed.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { buildReport } from './report.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  out: z.string().min(1),
  json: z.boolean().optional(),
});

export async function writeReport(caseDir: string, out: string, fx: Effects): Promise<number> {
  const title = `Case report: ${path.basename(path.resolve(caseDir))}`;
  const html = await withAnalysedCase(caseDir, async (conn) => {
    await auditExport(caseDir, 'report', { out }, fx.now());
    return buildReport(conn, title, fx);
  });
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, html);
  return Buffer.byteLength(html);
}

export async function reportCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const bytes = await writeReport(o.case, o.out, fx);
  fx.out(
    o.json
      ? JSON.stringify({ out: o.out, bytes })
      : `report written to ${o.out} (${Math.round(bytes / 1024)} KB, self-contained: open it in any browser)`,
  );
}
