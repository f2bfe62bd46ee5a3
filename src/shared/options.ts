/** Validates a command's options with its zod schema; a failure is a usage error that says why. */
import { z } from 'zod';
import { UnspoofError } from './errors.ts';

export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UnspoofError('USAGE', z.prettifyError(parsed.error));
  return parsed.data;
}
