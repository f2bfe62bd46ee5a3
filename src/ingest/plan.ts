/**
 * What ingest will do with one file: its kind, its format and where each canonical column
 * comes from (an SQL expression over the staged columns, which are all text).
 */
import type { Kind } from './kinds.ts';

export type Format =
  'csv' | 'jsonl' | 'parquet' | 'asterisk' | 'asterisk-custom' | 'freeswitch' | 'mapped';
export type Encoding = 'utf-8' | 'latin-1';

export interface FilePlan {
  path: string;
  /** The file's name as reported (relative to the export). */
  name: string;
  kind: Kind;
  format: Format;
  /** CSV layout (not used for JSONL and Parquet). */
  header: boolean;
  delimiter: string;
  /** Staged column names, in file order. */
  columns: string[];
  /** An encoding fixed by the mapping or manifest; otherwise detected. */
  encoding?: Encoding;
  /** Canonical column → SQL expression over staged columns. */
  source: Record<string, string>;
  /** Whether timestamps are the seized server's local time (switch records). */
  localTime: boolean;
  /** strptime format for timestamps, when not ISO 8601. */
  timestampFormat?: string;
  /**
   * The IANA zone of a local-time file (switch records): the declared zone, or with
   * `--timezone auto` the one its own clocks show (src/ingest/clocks.ts). Set after planning.
   */
  timezone?: string;
  /**
   * Whether the file holds a `"` at all (found while hashing). Without one no field is quoted,
   * so no record spans lines and line numbers need no search for embedded newlines.
   */
  hasQuote?: boolean;
}

export const FORMAT_NAMES: Record<Format, string> = {
  csv: 'canonical CSV',
  jsonl: 'canonical JSONL',
  parquet: 'canonical Parquet',
  asterisk: 'Asterisk Master.csv',
  'asterisk-custom': 'Asterisk cdr_custom',
  freeswitch: 'FreeSWITCH cdr-csv',
  mapped: 'mapped CSV',
};
