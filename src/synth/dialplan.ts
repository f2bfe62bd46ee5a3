/**
 * The synth's own reading of docs/switch-records.md §4 and §7, independent of src/ingest: what
 * kind of caller ID a call presents, a URI's user part, and which value of a call is read as
 * its dialled number — the dialled field, the field without the outside-line prefix, or the
 * number in the dial string (Asterisk `lastdata` of a `Dial`).
 */
import { DIGITS, formOf, strip, WITHHELD } from './forms.ts';

/** §4: what a caller ID is. */
export type CallerKind = 'number' | 'withheld' | 'alphanumeric' | 'uri' | 'other';
/** §7: where the dialled number that is read came from. */
export type DialledSource = 'dialled' | 'outside_line' | 'dial_string';

const SCHEME = /^(sips?|tel):/i;
const ALPHANUMERIC = /^[\p{L}\p{N} ]+$/u;
const LETTER = /\p{L}/u;

/** A URI's user part (`sip:`, `sips:`, `tel:`, or `user@host`), or null for no URI. */
export function uriUser(raw: string): string | null {
  // Most values are no URI: say so without trimming or matching them.
  if (!raw.includes(':') && !raw.includes('@')) return null;
  const t = raw.trim();
  const m = SCHEME.exec(t);
  if (m) {
    const rest = t.slice(m[0].length);
    // A tel URI's parameters follow `;`; a SIP URI's host follows `@`.
    const end = m[1]!.toLowerCase() === 'tel' ? rest.indexOf(';') : rest.search(/[@;]/);
    return end < 0 ? rest : rest.slice(0, end);
  }
  const at = t.indexOf('@');
  return at > 0 ? t.slice(0, at) : null;
}

/** §4's kind of a caller ID (withheld first: `anonymous` is letters too). */
export function callerKind(raw: string): CallerKind {
  const t = raw.trim();
  if (WITHHELD.has(t.toLowerCase())) return 'withheld';
  if (uriUser(t) !== null) return 'uri';
  if (formOf(strip(t))) return 'number';
  return ALPHANUMERIC.test(t) && LETTER.test(t) ? 'alphanumeric' : 'other';
}

const digitCount = (s: string) => (s.charCodeAt(0) === 43 ? s.length - 1 : s.length);

/**
 * A caller ID that gives no number (truth/switch.json `non_number_caller_ids`): alphanumeric, a
 * URI or e-mail address, anything else that is not a number, or an extension — six digits or
 * fewer, no `+`, that the rules do not read (`read`: a brand's short code is its number).
 * Withheld caller IDs are counted apart.
 */
export function givesNoNumber(raw: string, read: boolean): boolean {
  const kind = callerKind(raw);
  if (kind === 'withheld') return false;
  if (kind !== 'number') return true;
  const s = strip(raw);
  return !read && s.charCodeAt(0) !== 43 && digitCount(s) <= 6;
}

/** A dialled field that holds a usable number: a number (a URI's user part) of 7+ digits. */
function usable(raw: string): boolean {
  const s = strip(uriUser(raw) ?? raw);
  return formOf(s) !== null && digitCount(s) > 6;
}

/** Whether a dialled field is `number` (its digits) behind one or two more digits. */
function behindPrefix(raw: string, number: string): boolean {
  const s = strip(raw);
  const n = number.charCodeAt(0) === 43 ? number.slice(1) : number;
  const extra = s.length - n.length;
  return (extra === 1 || extra === 2) && DIGITS.test(s) && s.endsWith(n);
}

/**
 * The number a dial string's first target names (`SIP/12025550143@trunk,60` → 12025550143,
 * `SIP/peer/07700900123` → 07700900123; forked targets are joined by `&`), when it is `+` and
 * digits or digits, more than six of them; else null.
 */
export function dialStringNumber(dialString: string): string | null {
  const target = dialString.split(',', 1)[0]!.split('&', 1)[0]!.trim();
  const slash = target.indexOf('/');
  if (slash < 0) return null;
  let resource = target.slice(slash + 1);
  const at = resource.indexOf('@');
  if (at >= 0) resource = resource.slice(0, at);
  resource = resource.slice(resource.lastIndexOf('/') + 1);
  const s = resource.charCodeAt(0) === 43 ? resource.slice(1) : resource;
  return DIGITS.test(s) && s.length > 6 ? resource : null;
}

/**
 * §7: the value read as the dialled number. An outside-line prefix is dropped from a value of
 * digits (separators aside; not `+`) that starts with it and has more than six digits after
 * it (what is read is those digits); else the dial string's number when the field holds no
 * usable number, or holds that number behind one or two more digits (a prefix the dial plan
 * stripped: `812125550144` dialled, `SIP/12125550144@trunk` sent); else the field as written.
 */
export function dialledValue(
  raw: string,
  dialString: string,
  outsideLine: string,
): { text: string; source: DialledSource } {
  if (outsideLine !== '') {
    const s = strip(raw);
    if (s.startsWith(outsideLine) && s.length - outsideLine.length > 6 && DIGITS.test(s)) {
      return { text: s.slice(outsideLine.length), source: 'outside_line' };
    }
  }
  if (dialString !== '') {
    const n = dialStringNumber(dialString);
    if (n !== null && (!usable(raw) || behindPrefix(raw, n))) {
      return { text: n, source: 'dial_string' };
    }
  }
  return { text: raw, source: 'dialled' };
}
