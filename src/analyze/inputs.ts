/**
 * What `analyze` is given beside the case (docs/money.md, docs/wallets.md,
 * docs/ip-intelligence.md): rates and block-explorer transactions are ingested as files of
 * their kind (checked, quarantined row by row, each once by SHA-256); IP lists are read into
 * ranges. Each stays in the case for every later analysis.
 */
import { openCase } from '../case/store.ts';
import { ingestExport, type InputFile } from '../ingest/ingest.ts';
import { loadIpLists, parseListArg, type ListResult } from '../ipintel/lists.ts';
import type { Effects } from '../shared/effects.ts';

export interface Inputs {
  rates?: readonly string[] | undefined;
  transactions?: readonly string[] | undefined;
  ipList?: readonly string[] | undefined;
}

export interface LoadedInputs {
  files: Array<{ file: string; kind: string; sha256: string; loaded: number; quarantined: number }>;
  ip_lists: ListResult[];
}

export async function loadInputs(
  caseDir: string,
  o: Inputs,
  fx: Effects,
): Promise<LoadedInputs | null> {
  const files: InputFile[] = [
    ...(o.rates ?? []).map((file) => ({ file, kind: 'rates' as const })),
    ...(o.transactions ?? []).map((file) => ({ file, kind: 'transactions' as const })),
  ];
  const lists = (o.ipList ?? []).map(parseListArg);
  if (files.length === 0 && lists.length === 0) return null;
  const out: LoadedInputs = { files: [], ip_lists: [] };
  if (files.length > 0) {
    const r = await ingestExport({ caseDir, inputs: files }, fx);
    for (const f of r.files) {
      out.files.push({
        file: f.file,
        kind: f.kind,
        sha256: f.sha256,
        loaded: f.loaded,
        quarantined: f.quarantined,
      });
      if (f.quarantined > 0) {
        fx.note(
          `${f.file}: ${f.quarantined} of ${f.rows} rows quarantined: unspoof quarantine --case ${caseDir}`,
        );
      }
    }
  }
  if (lists.length > 0) {
    const store = await openCase(caseDir);
    try {
      out.ip_lists = await loadIpLists(store.conn, lists, fx.now());
    } finally {
      store.close();
    }
    for (const l of out.ip_lists) {
      if (l.quarantined > 0) {
        fx.note(
          `${l.file}: ${l.quarantined} lines hold no address: unspoof quarantine --case ${caseDir}`,
        );
      }
    }
  }
  return out;
}
