/**
 * The currencies a payment or a rate may be in (docs/money.md): ISO 4217 codes as Node's ICU
 * knows them, and the crypto assets a service like this took. Anything else is unknown: a rate
 * in it is quarantined, a payment in it is listed as not valued.
 */
const CRYPTO = ['BTC', 'BCH', 'ETH', 'LTC', 'XMR', 'USDT', 'USDC', 'DOGE', 'DASH', 'ZEC'] as const;

/** Other names the same asset goes by (XBT is bitcoin's ISO-style code). */
export const CURRENCY_ALIASES: Readonly<Record<string, string>> = { XBT: 'BTC' };

export function knownCurrencies(): string[] {
  return [...new Set([...Intl.supportedValuesOf('currency'), ...CRYPTO])].sort();
}

/** The temp table `_currencies (code)` the ingest checks and the valuation read. */
export function currenciesSql(): string {
  const list = knownCurrencies()
    .map((c) => `('${c}')`)
    .join(', ');
  const aliases = Object.entries(CURRENCY_ALIASES)
    .map(([a, c]) => `('${a}', '${c}')`)
    .join(', ');
  return `CREATE OR REPLACE TEMP TABLE _currencies (code VARCHAR) ; INSERT INTO _currencies VALUES ${list};
    CREATE OR REPLACE TEMP MACRO _currency(x) AS coalesce(
      (SELECT c FROM (VALUES ${aliases}) v(a, c) WHERE a = upper(trim(x))), upper(trim(x)));`;
}
