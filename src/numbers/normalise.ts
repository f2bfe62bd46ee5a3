/**
 * Phone-number normalisation: every number becomes E.164 with its country, with
 * libphonenumber-js (`max` metadata) as the reference for validity (docs/seized-export.md,
 * "Phone numbers").
 *
 * The rules, in order (docs/seized-export.md repeats them for analysts):
 * 1. Separators (space, `-`, `.`, `(`, `)`, `/`) are removed. What remains must be `+` and
 *    digits, or digits with `*` and `#` (service codes), else the number is `unparseable_number`.
 *    A withheld caller ID (`anonymous`, `private`, …) and Asterisk's one-letter special
 *    extensions (`s`, `i`, `t`, `h`) are recognised and kept as what they are.
 * 2. A number starting `+` is international and parsed as it is.
 * 3. Any other number is in national form and is parsed in the call's context country (the
 *    caller decides which: route hint, presented number's country, account's country, in that
 *    order). libphonenumber applies that country's international and national prefixes.
 * 4. With no context country a number starting `00` is read as `+`; anything else is
 *    `unresolvable_national_number`: quarantined, never guessed.
 * A number that parses but that libphonenumber does not call valid (an IVR extension, a test
 * destination) is kept as `invalid`: it is loaded, and is never a victim.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { fastInternational } from './fast.ts';

import type { Normalised, NumberProblem, NumberStatus } from './normalised.ts';

export type { Normalised, NumberProblem, NumberStatus };

const SEPARATORS = /[\s\-.()/]/g;
// International numbers are digits only; `*` and `#` belong to service codes (`*97`, `#31#`).
const DIALLABLE = /^(\+[0-9]+|[0-9*#]*[0-9][0-9*#]*)$/;
const WITHHELD = new Set([
  'anonymous',
  'private',
  'restricted',
  'withheld',
  'unknown',
  'unavailable',
]);
const SPECIAL_EXTENSIONS = new Set(['s', 'i', 't', 'h']);

/** Removes separators; returns null when what is left is not a dialled number. */
export function stripNumber(raw: string): string | null {
  const s = raw.replace(SEPARATORS, '');
  return DIALLABLE.test(s) ? s : null;
}

const WITHHELD_RESULT: Normalised = { status: 'withheld', e164: null, country: null };
const SPECIAL_RESULT: Normalised = { status: 'special', e164: null, country: null };
const INVALID_RESULT: Normalised = { status: 'invalid', e164: null, country: null };
const UNPARSEABLE: Normalised = {
  status: 'quarantine',
  reason: 'unparseable_number',
  e164: null,
  country: null,
};
const UNRESOLVABLE: Normalised = {
  status: 'quarantine',
  reason: 'unresolvable_national_number',
  e164: null,
  country: null,
};

/** Classifies what is not a number at all (empty, withheld, special) before parsing. */
function classifyWord(raw: string): Normalised | null {
  const t = raw.trim().toLowerCase();
  if (t === '' || WITHHELD.has(t)) return WITHHELD_RESULT;
  if (SPECIAL_EXTENSIONS.has(t)) return SPECIAL_RESULT;
  return null;
}

/**
 * Parses a stripped dial string in a context country with libphonenumber-js (an international
 * number through `fastInternational`, which gives the library's answer faster).
 */
export function parseStripped(stripped: string, context: string | null): Normalised {
  let text = stripped;
  let country: CountryCode | undefined;
  if (!text.startsWith('+')) {
    if (context) country = context as CountryCode;
    else if (text.startsWith('00')) text = `+${text.slice(2)}`;
    else return UNRESOLVABLE;
  }
  if (!country) {
    const fast = fastInternational(text);
    if (fast) return fast;
  }
  const parsed = country
    ? parsePhoneNumberFromString(text, country)
    : parsePhoneNumberFromString(text);
  if (!parsed || !parsed.isValid()) return INVALID_RESULT;
  return { status: 'valid', e164: parsed.number, country: parsed.country ?? null };
}

/** The reference normalisation: exactly the rules above, no caching. */
export function normaliseNumber(raw: string, context: string | null): Normalised {
  const word = classifyWord(raw);
  if (word) return word;
  const stripped = stripNumber(raw);
  if (stripped === null) return UNPARSEABLE;
  return parseStripped(stripped, context);
}

/**
 * The same function, memoised on (stripped number, context). The context is dropped from the
 * key where it cannot matter (international numbers), so each distinct number is parsed once.
 */
export function createNormaliser(): (raw: string, context: string | null) => Normalised {
  const cache = new Map<string, Normalised>();
  return (raw, context) => {
    const word = classifyWord(raw);
    if (word) return word;
    const stripped = stripNumber(raw);
    if (stripped === null) return UNPARSEABLE;
    const key = stripped.startsWith('+') ? stripped : `${context ?? ''}|${stripped}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = parseStripped(stripped, context);
      cache.set(key, hit);
    }
    return hit;
  };
}
