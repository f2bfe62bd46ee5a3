/** A plain text table for terminals: numbers right-aligned with thousands separators. */
export function table(head: string[], rows: Array<Array<string | number | bigint | null>>): string {
  const fmt = (v: string | number | bigint | null) =>
    v === null ? '' : typeof v === 'string' ? v : v.toLocaleString('en-GB');
  const cells = [head, ...rows.map((r) => r.map(fmt))];
  const numeric = head.map(
    (_, i) => rows.length > 0 && rows.every((r) => typeof r[i] !== 'string' || r[i] === ''),
  );
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(head),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}
