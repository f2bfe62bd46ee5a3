/**
 * Phone numbers: valid numbers per country (checked with libphonenumber-js/max, reject and
 * retry) and the messy ways a dialled number is written. A national form is only written when
 * the call's context country (route, else presented number, else account country — the order
 * the ingest uses) is the number's own country, so every form resolves to the intended number.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Rng } from './rng.ts';

interface Spec {
  cc: string;
  /** National trunk prefix ('' for NANP). */
  trunk: string;
  /** Draws a candidate national significant number. */
  nsn: (r: Rng) => string;
  /** Digit groups for display (national significant number). */
  groups: number[];
}

const digits = (r: Rng, n: number) => r.chars('0123456789', n);
const US_AREAS = ['212', '213', '305', '312', '415', '469', '512', '602', '617', '702', '713'];
const US_AREAS2 = ['718', '786', '832', '917', '202', '404', '503', '206', '303', '615', '704'];
const CA_AREAS = ['416', '647', '437', '514', '438', '604', '778', '403', '587', '613', '905'];
const nanp = (areas: string[]) => (r: Rng) =>
  `${r.pick(areas)}${r.int(2, 9)}${digits(r, 2)}${digits(r, 4)}`;

export const SPECS: Record<string, Spec> = {
  GB: { cc: '44', trunk: '0', nsn: (r) => `7${r.int(4, 9)}${digits(r, 8)}`, groups: [4, 6] },
  US: { cc: '1', trunk: '', nsn: nanp([...US_AREAS, ...US_AREAS2]), groups: [3, 3, 4] },
  CA: { cc: '1', trunk: '', nsn: nanp(CA_AREAS), groups: [3, 3, 4] },
  NL: { cc: '31', trunk: '0', nsn: (r) => `6${r.int(1, 5)}${digits(r, 7)}`, groups: [1, 4, 4] },
  AU: { cc: '61', trunk: '0', nsn: (r) => `4${digits(r, 8)}`, groups: [3, 3, 3] },
  FR: {
    cc: '33',
    trunk: '0',
    nsn: (r) => `${r.int(6, 7)}${digits(r, 8)}`,
    groups: [1, 2, 2, 2, 2],
  },
  IE: {
    cc: '353',
    trunk: '0',
    nsn: (r) => `8${r.chars('35679', 1)}${digits(r, 7)}`,
    groups: [2, 3, 4],
  },
  RO: { cc: '40', trunk: '0', nsn: (r) => `7${r.int(2, 8)}${digits(r, 7)}`, groups: [3, 3, 3] },
  NG: {
    cc: '234',
    trunk: '0',
    nsn: (r) => `${r.pick(['80', '81', '70', '90'])}${digits(r, 8)}`,
    groups: [3, 3, 4],
  },
  ES: { cc: '34', trunk: '', nsn: (r) => `6${digits(r, 8)}`, groups: [3, 3, 3] },
  DE: {
    cc: '49',
    trunk: '0',
    nsn: (r) => `15${r.chars('1257', 1)}${digits(r, 8)}`,
    groups: [4, 7],
  },
};

/**
 * Countries whose numbers may be written as country code + digits without `+` (`447911123456`)
 * in their own context: their national numbers cannot be read that way (not so for DE).
 */
const CC_DIGITS = new Set(['GB', 'US', 'CA', 'NL', 'AU', 'FR', 'IE']);

/** Context countries whose international prefix is 00, so `0044…` resolves there. */
const DOUBLE_ZERO = new Set(['GB', 'NL', 'FR', 'IE', 'ES', 'DE', 'RO', '']);

function spec(country: string): Spec {
  const s = SPECS[country];
  if (!s) throw new Error(`no number spec for ${country}`);
  return s;
}

/** A new valid E.164 number of `country`, not in `taken` (which it joins). */
export function newNumber(r: Rng, country: string, taken: Set<string>): string {
  const s = spec(country);
  for (;;) {
    const e164 = `+${s.cc}${s.nsn(r)}`;
    if (taken.has(e164)) continue;
    const p = parsePhoneNumberFromString(e164);
    if (!p || !p.isValid() || p.country !== country) continue;
    taken.add(e164);
    return e164;
  }
}

/** The country of a valid number, or '' (for presented numbers and brand numbers). */
export function countryOf(e164: string): string {
  const p = parsePhoneNumberFromString(e164);
  return p && p.isValid() ? (p.country ?? '') : '';
}

function grouped(nsn: string, groups: number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < groups.length && at < nsn.length; i++) {
    const n = i === groups.length - 1 ? nsn.length - at : groups[i]!;
    out.push(nsn.slice(at, at + n));
    at += n;
  }
  return out.join(sep);
}

/**
 * How `e164` (of `country`) is written in a call whose first available context country is
 * `ctx` ('' when there is none).
 */
export function dialledForm(r: Rng, e164: string, country: string, ctx: string): string {
  const s = spec(country);
  const nsn = e164.slice(1 + s.cc.length);
  const national = ctx === country;
  const u = r.float();
  if (national && u < 0.6) {
    if (s.cc === '1') {
      const [a, b, c] = [nsn.slice(0, 3), nsn.slice(3, 6), nsn.slice(6)];
      return r.pick([`${a}${b}${c}`, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `1 ${a} ${b} ${c}`]);
    }
    const v = r.int(0, 3);
    if (v === 0 && CC_DIGITS.has(country)) return `${s.cc}${nsn}`;
    if (v === 1 && s.trunk === '0') return `(0)${grouped(nsn, s.groups, ' ')}`;
    return `${s.trunk}${grouped(nsn, s.groups, ' ')}`;
  }
  if (DOUBLE_ZERO.has(ctx) && u < 0.75) return `00${s.cc} ${grouped(nsn, s.groups, ' ')}`;
  if (u < 0.85) return e164;
  const sep = s.cc === '1' ? '-' : ' ';
  return `+${s.cc} ${grouped(nsn, s.groups, sep)}`;
}

/** A national form that needs a context country (for unresolvable rows). */
export function nationalForm(e164: string, country: string): string {
  const s = spec(country);
  const nsn = e164.slice(1 + s.cc.length);
  return `${s.trunk}${grouped(nsn, s.groups, ' ')}`;
}

/** A dialled number with a letter or symbol mixed in: unparseable. */
export function garbledForm(r: Rng, e164: string, country: string): string {
  const s = spec(country);
  const nsn = e164.slice(1 + s.cc.length);
  if (r.chance(0.5)) {
    const text = `${s.trunk || '1'}${grouped(nsn, s.groups, ' ')}`;
    const i = text.length - 3;
    return `${text.slice(0, i)}O${text.slice(i + 1)}`;
  }
  return `+${s.cc} ${nsn.slice(0, 2)}#${nsn.slice(2)}`;
}
