/** `unspoof ingest`: thin handler over `ingestExport`, and the loud end of a mostly-garbage file. */
import { z } from 'zod';
import { openCase, queryRows } from '../case/store.ts';
import { isCountry } from '../numbers/route.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { UnspoofError } from '../shared/errors.ts';
import { table } from '../shared/table.ts';
import { auditCaseStep, type RecordStep } from '../audit/cli.ts';
import { ingestDetail, ingestExport, type FileResult } from './ingest.ts';
import type { CallCounts } from './load.ts';
import { FORMAT_NAMES, type Format } from './plan.ts';

/** How many of a file's most frequent quarantine reasons the threshold message names. */
const TOP_REASONS = 3;

const FRACTION = 'must be a fraction from 0 to 1, such as 0.05 for 5%';

const Options = z.object({
  case: z.string().min(1),
  timezone: z.string().optional(),
  mapping: z.string().optional(),
  brands: z.string().optional(),
  country: z
    .string()
    .transform((c) => c.toUpperCase())
    .refine(isCountry, { message: '--country must be a country code such as GB' })
    .optional(),
  outsideLine: z
    .string()
    .regex(/^[0-9]{1,3}$/, '--outside-line must be one to three digits, such as 9')
    .optional(),
  // A fraction, not a percentage: 1 turns the check off (no file is more than all quarantined).
  maxQuarantine: z
    .string()
    .regex(/^\d*\.?\d+$/, FRACTION)
    .transform(Number)
    .pipe(z.number().max(1, FRACTION))
    .default(0.05),
  json: z.boolean().optional(),
});

interface Judged extends FileResult {
  fraction: number;
  over: boolean;
  /** The file's most frequent quarantine reasons (reason → rows), for files over only. */
  reasons?: Record<string, number>;
}

/**
 * `record`: writes the step to the case's audit log (the operations store); the command line's
 * is the real one, a test of the command's output may pass one that only keeps what it is given.
 */
export async function ingestCommand(
  dir: string,
  raw: unknown,
  fx: Effects,
  record: RecordStep = auditCaseStep,
): Promise<void> {
  const opts = parseOptions(Options, raw);
  const result = await ingestExport(
    {
      exportDir: dir,
      caseDir: opts.case,
      timezone: opts.timezone,
      mappingFile: opts.mapping,
      brandsFile: opts.brands,
      country: opts.country,
      outsideLine: opts.outsideLine,
    },
    fx,
  );
  await record(opts.case, 'ingest', ingestDetail(dir, result), fx.now());
  // Doubts that did not stop the ingest (a declared zone the files' clocks disagree with):
  // on stderr, before the summary, so they are not lost under it.
  for (const w of result.warnings) fx.note(`warning: ${w}`);
  const files: Judged[] = result.files.map((f) => {
    // A record logged twice (docs/switch-records.md §1) says nothing of a wrong mapping, time
    // zone or format: it is quarantined, and not counted towards the threshold.
    const judged = f.quarantined - (f.calls?.duplicates ?? 0);
    const fraction = f.rows > 0 ? judged / f.rows : 0;
    // A skipped file was judged when it was ingested (and has no rows now); an empty one is fine.
    return { ...f, fraction, over: !f.skipped && fraction > opts.maxQuarantine };
  });
  const over = files.filter((f) => f.over);
  if (over.length > 0) {
    const reasons = await topReasons(
      opts.case,
      over.map((f) => f.fileId as number),
    );
    for (const f of over) f.reasons = reasons.get(f.fileId as number) ?? {};
  }

  if (opts.json) {
    fx.out(
      JSON.stringify({
        rows: result.rows,
        loaded: result.loaded,
        quarantined: result.quarantined,
        max_quarantine: opts.maxQuarantine,
        warnings: result.warnings,
        files: files.map((f) => ({
          file: f.file,
          format: f.format,
          kind: f.kind,
          rows: f.rows,
          loaded: f.loaded,
          quarantined: f.quarantined,
          quarantined_fraction: f.fraction,
          over_threshold: f.over,
          ...(f.calls ? { calls: f.calls } : {}),
          ...(f.reasons ? { top_reasons: f.reasons } : {}),
          ...(f.skipped ? { skipped: f.skipped } : {}),
        })),
      }),
    );
  } else {
    fx.out(
      table(
        ['file', 'format', 'kind', 'rows', 'loaded', 'quarantined'],
        [
          ...files.map((f) => [
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
    for (const f of files) if (f.calls) fx.out(callsLine(f.file, f.calls));
    if (result.quarantined > 0) {
      fx.out(
        `${result.quarantined} rows quarantined: unspoof quarantine --case ${opts.case} --out quarantine.csv`,
      );
    }
  }

  // Everything is committed by now: the files over stay in the case, and the exit status says
  // that a file was mostly garbage (a wrong mapping, time zone or format) rather than a summary
  // line nobody reads.
  if (over.length > 0) {
    throw new UnspoofError(
      'QUARANTINE_THRESHOLD',
      [
        `more than ${percent(opts.maxQuarantine)} of a file's rows quarantined (--max-quarantine ${opts.maxQuarantine}); what loaded is in the case:`,
        ...over.map(
          (f) =>
            `  ${f.file}: ${percent(f.fraction)} quarantined (${f.quarantined.toLocaleString('en-GB')} of ${f.rows.toLocaleString('en-GB')} rows): ${Object.entries(
              f.reasons ?? {},
            )
              .map(([reason, n]) => `${reason} ${n.toLocaleString('en-GB')}`)
              .join(', ')}`,
        ),
        `every quarantined row: unspoof quarantine --case ${opts.case} --out quarantine.csv`,
      ].join('\n'),
    );
  }
}

/** The most frequent quarantine reasons of each file, in one query for all of them. */
async function topReasons(
  caseDir: string,
  fileIds: readonly number[],
): Promise<Map<number, Record<string, number>>> {
  const store = await openCase(caseDir);
  try {
    const rows = await queryRows<{ file_id: number; reason: string; n: bigint }>(
      store.conn,
      // File ids are integers from this ingest, never user text.
      `SELECT file_id, reason, count(*) AS n
         FROM quarantine
        WHERE file_id IN (${fileIds.map((id) => Math.trunc(id)).join(', ')})
        GROUP BY file_id, reason
      QUALIFY row_number() OVER (PARTITION BY file_id ORDER BY count(*) DESC, reason) <= ${TOP_REASONS}
        ORDER BY file_id, n DESC, reason`,
    );
    const byFile = new Map<number, Record<string, number>>();
    for (const r of rows) {
      const reasons = byFile.get(r.file_id) ?? {};
      reasons[r.reason] = Number(r.n);
      byFile.set(r.file_id, reasons);
    }
    return byFile;
  } finally {
    store.close();
  }
}

/** What a calls file's rows were (docs/switch-records.md), the counts that are not zero. */
function callsLine(file: string, c: CallCounts): string {
  const n = (v: number) => v.toLocaleString('en-GB');
  const parts = [
    `${n(c.calls)} calls`,
    c.legs && `${n(c.legs)} other legs`,
    c.duplicates && `${n(c.duplicates)} duplicate rows`,
    c.no_account && `${n(c.no_account)} calls with no account code, under (none)`,
    c.calls_only_accounts && `${n(c.calls_only_accounts)} calls of accounts no accounts file names`,
    c.alphanumeric_caller_ids && `${n(c.alphanumeric_caller_ids)} alphanumeric caller IDs`,
    c.other_caller_ids && `${n(c.other_caller_ids)} other caller IDs that are no number`,
    c.disposition_conflicts &&
      `${n(c.disposition_conflicts)} dispositions contradicting their times`,
    c.outside_line && `${n(c.outside_line)} numbers read without the outside-line prefix`,
    c.dial_string && `${n(c.dial_string)} numbers read from the dial string`,
    c.nonexistent_times && `${n(c.nonexistent_times)} start times the zone skips`,
    c.ambiguous_times && `${n(c.ambiguous_times)} start times the zone repeats`,
  ].filter(Boolean);
  return `${file}: ${parts.join(', ')}`;
}

function percent(fraction: number): string {
  return fraction.toLocaleString('en-GB', { style: 'percent', maximumFractionDigits: 2 });
}
