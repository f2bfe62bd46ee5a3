/** `unspoof xref`: thin handler over `crossReference`; hits as a table, JSON or CSV file. */
import fs from 'node:fs';
import { z } from 'zod';
import { openCase } from '../case/store.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { crossReference, type XrefRow } from './xref.ts';
import { auditExport } from '../audit/cli.ts';

const Options = z.object({
  case: z.string().min(1),
  watchlist: z.string().min(1),
  out: z.string().optional(),
  json: z.boolean().optional(),
});

const COLUMNS: Array<keyof XrefRow> = [
  'line',
  'type',
  'value',
  'source',
  'status',
  'matched_as',
  'accounts',
  'victim_tier',
  'calls',
  'first_seen',
  'last_seen',
];

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export async function xrefCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(Options, raw);
  const store = await openCase(o.case);
  let rows: XrefRow[];
  try {
    rows = await crossReference(store.conn, o.watchlist);
  } finally {
    store.close();
  }
  if (o.out) {
    await auditExport(
      o.case,
      'xref',
      { out: o.out, hits: rows.filter((r) => r.status === 'hit').length },
      fx.now(),
    );
    const lines = [
      COLUMNS.join(','),
      ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(',')),
    ];
    fs.writeFileSync(o.out, `${lines.join('\n')}\n`);
  }
  if (o.json) {
    fx.out(JSON.stringify(rows));
    return;
  }
  const entries = new Set(rows.map((r) => r.line)).size;
  const hit = new Set(rows.filter((r) => r.status === 'hit').map((r) => r.line)).size;
  fx.out(`${entries} watchlist entries, ${hit} found in the case`);
  const hits = rows.filter((r) => r.status === 'hit');
  if (hits.length) {
    fx.out(
      table(
        ['line', 'type', 'value', 'source', 'found as', 'accounts', 'tier', 'calls'],
        hits.map((r) => [
          r.line,
          r.type,
          r.value,
          r.source,
          r.matched_as,
          r.accounts,
          r.victim_tier,
          r.calls,
        ]),
      ),
    );
  }
  const refused = rows.filter((r) => r.status !== 'hit' && r.status !== 'no_match');
  for (const r of refused) fx.out(`line ${r.line}: not matched (${r.status}): ${r.type}`);
  if (o.out) fx.out(`every entry, with its hits, written to ${o.out}`);
}
