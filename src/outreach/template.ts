/**
 * Message templates: placeholders filled per victim, the encoding and segment count a text
 * will take, and the safety check (DESIGN §6, message safety) that refuses a template before
 * anyone can approve it.
 */
import { SegmentedMessage } from 'sms-segments-calculator';

export const PLACEHOLDERS = ['brand', 'call_date', 'reference', 'site', 'force'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Values = Record<Placeholder, string>;

export const DEFAULT_TEMPLATE =
  '{force}: on {call_date} someone called this phone pretending to be {brand}. It was not them. ' +
  'We never ask for money or bank details. To check this text is real, type {site} into your ' +
  'browser and enter reference {reference}. Reply STOP to opt out.';

export const MAX_SEGMENTS = 3;

/** What previews and the safety check write for a code: the same length as a real one. */
export const CODE_STAND_IN = 'XXXX-XXXX-XXXX';
/** The longest date `formatCallDate` writes (what the safety check renders). */
export const LONGEST_CALL_DATE = '30 September 2026';

export function render(template: string, values: Values): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
  );
}

export interface Encoding {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  /** The characters that force UCS-2 (none for GSM-7). */
  ucs2Characters: string[];
}

export function encodingOf(text: string): Encoding {
  const m = new SegmentedMessage(text, 'auto');
  return {
    encoding: m.encodingName,
    segments: m.segmentsCount,
    characters: m.numberOfCharacters,
    ucs2Characters: [...new Set(m.getNonGsmCharacters())],
  };
}

export interface SafetyProblem {
  rule:
    'link' | 'personal_details' | 'payment' | 'urgency' | 'segments' | 'reference' | 'placeholder';
  detail: string;
}

// A domain-like token: labels joined by dots, ending in a letter TLD (with or without a scheme).
const LINK =
  /\b(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:\/[^\s]*)?/gi;
const ASK = String.raw`\b(?:send|give|provide|confirm|verify|enter|type|reply with|tell us|share|update|text us)\b`;
const PERSONAL = String.raw`\b(?:password|passcode|pin|one[- ]time|otp|card(?: number| details)?|cvv|security (?:number|code|details)|bank(?:ing)? details|account (?:number|details)|sort code|date of birth|address|national insurance|login|username)\b`;
const PAYMENT = [
  new RegExp(
    String.raw`\b(?:pay|transfer|send|move)\b[^.!?]{0,40}(?:£|\$|€|\bmoney\b|\bfunds?\b|\bsavings\b|\bfee\b|\bamount\b|\bsafe account\b)`,
    'i',
  ),
  /\b(?:fee|payment of|safe account)\b/i,
];
const URGENCY =
  /\b(?:urgent(?:ly)?|immediately|act now|right away|within \d+ (?:hours?|minutes?)|last chance|final notice|today only|asap)\b/i;

/**
 * Everything that makes a template unsafe, checked on the template and on a message rendered
 * with the longest values the campaign will fill in: a link other than the official domain
 * written as plain text, a request for personal details or money, urgency, more than three
 * segments, no reference code, an unknown placeholder.
 */
export function safetyProblems(
  template: string,
  officialSite: string,
  longest: Values,
): SafetyProblem[] {
  const problems: SafetyProblem[] = [];
  for (const [, name] of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name as string)) {
      problems.push({
        rule: 'placeholder',
        detail: `unknown placeholder {${name}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      });
    }
  }
  if (!template.includes('{reference}')) {
    problems.push({
      rule: 'reference',
      detail: 'the text must carry the victim’s reference code: add {reference}',
    });
  }
  const site = officialSite.toLowerCase();
  // The template without the placeholders' values: links must be in the text the author wrote.
  const written = render(template, { ...longest, site, brand: 'brand', reference: 'REF' });
  for (const [link] of written.matchAll(LINK)) {
    const l = link.toLowerCase().replace(/[.,;:!?)]+$/, '');
    const host = l.split('/')[0] as string;
    if (l.includes('://')) {
      problems.push({
        rule: 'link',
        detail: `“${link}” is a link: write the official site as plain text (${site}), never a link`,
      });
    } else if (host !== site && !host.endsWith(`.${site}`) && !site.startsWith(host)) {
      problems.push({ rule: 'link', detail: `“${link}” is not the official site (${site})` });
    }
  }
  // A request is judged clause by clause: "We never ask for your PIN" says what the police
  // will not do, but "Do not delay, send your PIN" still asks for it.
  const NEGATED = /\b(?:never|not|n[o']t|don['’]t)\b/i;
  for (const sentence of written.split(/(?<=[.!?])\s+/)) {
    const s = sentence.trim();
    const clauses = s.split(/[,;:]\s*/);
    const asks = (re: (c: string) => boolean) => clauses.some((c) => re(c) && !NEGATED.test(c));
    if (asks((c) => new RegExp(`${ASK}[^.!?]{0,60}${PERSONAL}`, 'i').test(c))) {
      problems.push({ rule: 'personal_details', detail: `asks for personal details: “${s}”` });
    }
    if (asks((c) => PAYMENT.some((re) => re.test(c)))) {
      problems.push({ rule: 'payment', detail: `asks for a payment: “${s}”` });
    }
    if (URGENCY.test(s)) problems.push({ rule: 'urgency', detail: `urgent wording: “${s}”` });
  }
  const enc = encodingOf(render(template, longest));
  if (enc.segments > MAX_SEGMENTS) {
    problems.push({
      rule: 'segments',
      detail: `the longest text takes ${enc.segments} segments (${enc.encoding}${enc.ucs2Characters.length ? `, forced by ${enc.ucs2Characters.join(' ')}` : ''}); at most ${MAX_SEGMENTS}`,
    });
  }
  return problems;
}

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `2026-03-12` (the call's date in the victim's zone) as a text says it: `12 March 2026`. */
export const formatCallDate = (isoDate: string | null): string =>
  isoDate ? DATE.format(new Date(`${isoDate}T00:00:00Z`)) : '';
