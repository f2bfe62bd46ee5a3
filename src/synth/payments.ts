/**
 * payments.csv (CRLF line ends): monthly plan fees. Trials never pay. Each paying account pays
 * one way (docs/money.md):
 * - `stated` (half): in bitcoin, with the service's own GBP value;
 * - `btc` (a third): in bitcoin only, no GBP value: valued from rates.csv by the analysis;
 * - `fiat`: EUR, USD or GBP through a payment processor, from one of its home addresses.
 * Bitcoin payments are paid from an address of the payer's wallet (btc.ts): each crew wallet
 * is used by at least one payment of each member who shares it, members paying from different
 * addresses of it. Each bitcoin payment's transaction goes to the block-explorer export
 * (transactions.ts). One extra row has a bad date (quarantined: it never counts), and one
 * payment names its address with a typo.
 */
import type { Account } from './accounts.ts';
import { typo, walletAddress, walletSize } from './btc.ts';
import { PERIOD_END } from './params.ts';
import { btcRateAt, valuePence, type RateTable } from './rates.ts';
import { Rng } from './rng.ts';
import type { Clock } from './time.ts';
import type { Transactions } from './transactions.ts';
import { csvLine, type LineWriter } from './writers.ts';

export const PAYMENTS_HEADER =
  'payment_id,account_id,paid_at,amount_btc,value_gbp,btc_address,txid,plan,amount,currency,processor,ip';
export const BAD_PAYMENT_DATE = '2021-13-45T25:61:00Z';
const MONTH = 30.44 * 86_400;
const DAY = 86_400;

export type PayStyle = 'stated' | 'btc' | 'fiat';

export interface PaymentsSummary {
  rows: number;
  loaded: number;
  gbp: number;
  /** Loaded pence paid per account index, valued as the analysis values them. */
  paid: Float64Array;
  /** How each account index paid (trials: none). */
  styles: Array<PayStyle | null>;
}

export interface PaymentsInput {
  accounts: readonly Account[];
  seed: number;
  clock: Clock;
  rates: RateTable;
  /** A home address of the account (where it pays from by card). */
  homeIp: (a: Account) => string;
  tx: Transactions;
  w: LineWriter;
}

export async function writePayments(o: PaymentsInput): Promise<PaymentsSummary> {
  const { accounts, clock, rates, w } = o;
  const r = new Rng(o.seed, 'payments');
  const rs = new Rng(o.seed, 'payment-styles');
  const paid = new Float64Array(accounts.length);
  const styles: Array<PayStyle | null> = accounts.map(() => null);
  let id = 0;
  let gbp = 0;
  let typoDone = false;
  await w.add(PAYMENTS_HEADER);
  for (const a of accounts) {
    if (a.plan === 'trial') continue;
    const u = rs.float();
    // A crew member who shares a wallet pays from it: in bitcoin.
    const style: PayStyle = u < 0.5 ? 'stated' : u < 0.85 || a.wallets.length > 1 ? 'btc' : 'fiat';
    styles[a.index] = style;
    const currency = rs.pick(['EUR', 'USD', 'GBP'] as const);
    const processor = rs.pick(['Stripe', 'PayPal', 'Paysafe']);
    const shared = a.wallets.slice(1);
    const months = Math.max(1 + Math.floor(r.exp(0.8)), shared.length);
    for (let k = 0; k < months; k++) {
      let t = a.created + Math.round(k * MONTH) + r.int(0, 3 * 86_400);
      if (t >= PERIOD_END) t = r.int(a.created, PERIOD_END - 3600);
      const pid = `p${String(++id).padStart(7, '0')}`;
      const txid = r.chars('0123456789abcdef', 64);
      const value = a.price || 150;
      const day = Math.floor(t / DAY);
      const at = clock.iso(t);
      if (style === 'fiat') {
        const rate = currency === 'GBP' ? null : rates.rateOn(currency, day);
        const amount =
          currency === 'GBP'
            ? value.toFixed(2)
            : (value / (Number(rate?.rate ?? 1n) / 1e12)).toFixed(2);
        const pence =
          currency === 'GBP' ? Math.round(value * 100) : rate ? valuePence(amount, rate.rate) : 0;
        await w.add(
          csvLine([
            pid,
            a.id,
            at,
            '',
            '',
            '',
            '',
            a.plan,
            amount,
            currency,
            processor,
            o.homeIp(a),
          ]),
        );
        paid[a.index]! += pence;
        gbp += pence / 100;
        continue;
      }
      const primary = shared[k] ?? a.wallets[0]!;
      const from = walletAddress(primary, r.int(0, walletSize(primary) - 1));
      let btc: string;
      let pence: number;
      if (style === 'stated') {
        btc = (value / (btcRateAt(t) * (0.98 + 0.04 * r.float()))).toFixed(8);
        pence = Math.round(value * 100);
      } else {
        const rate = rates.rateOn('BTC', day);
        btc = (value / (Number(rate?.rate ?? 1n) / 1e12)).toFixed(8);
        pence = rate ? valuePence(btc, rate.rate) : 0;
      }
      await o.tx.payment({ txid, primary, from, btc, at, deposit: pid }, a.index);
      const written: string = !typoDone && style === 'btc' && k === 0 ? typo(from) : from;
      typoDone ||= written !== from;
      await w.add(
        csvLine([
          pid,
          a.id,
          at,
          btc,
          style === 'stated' ? value.toFixed(2) : '',
          written,
          txid,
          a.plan,
          '',
          '',
          '',
          '',
        ]),
      );
      paid[a.index]! += pence;
      gbp += pence / 100;
    }
  }
  // The bad-date row: for a GB trial account when there is one (it must not make it a priority).
  const target =
    accounts.find((a) => a.plan === 'trial' && a.country === 'GB' && a.crew < 0) ?? accounts[0]!;
  await w.add(
    csvLine([
      `p${String(id + 1).padStart(7, '0')}`,
      target.id,
      BAD_PAYMENT_DATE,
      '0.01000000',
      '150.00',
      target.wallets[0]!,
      r.chars('0123456789abcdef', 64),
      target.plan,
      '',
      '',
      '',
      '',
    ]),
  );
  return { rows: id + 1, loaded: id, gbp, paid, styles };
}
