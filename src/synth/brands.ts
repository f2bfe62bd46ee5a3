/**
 * Brand numbers the fraudsters present: the shipped list (src/brands/brands.csv, banks'
 * published customer-service numbers) plus a few case-specific small lenders that the
 * export's own brands.csv adds.
 */
import fs from 'node:fs';
import { countryOf } from './numbers.ts';

export interface Brand {
  number: string;
  brand: string;
  /** Country the brand serves (the list's column). */
  country: string;
  inboundOnly: boolean;
  /** Country libphonenumber gives the number ('' if not valid): the ingest's context. */
  numberCountry: string;
}

export const BRANDS_HEADER = 'number,brand,country,inbound_only';

/** Case-specific extras (fictional small lenders; valid UK and US numbers). */
export const EXTRA_BRANDS_CSV = [
  '+443300881234,Quidly Loans,GB,false',
  '+442038085100,Brightwell Credit,GB,false',
  '+18446250199,Lendwise,US,true',
];

const SHIPPED = new URL('../brands/brands.csv', import.meta.url);

function parse(lines: readonly string[]): Brand[] {
  return lines.map((line) => {
    const [number = '', brand = '', country = '', inbound = ''] = line.split(',');
    return {
      number,
      brand,
      country,
      inboundOnly: inbound === 'true',
      numberCountry: countryOf(number),
    };
  });
}

export function loadBrands(): { shipped: Brand[]; extra: Brand[] } {
  const lines = fs.readFileSync(SHIPPED, 'utf8').split(/\r?\n/).filter(Boolean).slice(1);
  return { shipped: parse(lines), extra: parse(EXTRA_BRANDS_CSV) };
}
