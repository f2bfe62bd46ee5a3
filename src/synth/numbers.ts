/**
 * Phone numbers: valid numbers per country (checked with libphonenumber-js/max, reject and
 * retry) and the ways switches write them: `+…`, `00…`, `011…`, international digits without
 * `+`, national forms with trunk prefixes, North American formats. Whether a form may be
 * written in a call is not decided here: calls.ts asks the resolver (resolve.ts) what the rules
 * of docs/numbers.md make of it.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Weighted, type Rng } from './rng.ts';

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
 * Countries whose numbers, written as country code + digits without `+` (`447911123456`), read
 * as themselves in their own country (libphonenumber strips the country code): not so for DE,
 * whose national numbers can be that long. numbers.test.ts checks it.
 */
export const OWN_CC_DIGITS = new Set(['GB', 'US', 'CA', 'NL', 'AU', 'FR', 'IE']);

const SPEC_OF = new Map(Object.entries(SPECS));

function spec(country: string): Spec {
  const s = SPEC_OF.get(country);
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

function grouped(nsn: string, groups: readonly number[], sep: string): string {
  let out = '';
  let at = 0;
  for (let i = 0; i < groups.length && at < nsn.length; i++) {
    const n = i === groups.length - 1 ? nsn.length - at : groups[i]!;
    out = at === 0 ? nsn.slice(0, n) : `${out}${sep}${nsn.slice(at, at + n)}`;
    at += n;
  }
  return out;
}

/** A number's pieces, for writing it the ways switches do (the written forms made lazily). */
export interface Parts {
  e164: string;
  country: string;
  cc: string;
  nsn: string;
  /** National trunk prefix ('' for none). */
  trunk: string;
  groups: readonly number[];
  /** The national significant number in groups (`7700 900123`). */
  grouped?: string;
  /** The national form in groups (`07700 900123`, `(800) 935-9935`). */
  national?: string;
  /** The national form's digits (`07700900123`, `8009359935`). */
  nationalDigits?: string;
}

/** The parts of a number of one of SPECS' countries (no parsing). */
export function partsOf(e164: string, country: string): Parts {
  const s = spec(country);
  const nsn = e164.slice(1 + s.cc.length);
  return {
    e164,
    country,
    cc: s.cc,
    nsn,
    trunk: s.trunk,
    groups: s.groups,
    grouped: undefined,
    national: undefined,
    nationalDigits: undefined,
  };
}

/** partsOf into an existing object (the hot loop's, so no allocation a call). */
export function partsInto(p: Parts, e164: string, country: string): Parts {
  const s = spec(country);
  p.e164 = e164;
  p.country = country;
  p.cc = s.cc;
  p.nsn = e164.slice(1 + s.cc.length);
  p.trunk = s.trunk;
  p.groups = s.groups;
  p.grouped = undefined;
  p.national = undefined;
  p.nationalDigits = undefined;
  return p;
}

/** The parts of any valid number, as libphonenumber formats it (brand numbers). */
export function partsFromLibrary(e164: string): Parts {
  const p = parsePhoneNumberFromString(e164);
  if (!p || !p.isValid()) throw new Error(`not a valid number: ${e164}`);
  const intl = p.formatInternational();
  const national = p.formatNational();
  return {
    e164: p.number,
    country: p.country ?? '',
    cc: p.countryCallingCode,
    nsn: p.nationalNumber,
    trunk: '',
    groups: [],
    grouped: intl.slice(intl.indexOf(' ') + 1),
    national,
    nationalDigits: national.replace(/[\s\-.()/]/g, ''),
  };
}

const isNanp = (p: Parts) => p.cc === '1' && p.nsn.length === 10;

export function groupedNsn(p: Parts): string {
  return (p.grouped ??= grouped(p.nsn, p.groups, ' '));
}

export function nationalOf(p: Parts): string {
  if (p.national !== undefined) return p.national;
  const n = p.nsn;
  return (p.national = isNanp(p)
    ? `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`
    : `${p.trunk}${groupedNsn(p)}`);
}

export function nationalDigits(p: Parts): string {
  return (p.nationalDigits ??= `${p.trunk}${p.nsn}`);
}

/** How dialled numbers are written: the shape names the export tests count. */
export type DialledShape =
  | 'plus'
  | 'plus_spaced'
  | 'idd00'
  | 'idd011'
  | 'intl_digits'
  | 'national'
  | 'national_paren0'
  | 'nanp'
  | 'nanp_trunk'
  | 'nanp_bare';

const OTHER_SHARES: ReadonlyArray<readonly [DialledShape, number]> = [
  ['plus', 0.2],
  ['plus_spaced', 0.1],
  ['idd00', 0.08],
  ['idd011', 0.04],
  ['intl_digits', 0.16],
  ['national', 0.36],
  ['national_paren0', 0.06],
];
const NANP_SHARES: ReadonlyArray<readonly [DialledShape, number]> = [
  ['plus', 0.2],
  ['plus_spaced', 0.1],
  ['idd00', 0.03],
  ['intl_digits', 0.12],
  ['nanp', 0.25],
  ['nanp_trunk', 0.12],
  ['nanp_bare', 0.18],
];

/** The shapes that only the account's country reads (national forms without a format). */
const ACCOUNT_ONLY = new Set<DialledShape>(['national', 'national_paren0', 'nanp_bare']);
const notNational = (shares: ReadonlyArray<readonly [DialledShape, number]>) =>
  new Weighted(shares.filter(([shape]) => !ACCOUNT_ONLY.has(shape)));
const OTHER_SHAPES = new Weighted(OTHER_SHARES);
const NANP_SHAPES = new Weighted(NANP_SHARES);
const OTHER_NOT_NATIONAL = notNational(OTHER_SHARES);
const NANP_NOT_NATIONAL = notNational(NANP_SHARES);

/**
 * Draws how a dialled number is written (the resolver then says whether it may be); not in a
 * shape only the account's country reads when `accountOnly` (it is another country).
 */
export function drawDialled(r: Rng, p: Parts, accountOnly = false): string {
  const nanp = p.cc === '1';
  const shapes = accountOnly
    ? nanp
      ? NANP_NOT_NATIONAL
      : OTHER_NOT_NATIONAL
    : nanp
      ? NANP_SHAPES
      : OTHER_SHAPES;
  return writeDialled(r, p, shapes.draw(r));
}

export function writeDialled(r: Rng, p: Parts, shape: DialledShape): string {
  const n = p.nsn;
  if (isNanp(p)) {
    // Area code, exchange, line.
    const [a, b, c] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
    switch (shape) {
      case 'plus_spaced':
        return r.chance(0.5) ? `+1 ${a}-${b}-${c}` : `+1 (${a}) ${b}-${c}`;
      case 'nanp': {
        const v = r.int(0, 2);
        if (v === 0) return `(${a}) ${b}-${c}`;
        return v === 1 ? `${a}-${b}-${c}` : `${a}.${b}.${c}`;
      }
      case 'nanp_trunk':
        return r.chance(0.5) ? `1-${a}-${b}-${c}` : `1 ${a} ${b} ${c}`;
      case 'national':
      case 'nanp_bare':
        return n;
      default:
        break;
    }
  }
  switch (shape) {
    case 'plus':
      return p.e164;
    case 'plus_spaced':
      return `+${p.cc} ${groupedNsn(p)}`;
    case 'idd00': {
      const v = r.int(0, 2);
      if (v === 0) return `00${p.cc} ${groupedNsn(p)}`;
      if (v === 1) return `00 ${p.cc} ${groupedNsn(p)}`;
      return `00${p.cc}${n}`;
    }
    case 'idd011':
      return r.chance(0.5) ? `011 ${p.cc} ${groupedNsn(p)}` : `011${p.cc}${n}`;
    case 'intl_digits':
      return `${p.cc}${n}`;
    case 'national_paren0': {
      const national = nationalOf(p);
      return national.startsWith('0') ? `(0)${national.slice(1)}` : national;
    }
    case 'national':
      return r.chance(0.6) ? nationalOf(p) : nationalDigits(p);
    case 'nanp':
    case 'nanp_trunk':
      return nationalOf(p);
    case 'nanp_bare':
      return nationalDigits(p);
  }
}

/** A national form that no rule reads without evidence (for truly ambiguous and unresolved). */
export function bareNational(p: Parts): string {
  return isNanp(p) ? p.nsn : nationalOf(p);
}

/** How a caller ID is written: `+…`, international digits without `+`, or national digits. */
export function drawPresented(r: Rng, p: Parts): string {
  const u = r.float();
  if (u < 0.45) return p.e164;
  if (u < 0.75) return p.e164.slice(1);
  return nationalDigits(p);
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
