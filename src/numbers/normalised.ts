/** What reading a number gives (normalise.ts), shared with the fast path (fast.ts). */
export type NumberStatus = 'valid' | 'invalid' | 'withheld' | 'special';
export type NumberProblem = 'unparseable_number' | 'unresolvable_national_number';

export type Normalised =
  | { status: 'valid'; e164: string; country: string | null }
  | { status: Exclude<NumberStatus, 'valid'>; e164: null; country: null }
  | { status: 'quarantine'; reason: NumberProblem; e164: null; country: null };
