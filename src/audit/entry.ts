/**
 * An audit entry's canonical encoding (docs/audit.md): the UTF-8 bytes of the JSON object
 * `{action, actor, at, detail, id, reason, target}` with object keys sorted at every level and
 * no spaces (RFC 8785's JSON Canonicalization Scheme for the values a log holds: strings,
 * integers, booleans, null, arrays and objects). These bytes are what the hash chain and the
 * Merkle tree's leaves hash, and what an exported log holds, one entry per line.
 */
export interface Entry {
  id: number;
  /** ISO 8601, UTC, milliseconds. */
  at: string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

/** JSON with object keys sorted at every level: the same content always hashes the same. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The entry's canonical text (one line: JSON escapes every newline). */
export function entryText(e: Entry): string {
  return canonical({
    id: e.id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    reason: e.reason,
    detail: e.detail,
  });
}

export const entryBytes = (e: Entry): Buffer => Buffer.from(entryText(e), 'utf8');

/** An entry as the store returns it (`id::text AS id`; `detail` as JSON or its text). */
export interface EntryRow {
  id: string;
  at: Date | string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  detail: Record<string, unknown> | string;
}

export function entryOfRow(r: EntryRow): Entry {
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    reason: r.reason,
    detail:
      typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
  };
}
