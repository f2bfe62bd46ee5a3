/**
 * rates.csv: GBP for one unit of each currency a payment is made in, as a unit would gather
 * them: a daily BTC/GBP close (with a few days the source missed) and ECB-style reference rates
 * for EUR and USD on TARGET working days only (no weekends; no 1 January, Good Friday, Easter
 * Monday, 1 May, 25 and 26 December). The synth values its own payments with the same table
 * and rule (money/sql/values.sql): the rate of the day, else the last one before it within
 * seven days, amount × rate rounded half away from zero to the penny, all in integers.
 */
import { PERIOD_END, PERIOD_START } from './params.ts';
import { Rng } from './rng.ts';
import type { LineWriter } from './writers.ts';

export const RATES_HEADER = 'date,currency,gbp,source';
const DAY = 86_400;
/** Rates are written with 12 decimals at most: held as integers of 1e-12 GBP. */
const RATE_SCALE = 1_000_000_000_000n;
const MAX_DAYS = 7;

/** Approximate BTC price in GBP at the start of each month, Dec 2020 – Dec 2022. */
const GBP_PER_BTC = [
  14_000, 24_000, 33_000, 41_000, 43_000, 36_000, 26_000, 25_000, 30_000, 34_000, 36_000, 45_000,
  43_000, 35_000, 28_000, 32_000, 34_000, 29_000, 23_000, 16_500, 19_500, 17_500, 16_800, 17_500,
  14_500,
];

/** Easter Sunday (Gregorian; anonymous algorithm), as an epoch day. */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / 1000 / DAY;
}

/** Whether the ECB publishes reference rates on this epoch day (a TARGET working day). */
export function targetDay(day: number): boolean {
  const d = new Date(day * DAY * 1000);
  const wd = d.getUTCDay();
  if (wd === 0 || wd === 6) return false;
  const md = `${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
  if (['1-1', '5-1', '12-25', '12-26'].includes(md)) return false;
  const e = easter(d.getUTCFullYear());
  return day !== e - 2 && day !== e + 1;
}

export class RateTable {
  /** currency → epoch day → rate (1e-12 GBP). */
  readonly byCurrency = new Map<string, Map<number, bigint>>();

  set(currency: string, day: number, rate: bigint): void {
    let m = this.byCurrency.get(currency);
    if (!m) this.byCurrency.set(currency, (m = new Map()));
    m.set(day, rate);
  }

  /** The rate for a day: its own, else the last before it within seven days. */
  rateOn(currency: string, day: number): { day: number; rate: bigint } | null {
    const m = this.byCurrency.get(currency);
    for (let d = day; m && d >= day - MAX_DAYS; d--) {
      const r = m.get(d);
      if (r !== undefined) return { day: d, rate: r };
    }
    return null;
  }
}

/** A decimal's text as an integer of 10^-decimals units. */
export function units(text: string, decimals: number): bigint {
  const [i, f = ''] = text.split('.');
  return (
    BigInt(i!) * 10n ** BigInt(decimals) + BigInt((f + '0'.repeat(decimals)).slice(0, decimals))
  );
}

/** `amount` (text, ≤ 8 decimals) × the rate, in pence, rounded half away from zero. */
export function valuePence(amount: string, rate: bigint): number {
  const product = units(amount, 8) * rate; // 1e-20 GBP
  const unit = 10n ** 18n; // pence
  return Number((product + unit / 2n) / unit);
}

function fixed(rate: bigint): string {
  const i = rate / RATE_SCALE;
  const f = (rate % RATE_SCALE).toString().padStart(12, '0').replace(/0+$/, '');
  return f ? `${i}.${f}` : `${i}`;
}

export function btcRateAt(t: number): number {
  const month = 30.44 * DAY;
  const m = Math.max(0, Math.min(GBP_PER_BTC.length - 1.001, (t - PERIOD_START) / month));
  const i = Math.floor(m);
  const f = m - i;
  return GBP_PER_BTC[i]! * (1 - f) + GBP_PER_BTC[i + 1]! * f;
}

/** Builds the table and writes rates.csv (a header, one row per day and currency). */
export async function writeRates(seed: number, w: LineWriter): Promise<RateTable> {
  const r = new Rng(seed, 'rates');
  const table = new RateTable();
  await w.add(RATES_HEADER);
  const first = PERIOD_START / DAY - 10;
  const last = PERIOD_END / DAY + 1;
  let eur = 0.88;
  let usd = 0.75;
  for (let day = first; day <= last; day++) {
    const date = new Date(day * DAY * 1000).toISOString().slice(0, 10);
    // The BTC source missed about one day in fifty: those days take the day before's close.
    if (!r.chance(0.02)) {
      const btc =
        BigInt(Math.round(btcRateAt(day * DAY) * (0.98 + 0.04 * r.float()) * 100)) * 10n ** 10n;
      table.set('BTC', day, btc);
      await w.add(`${date},BTC,${fixed(btc)},BTC/GBP daily close (synthetic)`);
    }
    eur = Math.min(0.93, Math.max(0.82, eur + (r.float() - 0.5) * 0.004));
    usd = Math.min(0.85, Math.max(0.68, usd + (r.float() - 0.5) * 0.004));
    if (!targetDay(day)) continue;
    for (const [cur, v] of [
      ['EUR', eur],
      ['USD', usd],
    ] as const) {
      const rate = BigInt(Math.round(v * 1e6)) * 10n ** 6n;
      table.set(cur, day, rate);
      await w.add(`${date},${cur},${fixed(rate)},ECB euro reference rates (synthetic)`);
    }
  }
  return table;
}
