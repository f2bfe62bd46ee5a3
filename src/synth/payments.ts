/**
 * payments.csv (CRLF line ends): monthly plan fees paid in bitcoin at a plausible BTC/GBP rate
 * of the day. Trials never pay. Each crew wallet is used by at least one payment of each
 * member who shares it. One extra row has a bad date (quarantined: it never counts).
 */
import type { Account } from './accounts.ts';
import { PERIOD_END } from './params.ts';
import { Rng } from './rng.ts';
import type { Clock } from './time.ts';
import { csvLine, type LineWriter } from './writers.ts';

export const PAYMENTS_HEADER =
  'payment_id,account_id,paid_at,amount_btc,value_gbp,btc_address,txid,plan';
export const BAD_PAYMENT_DATE = '2021-13-45T25:61:00Z';

/** Approximate BTC price in GBP at the start of each month, Dec 2020 – Dec 2022. */
const GBP_PER_BTC = [
  14_000, 24_000, 33_000, 41_000, 43_000, 36_000, 26_000, 25_000, 30_000, 34_000, 36_000, 45_000,
  43_000, 35_000, 28_000, 32_000, 34_000, 29_000, 23_000, 16_500, 19_500, 17_500, 16_800, 17_500,
  14_500,
];
const FIRST_MONTH = Date.UTC(2020, 11, 1) / 1000;
const MONTH = 30.44 * 86_400;

function gbpPerBtc(t: number, r: Rng): number {
  const m = Math.max(0, Math.min(GBP_PER_BTC.length - 1.001, (t - FIRST_MONTH) / MONTH));
  const i = Math.floor(m);
  const f = m - i;
  const rate = GBP_PER_BTC[i]! * (1 - f) + GBP_PER_BTC[i + 1]! * f;
  return rate * (0.98 + 0.04 * r.float());
}

export interface PaymentsSummary {
  rows: number;
  loaded: number;
  gbp: number;
  /** Loaded GBP paid per account index. */
  paid: Float64Array;
}

export async function writePayments(
  accounts: readonly Account[],
  seed: number,
  clock: Clock,
  w: LineWriter,
): Promise<PaymentsSummary> {
  const r = new Rng(seed, 'payments');
  const paid = new Float64Array(accounts.length);
  let id = 0;
  let gbp = 0;
  await w.add(PAYMENTS_HEADER);
  const row = (a: Account, at: string, t: number, wallet: string) => {
    const value = a.price || 150;
    const btc = value / gbpPerBtc(t, r);
    const txid = r.chars('0123456789abcdef', 64);
    const pid = `p${String(++id).padStart(7, '0')}`;
    return csvLine([pid, a.id, at, btc.toFixed(8), value.toFixed(2), wallet, txid, a.plan]);
  };
  for (const a of accounts) {
    if (a.plan === 'trial') continue;
    const shared = a.wallets.slice(1);
    const months = Math.max(1 + Math.floor(r.exp(0.8)), shared.length);
    for (let k = 0; k < months; k++) {
      let t = a.created + Math.round(k * MONTH) + r.int(0, 3 * 86_400);
      if (t >= PERIOD_END) t = r.int(a.created, PERIOD_END - 3600);
      await w.add(row(a, clock.iso(t), t, shared[k] ?? a.wallets[0]!));
      paid[a.index]! += a.price;
      gbp += a.price;
    }
  }
  // The bad-date row: for a GB trial account when there is one (it must not make it a priority).
  const target =
    accounts.find((a) => a.plan === 'trial' && a.country === 'GB' && a.crew < 0) ?? accounts[0]!;
  await w.add(row(target, BAD_PAYMENT_DATE, target.created, target.wallets[0]!));
  return { rows: id, loaded: id - 1, gbp, paid };
}
