/**
 * Shape and calibration of a synthetic export. Scale 1 is iSpoof as published: 59,000 accounts,
 * 10,000,000 calls over December 2020 – November 2022. Every count below scales linearly with
 * `scale = calls / 10,000,000`, so proportions (and the victim tiers) hold at any size.
 *
 * Calibration (measured, see src/synth/README.md): with the constants below the GB `likely`
 * tier is ≈ 1,400 numbers at --calls 200000 and ≈ 70,000 at scale 1, the order of the
 * ~70,000 UK victims the Met texted.
 */
export const FULL_CALLS = 10_000_000;
export const FULL_ACCOUNTS = 59_000;
export const DEFAULT_CALLS = 200_000;

/** The service's life: 2020-12-01 00:00 UTC to 2022-12-01 00:00 UTC (exclusive), in seconds. */
export const PERIOD_START = Date.UTC(2020, 11, 1) / 1000;
export const PERIOD_END = Date.UTC(2022, 11, 1) / 1000;
export const TIMEZONE = 'Europe/London';
/** The outside-line prefix Asterisk exports declare (`"outside_line"` in export.json). */
export const OUTSIDE_LINE = '9';

/** Destination countries and their share of calls (published: 40% US, 35% UK, rest). */
export const DEST_SHARES: ReadonlyArray<readonly [string, number]> = [
  ['US', 0.4],
  ['GB', 0.35],
  ['NL', 0.08],
  ['AU', 0.06],
  ['FR', 0.05],
  ['IE', 0.03],
  ['CA', 0.03],
];

/**
 * Account countries (alpha-2); a few further accounts get an empty country. The destination
 * countries in proportion to DEST_SHARES (87%), so that sessions dialling the account's own
 * country (ACCOUNT_DEST_MATCH) leave the destination shares as published; the rest elsewhere.
 */
export const ACCOUNT_COUNTRIES: ReadonlyArray<readonly [string, number]> = [
  ...DEST_SHARES.map(([c, share]) => [c, share * 0.87] as const),
  ['RO', 0.04],
  ['NG', 0.04],
  ['ES', 0.03],
  ['DE', 0.02],
];
/**
 * Share of sessions that dial the account's own declared country when it is a destination
 * country; the others draw from DEST_SHARES. About 28% of sessions then dial victims of another
 * country than the account's.
 */
export const ACCOUNT_DEST_MATCH = 0.72;
/** Sessions whose route names the destination's country, another country, or none (the rest). */
export const DEST_ROUTE_SHARE = 0.4;
export const OTHER_ROUTE_SHARE = 0.01;
/** Caller IDs: a brand of the destination, a spoofed local number, or withheld (the rest). */
export const BRAND_CALLER_SHARE = 0.72;
export const SPOOFED_CALLER_SHARE = 0.18;
/**
 * Truly ambiguous victims per destination country (at least MIN_AMBIGUOUS): every call to them
 * is written so that the rules of docs/numbers.md flag it for review.
 */
export const AMBIGUOUS_SHARE = 0.005;
export const MIN_AMBIGUOUS = 2;

/** Share of accounts with an empty country (at least MIN_NO_COUNTRY of them). */
export const NO_COUNTRY_SHARE = 0.002;
export const MIN_NO_COUNTRY = 3;

/** Victim pool per destination country: one number per POOL_DIVISOR calls to that country. */
export const POOL_DIVISOR = 10;
/** Victims are picked as floor(pool * u^VICTIM_SKEW): a few numbers are called very often. */
export const VICTIM_SKEW = 2.2;
/** Share of calls that reach the callee (ANSWERED). */
export const ANSWER_RATE = 0.35;
/**
 * Of answered calls, the share that lasts 60 connected seconds or more. This is the knob that
 * calibrates the `likely` tier (GB likely ≈ 0.7% of GB calls ≈ 70,000 at scale 1).
 */
export const LONG_CALL_SHARE = 0.092;
/** Of answered calls of 60 s or more, the share where a code was captured. */
export const CAPTURE_SHARE = 0.12;

/** What a well-formed call dials, besides victims (shares of well-formed calls). */
export const OWN_NUMBER_SHARE = 0.004;
export const BRAND_DIAL_SHARE = 0.008;
export const IVR_SHARE = 0.004;
/** Dial-plan artefacts dialled (docs/switch-records.md §7): none is a victim. */
export const IVR_DESTINATIONS = [
  '1001',
  '*97',
  's',
  '999999',
  '0000000000',
  'voicemail',
  'SIP/1001-0000002a',
  'h',
  'sip:2001@pbx.example.com',
] as const;

/**
 * How real switches write what the rules of docs/switch-records.md read. Shares of calls
 * (sessions for caller IDs); each is small, so the published proportions hold.
 */
/** §1: calls written as 2–3 legs (a forked dial) in Asterisk and canonical exports. */
export const MULTI_LEG_SHARE = 0.04;
/** §2: answered calls written as a record that contradicts itself (Asterisk, canonical). */
export const CONFLICT_SHARE = 0.012;
/** §2: canonical dispositions written in another case (`busy`, `No Answer`). */
export const DISPOSITION_CASE_SHARE = 0.03;
/** §3: calls with an empty account code (loaded under `(none)`). */
export const NO_ACCOUNT_SHARE = 0.002;
/** §3: the account codes named only by calls (the calls-only odd rows use them). */
export const CALLS_ONLY_ACCOUNTS = 4;
/** §4: of the sessions that would withhold their caller ID, those presenting no number. */
export const NON_NUMBER_CALLER_SHARE = 0.3;
/** §7: Asterisk calls dialled behind the outside-line prefix, or read from the dial string. */
export const OUTSIDE_LINE_SHARE = 0.03;
export const DIAL_STRING_SHARE = 0.01;
/** §7: of the dial-string calls, those whose field is the number behind a stripped prefix. */
export const PREFIXED_DIAL_SHARE = 0.3;
/** §4: Asterisk sessions whose src is the caller's own extension (clid holds the caller ID). */
export const SRC_EXTENSION_SHARE = 0.1;
/** §1–§2: Asterisk unanswered forked dials with an ANSWERED Congestion or Hangup leg. */
export const SWITCH_LEG_SHARE = 0.3;
/** §7: calls dialled as a SIP or tel URI (every format). */
export const URI_DIAL_SHARE = 0.005;
/** §6: sessions moved into each hour the zone skips or repeats (switch local times). */
export const DST_SESSIONS = 3;

/** One call record in CORRUPT_EVERY is odd (0.5%), the kinds in turn (corrupt.ts). */
export const CORRUPT_EVERY = 200;

/** Account activity: Pareto weights with this exponent, capped; a share makes no calls. */
export const ACTIVITY_ALPHA = 1.25;
export const ACTIVITY_CAP = 2500;
export const IDLE_ACCOUNT_SHARE = 0.12;
/** Accounts making more calls than this dial in bursts ~3 s apart (≈ 20 a minute). */
export const BUSY_CALLS = 400;

/** Crews: share of accounts in a crew, crew sizes 2–25 (mostly small). */
export const CREW_SHARE = 0.12;
export const CREW_MAX = 25;
/** A shared identifier is used by at most this many accounts. */
export const SHARED_MAX = 4;

/** Payments: monthly plans (GBP), share of accounts that never pay (trials). */
export const PLANS: ReadonlyArray<readonly [string, number, number]> = [
  // name, GBP a month, share of paying accounts
  ['basic', 150, 0.88],
  ['pro', 500, 0.09],
  ['elite', 2500, 0.025],
  ['enterprise', 5000, 0.005],
];
export const TRIAL_SHARE = 0.45;

/** Logins: VPN exits are shared by hundreds of accounts (infrastructure, not links). */
export const ACCOUNTS_PER_VPN = 250;
export const VPN_USER_SHARE = 0.6;

export interface Counts {
  scale: number;
  calls: number;
  accounts: number;
  noCountryAccounts: number;
  vpnExits: number;
}

/** Counts for a run: from --calls (scale = calls / 10M) or --scale. */
export function countsFor(calls: number): Counts {
  const scale = calls / FULL_CALLS;
  const accounts = Math.max(40, Math.round(FULL_ACCOUNTS * scale));
  return {
    scale,
    calls,
    accounts,
    noCountryAccounts: Math.max(MIN_NO_COUNTRY, Math.round(accounts * NO_COUNTRY_SHARE)),
    vpnExits: Math.max(2, Math.round(accounts / ACCOUNTS_PER_VPN)),
  };
}
