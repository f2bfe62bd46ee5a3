/**
 * The report's written summary: one paragraph in plain words, made only from the case's figures
 * (no judgement the numbers do not carry), so that a reader who reads nothing else knows the
 * size of the case.
 */
import { and, count, gbp, longDate, plural } from './format.ts';

export interface Findings {
  firstCall: string | null;
  lastCall: string | null;
  calls: number;
  answeredCalls: number;
  accounts: number;
  /** Accounts that placed a call (not the stand-in for calls without an account code). */
  callingAccounts: number;
  /** Calls the switch recorded under no account code. */
  callsWithoutAccount: number;
  victims: { harmed: number; likely: number; contacted: number; attempted: number };
  suspects: number;
  prioritySuspects: number;
  crews: number;
  crewAccounts: number;
  revenueGbp: number;
  /** Losses victims reported on the portal, as the last analysis copied them. */
  lossVictims: number;
  lossGbp: number;
  /** Connected seconds from which an answered call makes a victim `likely` (the case's setting). */
  likelySeconds: number;
}

const n = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const s = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The findings in a report's headline row (data.ts). */
export function findingsOf(h: Record<string, unknown>): Findings {
  return {
    firstCall: s(h.first_call),
    lastCall: s(h.last_call),
    calls: n(h.calls),
    answeredCalls: n(h.answered_calls),
    accounts: n(h.accounts),
    callingAccounts: n(h.calling_accounts),
    callsWithoutAccount: n(h.calls_without_account),
    victims: {
      harmed: n(h.harmed),
      likely: n(h.likely),
      contacted: n(h.contacted),
      attempted: n(h.attempted),
    },
    suspects: n(h.suspects),
    prioritySuspects: n(h.priority_suspects),
    crews: n(h.crews),
    crewAccounts: n(h.crew_accounts),
    revenueGbp: n(h.revenue_gbp),
    lossVictims: n(h.loss_victims),
    lossGbp: n(h.reported_loss_gbp),
    likelySeconds: n(h.likely_seconds) || 60,
  };
}

/** Who placed the calls: " from 110 accounts", or ": 19,897 from 110 accounts and 41 under no account code". */
function from(f: Findings): string {
  if (!f.callingAccounts) return '';
  if (!f.callsWithoutAccount) return ` from ${plural(f.callingAccounts, 'account')}`;
  return `: ${count(f.calls - f.callsWithoutAccount)} from ${plural(f.callingAccounts, 'account')} and ${count(f.callsWithoutAccount)} under no account code`;
}

/** One paragraph: when, how many calls, victims by tier, suspects, crews, money, losses. */
export function summaryText(f: Findings): string {
  const v = f.victims;
  const victims = v.harmed + v.likely + v.contacted + v.attempted;
  const out: string[] = [];
  const span =
    f.firstCall && f.lastCall
      ? f.firstCall === f.lastCall
        ? `On ${longDate(f.firstCall)}`
        : `Between ${longDate(f.firstCall)} and ${longDate(f.lastCall)}`
      : 'In the records';
  out.push(
    f.calls === 0
      ? `The seized records hold no calls, and ${plural(f.accounts, 'account')}.`
      : `${span} the service's users placed ${plural(f.calls, 'call')}${from(f)}; ${count(f.answeredCalls)} ${f.answeredCalls === 1 ? 'was' : 'were'} answered.`,
  );
  if (victims === 0) out.push('No victim was found.');
  else {
    const tiers = [
      `${count(v.harmed)} harmed (a one-time code was captured)`,
      `${count(v.likely)} likely (an answered call of ${plural(f.likelySeconds, 'second')} or more)`,
      `${count(v.contacted)} contacted (a shorter answered call)`,
      `${count(v.attempted)} attempted (never answered)`,
    ];
    out.push(
      `${plural(victims, 'victim')} ${victims === 1 ? 'was' : 'were'} called: ${and(tiers)}.`,
    );
  }
  out.push(
    `Of ${plural(f.suspects, 'account')} scored as suspects, ${count(f.prioritySuspects)} ${f.prioritySuspects === 1 ? 'is a priority suspect' : 'are priority suspects'}` +
      (f.crews === 0
        ? '; no crew of linked accounts was found.'
        : `; ${plural(f.crewAccounts, 'account')} form ${plural(f.crews, 'crew')} of linked accounts.`),
  );
  out.push(`The service took payments worth ${gbp(f.revenueGbp)} (GBP).`);
  out.push(
    f.lossVictims === 0
      ? 'No victim had reported a loss in pounds sterling when the case was last analysed (losses in other currencies are not summed here).'
      : `${plural(f.lossVictims, 'victim')} reported losses in pounds sterling totalling ${gbp(f.lossGbp)} by the last analysis (losses in other currencies are not summed here).`,
  );
  return out.join(' ');
}
