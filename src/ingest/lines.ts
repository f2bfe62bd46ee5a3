/**
 * Physical line numbers for quarantined records. DuckDB's CSV reader numbers records, not
 * lines, and does not number the records it accepts; a record's line is found from its
 * position among accepted records, the records refused before it, and the newlines that quoted
 * fields of earlier records hold.
 */
export interface LineInputs {
  /** Record number of the first data record (2 after a header). */
  firstRecord: number;
  /** Record numbers of refused records, ascending. */
  rejected: number[];
  /** Records (by record number) whose quoted fields hold newlines, with how many. */
  multiline: Array<{ record: number; newlines: number }>;
}

function upperBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class LineMap {
  private readonly thresholds: number[];
  private readonly firstRecord: number;
  private multiRecords: number[] = [];
  private multiPrefix: number[] = [0];

  constructor(firstRecord: number, rejected: number[]) {
    this.firstRecord = firstRecord;
    // Accepted records before the j-th refused one: its record number less the records before it.
    this.thresholds = rejected.map((r, j) => r - firstRecord - j);
  }

  /** Record number of the accepted record at position `ord` (0-based). */
  record(ord: number): number {
    return ord + this.firstRecord + upperBound(this.thresholds, ord);
  }

  setMultiline(multiline: Array<{ record: number; newlines: number }>): void {
    const sorted = [...multiline].sort((a, b) => a.record - b.record);
    this.multiRecords = sorted.map((m) => m.record);
    this.multiPrefix = [0];
    for (const m of sorted) this.multiPrefix.push((this.multiPrefix.at(-1) as number) + m.newlines);
  }

  /** The physical line on which a record starts. */
  line(record: number): number {
    const before = upperBound(this.multiRecords, record - 1);
    return record + (this.multiPrefix[before] as number);
  }
}
