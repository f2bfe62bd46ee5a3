/**
 * The written forms of a raw value (docs/numbers.md, "Forms"): separators dropped, then `+` and
 * digits, `00…`, `011…` or other digits; and what a value that is no number is. Part of the
 * synth's own reading of the rules (resolve.ts), independent of src/numbers and src/ingest.
 */
export type Form = 'plus' | 'idd00' | 'idd011' | 'digits';
/** What a raw value is: a number in one of the forms, or not a number. */
export type Kind = 'number' | 'withheld' | 'special' | 'service' | 'unparseable';

/** Withheld caller IDs (docs/switch-records.md §4), compared in lower case. */
export const WITHHELD = new Set(['', 'anonymous', 'private', 'unknown', 'restricted', 'withheld']);
const SPECIAL = new Set(['s', 'i', 't', 'h']);
/**
 * Dial-plan artefacts (docs/switch-records.md §7) begin with a letter: a service name
 * (`voicemail`), a special extension, a channel name (`SIP/1001-0000002a`). A value that begins
 * as a number does (a digit, `+`, `(`) and holds other characters is a number with stray
 * letters: unparseable (docs/seized-export.md, "Phone numbers").
 */
const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const CHANNEL = /^[A-Za-z][A-Za-z0-9]*\/\S+$/;
const ZERO = 48;
const ONE = 49;
const PLUS = 43;
/**
 * Written the North American way: an optional `1` and a separator, the area code in parentheses
 * (a separator may follow) or followed by a separator, three digits, a separator, four digits.
 */
const NANP = /^(?:1[ .-])?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}$/;

/** Space (and tab, no-break space, line ends), `-`, `.`, `(`, `)`, `/`, by character code. */
const SEPARATOR_CODES = new Uint8Array(256);
for (const c of [32, 9, 10, 13, 160, 45, 46, 40, 41, 47]) SEPARATOR_CODES[c] = 1;
const PLUS_DIGITS = /^\+\d+$/;
export const DIGITS = /^\d+$/;

/** Drops the separators (a loop: twice as fast as the regular expression, in the hot path). */
export function strip(raw: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 256 && SEPARATOR_CODES[c] === 1) {
      out += raw.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? raw : out + raw.slice(from);
}

/** The form of a stripped value, or null when it is not `+` and digits, or digits. */
export function formOf(s: string): Form | null {
  if (s.charCodeAt(0) === PLUS) return PLUS_DIGITS.test(s) ? 'plus' : null;
  if (!DIGITS.test(s)) return null;
  if (s.charCodeAt(0) !== ZERO) return 'digits';
  const second = s.charCodeAt(1);
  if (second === ZERO && s.charCodeAt(2) > ZERO) return 'idd00';
  if (second === ONE && s.charCodeAt(2) === ONE && s.charCodeAt(3) > ZERO) return 'idd011';
  return 'digits';
}

/** What a raw value is, before any reading. */
export function kindOf(raw: string): { kind: Kind; s: string; form: Form | null } {
  const s = strip(raw);
  const form = formOf(s);
  if (form) return { kind: 'number', s, form };
  const word = s.toLowerCase();
  if (WITHHELD.has(word)) return { kind: 'withheld', s, form };
  if (SPECIAL.has(word) || NAME.test(s) || CHANNEL.test(raw.trim())) {
    return { kind: 'special', s, form };
  }
  if (/^[\d*#]+$/.test(s)) return { kind: 'service', s, form };
  return { kind: 'unparseable', s, form };
}

export function writtenNorthAmerican(raw: string): boolean {
  return NANP.test(raw.trim());
}
