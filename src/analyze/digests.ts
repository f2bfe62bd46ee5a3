/**
 * The digests of an analysis's decisions, for its audit entry (docs/audit.md): per output, its
 * rows and the SHA-256 of one line a row, joined by newlines, in the order given, each line the
 * row's deciding columns as a JSON array of strings (null for NULL: unambiguous, whatever a
 * value holds) —
 * so that a victim list can be traced back to the analysis that made it, and anyone with DuckDB
 * can recompute a digest from the case. Only the columns that decide (who is a victim and of
 * which tier, each suspect's score and priority, the links and crews) are hashed: the whole
 * rows as text took 7 s a million victims, these a second or two.
 */
import { openCase, queryRows } from '../case/store.ts';

/** Each output: its table, the columns written of a row, and the rows' order. */
export const OUTPUTS = {
  victims: { columns: ['number', 'tier'], order: 'number' },
  suspects: { columns: ['account_id', 'score', 'priority', 'country'], order: 'account_id' },
  links: {
    columns: ['account_a', 'account_b', 'type', 'value'],
    order: 'account_a, account_b, type, value',
  },
  crews: { columns: ['crew_id', 'account_id'], order: 'crew_id, account_id' },
} as const;

export type OutputDigests = Record<keyof typeof OUTPUTS, { rows: number; sha256: string }>;

export async function outputDigests(caseDir: string): Promise<OutputDigests> {
  const store = await openCase(caseDir);
  try {
    const out = {} as OutputDigests;
    for (const [table, o] of Object.entries(OUTPUTS)) {
      const line = `CAST(to_json([${o.columns.map((c) => `CAST(${c} AS VARCHAR)`).join(', ')}]) AS VARCHAR)`;
      const [r] = await queryRows<{ n: bigint | number; h: string }>(
        store.conn,
        `SELECT count(*) AS n,
                sha256(coalesce(string_agg(${line}, chr(10) ORDER BY ${o.order}), '')) AS h
           FROM ${table}`,
      );
      out[table as keyof typeof OUTPUTS] = { rows: Number(r?.n ?? 0), sha256: String(r?.h) };
    }
    return out;
  } finally {
    store.close();
  }
}
