/** Reads a `.sql` file that sits beside the module that runs it (cached). */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string>();

export function readSql(moduleUrl: string, name: string): string {
  const file = fileURLToPath(new URL(name, moduleUrl));
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    cache.set(file, text);
  }
  return text;
}

/** Quotes an SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Quotes an SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/**
 * The statements of a `.sql` file that holds several, each headed `-- name: x` (what comes
 * before the first heading is the file's comment).
 */
export function readNamedSql(moduleUrl: string, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of readSql(moduleUrl, name)
    .split(/^-- name: /m)
    .slice(1)) {
    const nl = part.indexOf('\n');
    out[part.slice(0, nl).trim()] = part
      .slice(nl + 1)
      .trim()
      .replace(/;$/, '');
  }
  return out;
}
