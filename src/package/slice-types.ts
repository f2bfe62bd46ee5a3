/**
 * What the partner-format writers (MISP, FollowTheMoney, CASE/UCO) are given of one country's
 * slice of a case: plain rows, already cut to the country and to least data (docs/package.md).
 * An account or a victim of another country never appears here by its id or number, only as a
 * keyed pseudonym (`other_*`, `p-…`) with its country.
 */

export interface SliceSuspect {
  account_id: string;
  username: string | null;
  email: string | null;
  /** E.164, or null. */
  phone: string | null;
  telegram: string | null;
  /** The country the account declared at sign-up (weak evidence: anyone can type it). */
  declared_country: string | null;
  /**
   * The evidence that places the user in the partner's country (docs/jurisdiction.md), e.g.
   * `declared+login_ip+phone`, and how strong it is: strong, medium or weak (declared only).
   */
  jurisdiction_basis: string;
  jurisdiction_strength: string;
  created_at: string | null;
  plan: string | null;
  score: number;
  /** `;`-separated priority rules the suspect meets ('' for none). */
  priority: string;
  calls: number;
  victims: number;
  /** The distinct login IP addresses (least data: not every login). */
  ips: string[];
}

export interface SlicePayment {
  payment_id: string;
  account_id: string;
  paid_at: string;
  amount_btc: string | null;
  /** What was paid in another currency (a card payment), and its currency. */
  amount?: string | null;
  currency?: string | null;
  /** Its value in GBP as the analysis found it (docs/money.md). */
  value_gbp: string | null;
  btc_address: string | null;
  txid: string | null;
}

/** One account's place in a crew; a crew's members of other countries are only counted. */
export interface SliceCrew {
  crew_id: string;
  account_id: string;
  crew_size: number;
}

/** A link between two accounts with its evidence; the far side may be another country's. */
export interface SliceLink {
  account_a: string;
  /** An account of this country, or `p-…` (a pseudonym) for another country's. */
  account_b: string;
  /** The far side's country when it is another country's account, else null. */
  other_country: string | null;
  type: string;
  value: string;
  first_seen: string | null;
  last_seen: string | null;
}

/** A seized file the case was made from. */
export interface SliceFile {
  file_id: number;
  name: string;
  kind: string;
  sha256: string;
  bytes: number;
  rows_loaded: number;
  rows_quarantined: number;
  ingested_at: string;
}

/** An audit log entry (docs/audit.md) that made or moved the case: the chain of custody. */
export interface SliceStep {
  /** The entry's number in the audit log. */
  entry: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

export interface SliceData {
  caseId: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** The partner's name (for MISP's sharing group, the custody's recipient). */
  partner: string;
  /** The package's id (a UUID), which every format names. */
  packageId: string;
  created: string;
  suspects: SliceSuspect[];
  payments: SlicePayment[];
  crews: SliceCrew[];
  links: SliceLink[];
  files: SliceFile[];
  steps: SliceStep[];
  /** How many victims of this country, and how many calls of its suspects, the tables hold. */
  counts: { victims: number; calls: number; reports: number };
}
