/**
 * The declarative column mapping for CSVs in other layouts (docs/seized-export.md has an
 * example). Each entry names a file of the export, the kind of record it holds, and where each
 * canonical column comes from: a header name, or a 1-based column number for headerless files.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { RoutesSchema } from './manifest.ts';
import { UnspoofError } from '../shared/errors.ts';
import { KIND_NAMES, KINDS, columnsOf, type Kind } from './kinds.ts';

export const MappingEntrySchema = z
  .object({
    file: z.string().min(1),
    kind: z.enum(KIND_NAMES as [Kind, ...Kind[]]),
    header: z.boolean().default(true),
    delimiter: z.string().length(1).default(','),
    encoding: z.enum(['utf-8', 'latin-1']).optional(),
    timestamps: z.enum(['utc', 'local']).default('utc'),
    timestamp_format: z.string().optional(),
    columns: z.record(z.string(), z.union([z.string().min(1), z.number().int().positive()])),
  })
  .strict();

export const MappingSchema = z
  .object({
    files: z.array(MappingEntrySchema).min(1),
    /** Route → country (docs/numbers.md), as export.json's `routes`; the mapping's win. */
    routes: RoutesSchema.optional(),
  })
  .strict();

export type MappingEntry = z.infer<typeof MappingEntrySchema>;
export type Mapping = z.infer<typeof MappingSchema>;

export function readMapping(file: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UnspoofError('CONFIG_INVALID', `mapping file ${file}: ${(e as Error).message}`);
  }
  const parsed = MappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new UnspoofError(
      'CONFIG_INVALID',
      `mapping file ${file}: ${z.prettifyError(parsed.error)}`,
    );
  }
  for (const entry of parsed.data.files) checkEntry(file, entry);
  return parsed.data;
}

function checkEntry(file: string, entry: MappingEntry): void {
  const known = new Set(columnsOf(entry.kind));
  for (const col of Object.keys(entry.columns)) {
    if (!known.has(col)) {
      throw new UnspoofError(
        'CONFIG_INVALID',
        `mapping file ${file}: ${entry.file}: "${col}" is not a ${entry.kind} column (${[...known].join(', ')})`,
      );
    }
  }
  const missing = KINDS[entry.kind].required.filter((c) => !(c in entry.columns));
  if (missing.length > 0) {
    throw new UnspoofError(
      'CONFIG_INVALID',
      `mapping file ${file}: ${entry.file}: required ${entry.kind} columns not mapped: ${missing.join(', ')}`,
    );
  }
  if (!entry.header && Object.values(entry.columns).some((v) => typeof v === 'string')) {
    throw new UnspoofError(
      'CONFIG_INVALID',
      `mapping file ${file}: ${entry.file}: a file without header maps columns by number`,
    );
  }
}
