/** How the report writes numbers, money and dates: British English, GBP as £ with two decimals. */

const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** `1234.5` → `£1,234.50`. Every sum in the case is in GBP; labels name the currency. */
export const gbp = (v: number): string => GBP.format(v);

/** `12345` → `12,345`; decimals kept to two places (a score). */
export const count = (v: number): string => v.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** `3, 'victim'` → `3 victims`; `1, 'crew'` → `1 crew`. */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${count(n)} ${n === 1 ? one : many}`;

/** `2021-03-01` → `1 March 2021` (a calendar date, not shifted by any time zone). */
export function longDate(iso: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** `a, b and c`. */
export function and(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) as string}`;
}
