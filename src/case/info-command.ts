/** `unspoof case info`: what the case holds, as tables or JSON. */
import { z } from 'zod';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { caseInfo, type CaseInfo } from './info.ts';
import { openCase } from './store.ts';

const Options = z.object({ case: z.string().min(1), json: z.boolean().optional() });

export async function infoCommand(raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(Options, raw);
  const store = await openCase(opts.case);
  let info: CaseInfo;
  try {
    info = await caseInfo(store.conn);
  } finally {
    store.close();
  }
  if (opts.json) {
    fx.out(JSON.stringify(info));
    return;
  }
  fx.out(printInfo(opts.case, info));
}

export function printInfo(dir: string, info: CaseInfo): string {
  const t = info.totals;
  const parts = [
    `Case ${dir}${info.synthetic ? '  (SYNTHETIC DATA — never to be sent through a live gateway)' : ''}`,
    '',
    table(
      ['records', 'count'],
      [
        'accounts',
        'calls',
        'answered_calls',
        'distinct_dialed_numbers',
        'payments',
        'logins',
        'captures',
        'brands',
        'quarantined',
      ].map((k) => [k.replaceAll('_', ' '), Number(t[k] ?? 0)]),
    ),
    '',
    `calls from ${t.first_call_at ?? '—'} to ${t.last_call_at ?? '—'}; paid £${Number(t.paid_gbp ?? 0).toLocaleString('en-GB', { maximumFractionDigits: 0 })}`,
    '',
    table(
      ['file', 'kind', 'format', 'rows', 'loaded', 'quarantined'],
      info.files.map((f) => [f.file, f.kind, f.format, f.rows, f.loaded, f.quarantined]),
    ),
    '',
    table(
      ['dialled country', 'calls', 'numbers'],
      info.dialed_countries.map((c) => [c.country, c.calls, c.numbers]),
    ),
  ];
  if (Object.keys(info.quarantine).length > 0) {
    parts.push(
      '',
      table(
        ['quarantine reason', 'rows'],
        Object.entries(info.quarantine).map(([r, n]) => [r, n]),
      ),
    );
  }
  return parts.join('\n');
}
