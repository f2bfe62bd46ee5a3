/**
 * The answer libphonenumber-js gives for an international number (`+` and digits), without
 * its cost: the library builds a `RegExp` from its metadata for every pattern it tests and
 * spends about 30 µs on a number; here each pattern of its own `max` metadata is compiled once.
 *
 * It follows the library's steps for `parsePhoneNumberFromString('+…').isValid()`: the calling
 * code is the shortest prefix the metadata knows; the national number is the rest; among the
 * countries sharing a calling code the first whose leading digits match, or (without leading
 * digits) whose number types match, is the country; the number is valid when its national
 * number matches the plan's pattern and one of its types (fixed line first, then mobile, …)
 * with a possible length. Where the library would do more — strip a national prefix written
 * after the calling code, a non-geographic calling code, a length it refuses before parsing —
 * `fastInternational` answers `undefined` and the caller asks the library itself.
 * `fast.test.ts` holds it to the library's answers on every calling code (a property test).
 */
import { Metadata } from 'libphonenumber-js/max';
import type { Normalised } from './normalised.ts';

/**
 * The numbering-plan accessors libphonenumber-js has at run time (missing from its typings), for
 * every module here that reads a plan (this one, `without-plus.ts`, `ingest/numbers.ts`).
 */
export interface NumberingPlan {
  callingCode(): string;
  nationalPrefix(): string | undefined;
  IDDPrefix(): string | undefined;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(t: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}
interface MetadataAt {
  hasCallingCode(cc: string): boolean | undefined;
  getCountryCodesForCallingCode(cc: string): string[] | undefined;
  selectNumberingPlan(countryOrCallingCode: string): void;
  numberingPlan: NumberingPlan;
}

/** The order in which the library tries the types of a number (`getNumberType`). */
const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

interface CompiledType {
  lengths: readonly number[] | undefined;
  pattern: RegExp;
}
interface CompiledPlan {
  national: RegExp;
  /** null: a plan without types (none in the current metadata). */
  types: CompiledType[] | null;
}
interface CallingCode {
  /** The countries sharing the code, in the metadata's order (the main country first). */
  countries: Array<{ country: string; leading: RegExp | null; plan: CompiledPlan }>;
  /** The main country's plan, which the library validates a number of no known country by. */
  main: CompiledPlan;
  /** The national prefix the library would strip when it starts the national number. */
  prefix: RegExp | null;
}

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);

let metadata: MetadataAt | undefined;
const codes = new Map<string, CallingCode | null>();
/** Whether the metadata knows a calling code, per one- to three-digit prefix asked about. */
const isCallingCode = new Map<string, boolean>();

function meta(): MetadataAt {
  metadata ??= new Metadata() as unknown as MetadataAt;
  return metadata;
}

function compilePlan(plan: NumberingPlan): CompiledPlan {
  if (!plan.hasTypes()) return { national: whole(plan.nationalNumberPattern()), types: null };
  const types: CompiledType[] = [];
  for (const t of TYPES) {
    const def = plan.type(t);
    const pattern = def?.pattern();
    if (!def || !pattern) continue;
    types.push({ lengths: def.possibleLengths(), pattern: whole(pattern) });
  }
  return { national: whole(plan.nationalNumberPattern()), types };
}

/** The compiled facts of a geographic calling code, or null for one the fast path leaves. */
function callingCode(cc: string): CallingCode | null {
  const known = codes.get(cc);
  if (known !== undefined) return known;
  const m = meta();
  const list = m.getCountryCodesForCallingCode(cc);
  let compiled: CallingCode | null = null;
  if (list) {
    const countries = list.map((country) => {
      m.selectNumberingPlan(country);
      const leading = m.numberingPlan.leadingDigits();
      return {
        country,
        leading: leading ? new RegExp(leading) : null,
        plan: compilePlan(m.numberingPlan),
      };
    });
    m.selectNumberingPlan(cc);
    const prefix = m.numberingPlan.nationalPrefixForParsing();
    compiled = {
      countries,
      main: compilePlan(m.numberingPlan),
      prefix: prefix ? new RegExp(`^(?:${prefix})`) : null,
    };
  }
  codes.set(cc, compiled);
  return compiled;
}

/**
 * Whether the library gives the number a type in this plan (`getNumberType` defined): never in a
 * plan without types. `isValid` differs there: such a plan takes any number its pattern matches.
 */
function hasType(national: string, plan: CompiledPlan): boolean {
  if (plan.types === null || !plan.national.test(national)) return false;
  for (const t of plan.types) {
    if (t.lengths && !t.lengths.includes(national.length)) continue;
    if (t.pattern.test(national)) return true;
  }
  return false;
}

const INTERNATIONAL = /^\+[1-9][0-9]{3,18}$/;
const INVALID: Normalised = { status: 'invalid', e164: null, country: null };

/**
 * What `parsePhoneNumberFromString(text)` and `isValid()` make of `text` (`+` and digits), or
 * `undefined` when the library must be asked.
 */
export function fastInternational(text: string): Normalised | undefined {
  if (!INTERNATIONAL.test(text)) return undefined;
  let cc: string | undefined;
  for (let i = 2; i <= 4; i++) {
    const prefix = text.slice(1, i);
    let known = isCallingCode.get(prefix);
    if (known === undefined) {
      known = meta().hasCallingCode(prefix) === true;
      isCallingCode.set(prefix, known);
    }
    if (known) {
      cc = prefix;
      break;
    }
  }
  if (cc === undefined) return undefined;
  const code = callingCode(cc);
  if (code === null) return undefined;
  const national = text.slice(1 + cc.length);
  if (national.length < 2 || national.length > 17) return undefined;
  if (code.prefix?.test(national)) return undefined;

  let country: string | null = null;
  let plan = code.main;
  if (code.countries.length === 1) {
    const only = code.countries[0] as CallingCode['countries'][number];
    country = only.country;
    plan = only.plan;
  } else {
    for (const c of code.countries) {
      const found = c.leading ? national.search(c.leading) === 0 : hasType(national, c.plan);
      if (found) {
        country = c.country;
        plan = c.plan;
        break;
      }
    }
  }
  const valid = plan.types === null ? plan.national.test(national) : hasType(national, plan);
  if (!valid) return INVALID;
  return { status: 'valid', e164: `+${cc}${national}`, country };
}
