/** `unspoof ingest`: thin handler over `ingestExport`. */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { ingestExport } from './ingest.ts';
import { FORMAT_NAMES, type Format } from './plan.ts';

const Options = z.object({
  case: z.string().min(1),
  timezone: z.string().optional(),
  mapping: z.string().optional(),
  brands: z.string().optional(),
  json: z.boolean().optional(),
});

export async function ingestCommand(dir: string, raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(Options, raw);
  const result = await ingestExport(
    {
      exportDir: dir,
      caseDir: opts.case,
      timezone: opts.timezone,
      mappingFile: opts.mapping,
      brandsFile: opts.brands,
    },
    fx,
  );
  if (opts.json) {
    fx.out(
      JSON.stringify({
        rows: result.rows,
        loaded: result.loaded,
        quarantined: result.quarantined,
        files: result.files.map((f) => ({
          file: f.file,
          format: f.format,
          kind: f.kind,
          rows: f.rows,
          loaded: f.loaded,
          quarantined: f.quarantined,
          ...(f.skipped ? { skipped: f.skipped } : {}),
        })),
      }),
    );
    return;
  }
  fx.out(
    table(
      ['file', 'format', 'kind', 'rows', 'loaded', 'quarantined'],
      [
        ...result.files.map((f) => [
          f.file,
          f.skipped
            ? `${FORMAT_NAMES[f.format as Format]} (already ingested)`
            : FORMAT_NAMES[f.format as Format],
          f.kind,
          f.rows,
          f.loaded,
          f.quarantined,
        ]),
        ['total', '', '', result.rows, result.loaded, result.quarantined],
      ],
    ),
  );
  if (result.quarantined > 0) {
    fx.out(
      `${result.quarantined} rows quarantined: unspoof quarantine --case ${opts.case} --out quarantine.csv`,
    );
  }
}
