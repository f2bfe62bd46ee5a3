/** Dates typed in GOV.UK's three boxes (day, month, year), checked to be real and not future. */
import type { DateParts } from './components.ts';

export type DateCheck =
  { ok: true; iso: string } | { ok: false; why: 'missing' | 'invalid' | 'future' };

export function partsOf(body: Record<string, unknown>, name: string): DateParts {
  const get = (k: string) =>
    String(body[`${name}-${k}`] ?? '')
      .trim()
      .slice(0, 8);
  return { day: get('day'), month: get('month'), year: get('year') };
}

export function checkDate(parts: DateParts, today: Date): DateCheck {
  const { day = '', month = '', year = '' } = parts;
  if (!day && !month && !year) return { ok: false, why: 'missing' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { ok: false, why: 'invalid' };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    y < 1990
  )
    return { ok: false, why: 'invalid' };
  const iso = date.toISOString().slice(0, 10);
  // A day ahead of UTC is allowed: a victim far east of UTC may already be on tomorrow.
  if (date.getTime() > today.getTime() + 86_400_000) return { ok: false, why: 'future' };
  return { ok: true, iso };
}

export function partsFromIso(iso: string | undefined): DateParts {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
}
