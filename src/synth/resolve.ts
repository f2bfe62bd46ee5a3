/**
 * The synth's own reading of docs/numbers.md: how a dialled and a presented number resolve, how
 * sure the reading is, its rival reading and whether it needs review. Written from the doc, with
 * libphonenumber-js/max as the reference for validity, and deliberately independent of
 * src/numbers and src/ingest: the truth the generator writes comes from here, and the ingest's
 * implementation is checked against it.
 *
 * Parsing is slow (5–80 µs a number), so every national reading is memoised on (text, country),
 * and the generator may vouch for readings it built itself (an `oracle`, see calls.ts: a number
 * written in its own country's national form reads as itself; numbers.test.ts checks that claim
 * against libphonenumber, and the export tests re-resolve every call without it).
 */
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';
import { dialledValue, uriUser, type DialledSource } from './dialplan.ts';
import { formOf, kindOf, strip, writtenNorthAmerican, type Form, type Kind } from './forms.ts';

export type Confidence = 'certain' | 'probable' | 'guess';
export type DialledRule = 'plus' | 'idd' | 'route' | 'presented' | 'format' | 'intl' | 'account';
export type PresentedRule = 'plus' | 'idd' | 'brand' | 'route' | 'intl' | 'account';
export type { Form, Kind } from './forms.ts';
export { formOf, kindOf, strip, writtenNorthAmerican } from './forms.ts';

/** A valid E.164 number and the country libphonenumber places it in ('' for none). */
export interface Parsed {
  e164: string;
  country: string;
}

/**
 * What the rules make of a raw value. `e164` is the chosen reading (null when the value is not a
 * number, or no reading is valid: unresolved), with its country, rule and confidence.
 */
export interface Resolution {
  kind: Kind;
  form: Form | null;
  /** Digits in the value (for service codes: six or fewer). */
  digits: number;
  e164: string | null;
  country: string;
  rule: DialledRule | PresentedRule | 'none';
  confidence: Confidence | null;
  /** The rejected reading: the first valid reading of another number (E.164), if any. */
  alt: string | null;
  review: boolean;
  /** Dialled numbers: the field read, without an outside-line prefix, or the dial string's. */
  source: DialledSource;
}

/** A loaded call's class (docs/numbers.md, "Victims, unresolved numbers and exclusions"). */
export type CallClass = 'victim' | 'unresolved' | 'own_phone' | 'brand_number' | 'service_code';
export const CALL_CLASSES: readonly CallClass[] = [
  'victim',
  'unresolved',
  'own_phone',
  'brand_number',
  'service_code',
];

/**
 * Readings the caller vouches for without parsing: `undefined` when it does not know, else
 * what libphonenumber gives for `text` in `country` ('' for an international `+…` text).
 */
export type Oracle = (text: string, country: string) => Parsed | null | undefined;

/** An account's or export's country code as a libphonenumber country, or ''. */
export function asCountry(code: string): string {
  const c = code.trim().toUpperCase();
  if (c === 'UK') return 'GB';
  return /^[A-Z]{2}$/.test(c) && isSupportedCountry(c as CountryCode) ? c : '';
}

/** docs/switch-records.md §5: the outbound words before and after a country code. */
const OUT_BEFORE = new Set(['out', 'outbound', 'outgoing', 'dialout', 'intl']);
const OUT_AFTER = new Set(['out', 'outbound', 'outgoing']);
const TWO_TOKENS = /^([A-Za-z]+)[-_]([A-Za-z]+)$/;
const ZERO = 48;

/**
 * R: the export's `routes` setting for the route (it wins), else the country the route's name
 * gives by the pattern of docs/switch-records.md §5 alone — exactly an outbound word and a
 * country code (`out-gb`, `outbound_US`, `gb-out`; `uk` is GB). Any other name (`to-pstn`,
 * `sip-in`, `hr`, `gb` alone) names no country.
 */
export function routeCountry(route: string, routes?: Readonly<Record<string, string>>): string {
  const set = routes && Object.hasOwn(routes, route) ? routes[route] : undefined;
  if (set !== undefined) return asCountry(set);
  const m = TWO_TOKENS.exec(route.trim());
  if (!m) return '';
  const [a, b] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
  if (OUT_BEFORE.has(a) && b.length === 2) return asCountry(b);
  if (OUT_AFTER.has(b) && a.length === 2) return asCountry(a);
  return '';
}

function result(
  kind: Kind,
  form: Form | null,
  digits: number,
  parsed: Parsed | null = null,
  rule: Resolution['rule'] = 'none',
  confidence: Confidence | null = null,
  alt: string | null = null,
): Resolution {
  return {
    kind,
    form,
    digits,
    e164: parsed ? parsed.e164 : null,
    country: parsed ? parsed.country : '',
    rule: parsed ? rule : 'none',
    confidence: parsed ? confidence : null,
    alt,
    review: parsed !== null && (confidence === 'guess' || alt !== null),
    source: 'dialled',
  };
}

function digitsIn(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/** A memo that forgets everything when full: bounded memory, same answers. */
class Memo<V> {
  private map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): V {
    if (this.map.size >= this.limit) this.map = new Map();
    this.map.set(key, value);
    return value;
  }
}

export interface ResolverOptions {
  /** The export's route → country setting. */
  routes?: Readonly<Record<string, string>>;
  /** The export's outside-line prefix (docs/switch-records.md §7), '' for none. */
  outsideLine?: string;
  oracle?: Oracle;
  /** Entries a memo holds before it starts over. */
  memoLimit?: number;
}

export class Resolver {
  /** Brand numbers by their digits after `+`, and by their national digits (with country). */
  private readonly brandDigits = new Map<string, string>();
  private readonly brandNational = new Map<string, [string, string]>();
  private readonly brands = new Set<string>();
  private readonly parses: Memo<Parsed | null>;
  private readonly presentedMemo: Memo<Resolution>;
  private readonly oracle: Oracle | undefined;
  private readonly routes: Readonly<Record<string, string>> | undefined;
  readonly outsideLine: string;
  /** Parses done (not answered by the memo or the oracle): for measuring. */
  parsesDone = 0;

  constructor(brandNumbers: readonly string[], options: ResolverOptions = {}) {
    this.oracle = options.oracle;
    this.routes = options.routes;
    this.outsideLine = options.outsideLine ?? '';
    this.parses = new Memo(options.memoLimit ?? 500_000);
    this.presentedMemo = new Memo(options.memoLimit ?? 500_000);
    for (const b of brandNumbers) {
      const p = parsePhoneNumberFromString(b);
      if (!p || !p.isValid()) continue;
      this.brands.add(p.number);
      this.brandDigits.set(p.number.slice(1), p.number);
      const national = strip(p.formatNational());
      if (!this.brandDigits.has(national))
        this.brandNational.set(national, [p.number, p.country ?? '']);
    }
  }

  routeCountry(route: string): string {
    return routeCountry(route, this.routes);
  }

  /** libphonenumber's valid reading of `text` in `country` ('' for `+…`), or null. */
  parse(text: string, country: string): Parsed | null {
    const known = this.oracle?.(text, country);
    if (known !== undefined) return known;
    const key = `${text}|${country}`;
    const memo = this.parses.get(key);
    if (memo !== undefined) return memo;
    this.parsesDone++;
    const p = parsePhoneNumberFromString(text, (country || undefined) as CountryCode | undefined);
    return this.parses.set(
      key,
      p && p.isValid() ? { e164: p.number, country: p.country ?? '' } : null,
    );
  }

  /** The presented number (caller ID) with the route's country R and the account's A. */
  presented(raw: string, R: string, A: string): Resolution {
    const key = `${raw}|${R}|${A}`;
    return this.presentedMemo.get(key) ?? this.presentedMemo.set(key, this.presentedOf(raw, R, A));
  }

  private presentedOf(raw: string, R: string, A: string): Resolution {
    // A URI is read by its user part, when that is a number (docs/switch-records.md §4).
    const { kind, s, form } = kindOf(uriUser(raw) ?? raw);
    if (kind !== 'number' || !form) return result(kind, form, 0);
    const digits = form === 'plus' ? s.length - 1 : s.length;
    if (form === 'plus') return result(kind, form, digits, this.parse(s, ''), 'plus', 'certain');
    if (form === 'idd00') {
      return result(kind, form, digits, this.parse(`+${s.slice(2)}`, ''), 'idd', 'certain');
    }
    // A brand's national form counts only where the route names no other country.
    const national = form === 'digits' ? this.brandNational.get(s) : undefined;
    const brand =
      form !== 'digits'
        ? undefined
        : (this.brandDigits.get(s) ??
          (national && (R === '' || R === national[1]) ? national[0] : undefined));
    if (brand) return result(kind, form, digits, this.parse(brand, ''), 'brand', 'certain');
    this.start();
    if (R) this.look(this.parse(s, R), 'route');
    if (form === 'digits' && s.length >= 11 && s.charCodeAt(0) !== ZERO) {
      this.look(this.parse(`+${s}`, ''), 'intl');
    }
    return this.chosen(kind, form, digits, s, A);
  }

  /** P: the presented reading's country when certain, or probable without a rival. */
  presentedCountry(res: Resolution): string {
    if (res.confidence === 'certain' || (res.confidence === 'probable' && res.alt === null)) {
      return res.country;
    }
    return '';
  }

  /**
   * The dialled number, with R, P and A (countries, '' when absent), read from the dialled
   * field, without the outside-line prefix, or from the dial string (dialplan.ts).
   */
  dialled(raw: string, R: string, P: string, A: string, dialString = ''): Resolution {
    const { text, source } = dialledValue(raw, dialString, this.outsideLine);
    const res = this.dialledText(uriUser(text) ?? text, R, P, A);
    res.source = source;
    return res;
  }

  private dialledText(raw: string, R: string, P: string, A: string): Resolution {
    const s = strip(raw);
    const form = formOf(s);
    // A value that is no number keeps its digits: with seven or more it is a number with stray
    // characters, invalid rather than special (docs/switch-records.md §7).
    if (!form) return result(kindOf(raw).kind, form, digitsIn(s));
    const kind = 'number';
    const digits = form === 'plus' ? s.length - 1 : s.length;
    if (form === 'plus') return result(kind, form, digits, this.parse(s, ''), 'plus', 'certain');
    if (form === 'idd00') {
      return result(kind, form, digits, this.parse(`+${s.slice(2)}`, ''), 'idd', 'certain');
    }
    this.start();
    if (R) this.look(this.parse(s, R), 'route');
    if (P) this.look(this.parse(s, P), 'presented');
    if (form === 'digits' && writtenNorthAmerican(raw)) this.look(this.parse(s, 'US'), 'format');
    if (form === 'idd011') this.look(this.parse(`+${s.slice(3)}`, ''), 'idd');
    if (form === 'digits' && s.length >= 11 && s.charCodeAt(0) !== ZERO) {
      this.look(this.parse(`+${s}`, ''), 'intl');
    }
    // The account's country only for a call with no evidence of its own (no R, no P).
    return this.chosen(kind, form, digits, s, R === '' && P === '' ? A : '');
  }

  /** Both numbers of a call: the presented one first, since it gives the dialled one P. */
  call(dialled: string, presented: string, route: string, accountCountry: string, dialString = '') {
    const R = this.routeCountry(route);
    const A = asCountry(accountCountry);
    const pres = this.presented(presented, R, A);
    const P = this.presentedCountry(pres);
    return { R, P, A, presented: pres, dialled: this.dialled(dialled, R, P, A, dialString) };
  }

  /** A loaded call's class, from its dialled resolution and the registered phones. */
  classify(res: Resolution, registered: ReadonlySet<string>): CallClass {
    if (res.kind === 'unparseable' && res.digits >= 7) return 'unresolved';
    if (res.kind !== 'number' || res.digits <= 6) return 'service_code';
    if (res.e164 === null) return 'unresolved';
    if (this.brands.has(res.e164)) return 'brand_number';
    if (registered.has(res.e164)) return 'own_phone';
    return 'victim';
  }

  // The readings of ranks 3–7 in turn (one call at a time): the first valid one is chosen,
  // the first valid one of another number is the rejected reading.
  private pick: Parsed | null = null;
  private pickRule: Resolution['rule'] = 'none';
  private rival: string | null = null;

  private start(): void {
    this.pick = null;
    this.pickRule = 'none';
    this.rival = null;
  }

  private look(parsed: Parsed | null, rule: Resolution['rule']): void {
    if (!parsed) return;
    if (!this.pick) {
      this.pick = parsed;
      this.pickRule = rule;
    } else if (this.rival === null && parsed.e164 !== this.pick.e164) {
      this.rival = parsed.e164;
    }
  }

  /** The chosen reading of ranks 3–7, else the account's (looked at only then), else none. */
  private chosen(kind: Kind, form: Form, digits: number, s: string, A: string): Resolution {
    if (this.pick)
      return result(kind, form, digits, this.pick, this.pickRule, 'probable', this.rival);
    const guess = A ? this.parse(s, A) : null;
    return result(kind, form, digits, guess, 'account', 'guess');
  }
}
