/**
 * `export.json`: an optional manifest beside the seized files. `synth` writes one, signed
 * (docs/seized-export.md, "Synthetic exports: marked three ways").
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isCountry } from '../numbers/route.ts';
import { UnspoofError } from '../shared/errors.ts';

export const MANIFEST_FILE = 'export.json';

/** Route name → the country it leads to, as export.json or the mapping file names them. */
export const RoutesSchema = z.record(
  z.string(),
  z
    .string()
    .transform((c) => c.toUpperCase())
    .refine(isCountry, { message: 'not a country libphonenumber knows (e.g. GB)' }),
);

export const ManifestSchema = z
  .object({
    /** IANA zone of the seized server: switch records are in its local time. */
    timezone: z.string().optional(),
    /**
     * A synthetic export (never to be sent through a live gateway). One of the synth's three
     * marks, any one of which makes the case synthetic (src/case/provenance.ts).
     */
    synthetic: z.boolean().optional(),
    /**
     * The synth's signature over its data files (src/case/provenance.ts). Read as written, so
     * that a block that is not one still marks the export synthetic rather than stopping ingest.
     */
    provenance: z.unknown().optional(),
    /** Per file encoding, for files that are not UTF-8. */
    encodings: z.record(z.string(), z.enum(['utf-8', 'latin-1'])).optional(),
    /** The country each named route (dial-plan context, trunk) leads to (docs/numbers.md). */
    routes: RoutesSchema.optional(),
    /** The seized server's home country: the numbering context where no route names one. */
    country: z
      .string()
      .transform((c) => c.toUpperCase())
      .refine(isCountry, { message: 'not a country libphonenumber knows (e.g. GB)' })
      .optional(),
    /** The outside-line prefix the server's users dial before a number (`9`). */
    outside_line: z
      .string()
      .regex(/^[0-9]{1,3}$/, 'one to three digits, such as 9')
      .optional(),
  })
  .passthrough();

export type Manifest = z.infer<typeof ManifestSchema>;

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UnspoofError('CONFIG_INVALID', `${file}: ${(e as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new UnspoofError('CONFIG_INVALID', `${file}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Checks an IANA zone name; both Intl and DuckDB's ICU know the same zones. */
export function checkTimezone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new UnspoofError(
      'TIMEZONE_INVALID',
      `"${tz}" is not an IANA time zone (e.g. Europe/London)`,
    );
  }
  return tz;
}
