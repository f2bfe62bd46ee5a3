/**
 * Message templates: placeholders filled per victim, the encoding and segment count a text
 * will take, and the safety check (docs/outreach.md, "Message safety") refusing a template before
 * anyone can approve it.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { DEFAULT_TEMPLATES, type Lang } from './languages.ts';

export const PLACEHOLDERS = ['brand', 'call_date', 'reference', 'site', 'force'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Values = Record<Placeholder, string>;

/** The English text (languages.ts keeps every language's). */
export const DEFAULT_TEMPLATE = DEFAULT_TEMPLATES.en;

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
const NEGATED = /\b(?:never|not|n[o']t|don['’]t)\b/i;

/**
 * The words of one language the safety check looks for. A clause asks for personal details
 * when an asking word and a personal detail are within 60 characters of each other: in
 * English the asking word first; in Welsh, Dutch and French either way round (Dutch puts the
 * verb last: "wilt u uw pincode doorgeven"). It asks for money when a paying word and money
 * are within 40 characters, or when it names a fee or a "safe account". A clause with a
 * negation ("never", "byth", "nooit", "jamais") says what the police will not do, and asks
 * for nothing.
 */
interface Vocabulary {
  personal: RegExp[];
  payment: RegExp[];
  urgency: RegExp;
  negated: RegExp;
}

const ENGLISH: Vocabulary = {
  personal: [new RegExp(`${ASK}[^.!?]{0,60}${PERSONAL}`, 'i')],
  payment: PAYMENT,
  urgency: URGENCY,
  negated: NEGATED,
};

// Whole words of any alphabet (JavaScript's \b knows only ASCII letters: "coordonnées" ends
// in a letter \b cannot see). `alts` is an alternation; matched without case, Unicode-aware.
const word = (alts: string) => String.raw`(?<![\p{L}\p{N}])(?:${alts})(?![\p{L}\p{N}])`;
const MONEY_SIGN = '[£$€]';

function vocabulary(w: {
  ask: string;
  personal: string;
  pay: string;
  money: string;
  standalonePayment: string;
  urgency: string;
  negation: string;
}): Vocabulary {
  const ask = word(w.ask);
  const personal = word(w.personal);
  const pay = word(w.pay);
  const money = `(?:${MONEY_SIGN}|${word(w.money)})`;
  return {
    personal: [
      new RegExp(`${ask}[^.!?]{0,60}${personal}`, 'iu'),
      new RegExp(`${personal}[^.!?]{0,60}${ask}`, 'iu'),
    ],
    payment: [
      new RegExp(`${pay}[^.!?]{0,40}${money}`, 'iu'),
      new RegExp(`${money}[^.!?]{0,40}${pay}`, 'iu'),
      new RegExp(word(w.standalonePayment), 'iu'),
    ],
    urgency: new RegExp(word(w.urgency), 'iu'),
    negated: new RegExp(w.negation, 'iu'),
  };
}

// Welsh words change their first letter after some words (mutation): "cerdyn" (card) is also
// "gerdyn", "ngherdyn" and "cherdyn". These spell each form a word can take.
const C = '(?:c|g|ngh|ch)';
const T = '(?:t|d|nh|th)';
const M = '(?:m|f)';
const D = '(?:d|dd|n)';
const RH = '(?:rh|r)';

const VOCABULARIES: Record<Exclude<Lang, 'en'>, Vocabulary> = {
  cy: vocabulary({
    ask: [
      'anfonwch|anfon|hanfon|rhowch|rhoi|roi|darparwch|darparu|ddarparu',
      'cadarnhewch|cadarnhau|gadarnhau|chadarnhau|dilyswch|dilysu|ddilysu|gwiriwch',
      'teipiwch|teipio|deipio|rhannwch|rhannu|rannu|dywedwch|dweud|ddweud|atebwch gyda',
      'diweddarwch|diweddaru|ddiweddaru|nodwch|nodi|mewngofnodwch',
      'gofyn|ofyn|gofynnwn|gofynnwch|gofynnir|gofynnon',
    ].join('|'),
    personal: [
      `PIN|OTP|CVV|CVC|${C}yfrinair|${C}yfrineiriau|${M}anylion`,
      `${C}od(?:au)? (?:diogelwch|untro|mewngofnodi|cyfrinachol|PIN|dilysu|didoli)`,
      `${RH}if (?:${C}erdyn|${C}yfrif|PIN|Yswiriant Gwladol)|${C}erdyn (?:banc|credyd|debyd)`,
      `${D}yddiad geni|${C}yfeiriad (?:e-?bost|cartref|post)|eich ${C}yfeiriad`,
      `enw defnyddiwr|Yswiriant Gwladol|one[- ]time`,
    ].join('|'),
    pay: [
      `${T}alwch|${T}alu|${T}rosglwyddwch|${T}rosglwyddo|anfonwch|anfon|hanfon`,
      'symudwch|symud|rhowch|rhoi|roi',
    ].join('|'),
    money: `arian|${C}ynilion|ffi|swm|${C}yfrif diogel|cardiau rhodd|talebau|bitcoin|crypto`,
    standalonePayment: `ffi|taliad o|${C}yfrif diogel|cardiau rhodd`,
    urgency: [
      'brys|ar frys|ar unwaith|yn syth|yn ddi-oed|heb oedi|gweithredwch nawr|atebwch nawr',
      String.raw`o fewn \d+ (?:awr|munud|diwrnod|niwrnod)|cyfle olaf|rhybudd olaf`,
      'heddiw yn unig|cyn gynted (?:â|a|ag) phosib(?:l)?|cyn gynted ag y bo modd|asap',
    ].join('|'),
    // "ni" is also "we/us" ("rhowch eich PIN i ni"): a negation only where it opens the clause
    // ("Ni fyddwn byth…"). "heb" (without) is not one: "heb oedi" is "without delay".
    negation: String.raw`^\s*ni(?![\p{L}\p{N}])|${word('nid|nad|byth|peidiwch|dim')}`,
  }),
  nl: vocabulary({
    ask: [
      'stuur|stuurt|sturen|opsturen|doorsturen|verstuur|versturen|geef|geeft|geven|doorgeven',
      'vul|invullen|voer|invoeren|bevestig|bevestigen|verifieer|verifiëren|controleer|controleren',
      'typ|typt|intypen|deel|delen|noem|noemen|vertel|vertellen|verstrek|verstrekken',
      'antwoord met|sms ons|app ons|mail ons|log in|inloggen|wijzig|wijzigen|update',
      'vra(?:ag|agt|gen)(?: u| wij| we)? (?:om|naar)|verzoeken om|verzoek om',
    ].join('|'),
    personal: [
      'wachtwoord(?:en)?|pin|pincode|pin-code|pinpas|pasnummer|pascode|kaartnummer',
      'creditcard(?:nummer|gegevens)?|cvc(?:-code)?|cvv|beveiligingscode|verificatiecode',
      'inlogcode|sms-code|tan-code|eenmalige code|toegangscode|identificatiecode|otp|one[- ]time',
      String.raw`\p{L}*gegevens|rekeningnummer|iban|gebruikersnaam|geboortedatum|bsn`,
      'burgerservicenummer|digid|(?:woon|e-?mail|huis)adres|uw adres|identiteitsbewijs|paspoort',
    ].join('|'),
    pay: [
      'betaal|betaalt|betalen|betaald|maak|maakt|overmaken|overgemaakt|overboeken|overgeboekt',
      'boek|stort|storten|gestort|stuur|sturen|verstuur|versturen|verplaats|verplaatsen|zet',
      'zetten|overzetten|opnemen|overschrijven|overschrijving|overboeking',
    ].join('|'),
    money: [
      'geld|bedrag|spaargeld|saldo|kosten|tegoed|contant|veilige rekening|kluisrekening',
      String.raw`cadeaukaarten?|giftcards?|bitcoins?|crypto\p{L}*`,
    ].join('|'),
    standalonePayment:
      'kosten|administratiekosten|betaling van|veilige rekening|kluisrekening|beveiligde rekening|tijdelijke rekening',
    urgency: [
      'dringend|urgent|spoed|met spoed|onmiddellijk|direct|meteen|handel nu|zo snel mogelijk|zsm',
      String.raw`binnen \d+ (?:uur|minuten?|dagen?)|laatste kans|laatste herinnering`,
      'laatste waarschuwing|laatste aanmaning|alleen vandaag|vandaag nog',
    ].join('|'),
    negation: word('niet|nooit|geen|nimmer|noch|niets'),
  }),
  fr: vocabulary({
    ask: [
      'envoyez|envoyer|renvoyez|donnez|donner|communiquez|communiquer|transmettez|transmettre',
      'fournissez|fournir|confirmez|confirmer|vérifiez|validez|valider|indiquez|indiquer',
      'saisissez|saisir|entrez|entrer|tapez|taper|renseignez|renseigner|partagez|partager',
      'mettez à jour|mettre à jour|actualisez|répondez avec|dites-nous|connectez-vous',
      String.raw`identifiez-vous|demand\p{L}*`,
    ].join('|'),
    personal: [
      'mots? de passe|PIN|OTP|CVV|CVC|cryptogramme|RIB|IBAN|identifiants?|login',
      "codes? (?:secrets?|confidentiels?|de sécurité|PIN|de confirmation|de validation|de vérification|à usage unique|uniques?|reçus?|d['’]accès|d['’]authentification|d['’]identification|bancaires?|de carte)",
      'numéro de (?:carte|compte)|cartes? (?:bancaires?|bleues?|de crédit|de paiement)',
      'coordonnées|date de naissance|(?:votre|ton) adresse|adresse (?:postale|e-?mail|mail|électronique|de domicile)',
      "numéro de sécurité sociale|données (?:personnelles|bancaires)|informations (?:personnelles|bancaires|de connexion)|nom d['’]utilisateur|pièce d['’]identité",
    ].join('|'),
    pay: [
      'payez|payer|payé|réglez|régler|virez|virer|viré|transférez|transférer|transféré',
      'versez|verser|versé|envoyez|envoyer|déplacez|déplacer|mettez|mettre|retirez|retirer',
      'effectuez|effectuer|faites|faire',
    ].join('|'),
    money: [
      'argent|fonds|économies|épargne|frais|montant|somme|virement|espèces|liquide',
      'compte (?:sécurisé|sûr|de sécurité|protégé|refuge|temporaire)|cartes? cadeaux?',
      'coupons?|recharges?|PCS|Transcash|bitcoins?|cryptomonnaies?|crypto',
    ].join('|'),
    standalonePayment:
      'frais|paiement de|compte (?:sécurisé|sûr|de sécurité|protégé|refuge|temporaire)|coupons? (?:PCS|Transcash)|cartes? cadeaux?',
    urgency: [
      'urgent|urgente|urgence|en urgence|immédiatement|tout de suite|sans délai|sans attendre',
      "dès maintenant|dès aujourd['’]hui|agissez maintenant|répondez maintenant|au plus vite",
      String.raw`au plus tôt|dans les \d+ ?(?:heures?|h|minutes?|jours?)|sous \d+ ?(?:heures?|h|minutes?|jours?)`,
      "avant ce soir|dernière chance|dernier (?:avis|rappel|délai)|aujourd['’]hui seulement",
      'dépêchez-vous',
    ].join('|'),
    // "n'" is a negation too ("n'envoyez jamais"); "sans" (without) is not: "sans délai".
    negation: String.raw`${word('ne|pas|jamais|aucune?|ni|rien|nullement')}|(?<![\p{L}\p{N}])n['’](?=\p{L})`,
  }),
};

/**
 * Everything that makes a template unsafe, checked on the template and on a message rendered
 * with the longest values the campaign will fill in: a link other than the official domain
 * written as plain text, a request for personal details or money, urgency, more than three
 * segments, no reference code, an unknown placeholder. A template in Welsh, Dutch or French
 * (`lang`) is checked with that language's words and the English ones (an English phrase
 * pasted into it is caught too); an English one with the English words only.
 */
export function safetyProblems(
  template: string,
  officialSite: string,
  longest: Values,
  lang: Lang = 'en',
): SafetyProblem[] {
  const vocabularies = lang === 'en' ? [ENGLISH] : [VOCABULARIES[lang], ENGLISH];
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
  const negated = (c: string) => vocabularies.some((v) => v.negated.test(c));
  const any = (pick: (v: Vocabulary) => RegExp[], c: string) =>
    vocabularies.some((v) => pick(v).some((re) => re.test(c)));
  for (const sentence of written.split(/(?<=[.!?])\s+/)) {
    const s = sentence.trim();
    const clauses = s.split(/[,;:]\s*/);
    const asks = (re: (c: string) => boolean) => clauses.some((c) => re(c) && !negated(c));
    if (asks((c) => any((v) => v.personal, c))) {
      problems.push({ rule: 'personal_details', detail: `asks for personal details: “${s}”` });
    }
    if (asks((c) => any((v) => v.payment, c))) {
      problems.push({ rule: 'payment', detail: `asks for a payment: “${s}”` });
    }
    if (vocabularies.some((v) => v.urgency.test(s)))
      problems.push({ rule: 'urgency', detail: `urgent wording: “${s}”` });
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

/** The locale each language writes a call's date in. */
const DATE_LOCALES: Record<Lang, string> = { en: 'en-GB', cy: 'cy', nl: 'nl', fr: 'fr' };

// Welsh months, should the runtime's ICU lack Welsh (a small-icu Node falls back to English
// silently). Node 20's full ICU has them, and writes the same.
const CY_MONTHS = [
  'Ionawr',
  'Chwefror',
  'Mawrth',
  'Ebrill',
  'Mai',
  'Mehefin',
  'Gorffennaf',
  'Awst',
  'Medi',
  'Hydref',
  'Tachwedd',
  'Rhagfyr',
];

const DATES = new Map<Lang, Intl.DateTimeFormat>();
const dateFormat = (lang: Lang): Intl.DateTimeFormat => {
  let f = DATES.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(DATE_LOCALES[lang], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    DATES.set(lang, f);
  }
  return f;
};
const hasWelsh = Intl.DateTimeFormat.supportedLocalesOf(['cy']).length > 0;

/**
 * `2026-03-12` (the call's date in the victim's zone) as a text says it: `12 March 2026`,
 * `12 Mawrth 2026`, `12 maart 2026`, `12 mars 2026`. French writes the first of the month
 * `1er` and August `aout` (the 1990 spelling the Académie accepts): "août" has a û, which is
 * not GSM-7 and would make the whole French text UCS-2 (70 characters a segment, not 160).
 */
export function formatCallDate(isoDate: string | null, lang: Lang = 'en'): string {
  if (!isoDate) return '';
  const d = new Date(`${isoDate}T00:00:00Z`);
  if (lang === 'cy' && !hasWelsh)
    return `${d.getUTCDate()} ${CY_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  const text = dateFormat(lang).format(d);
  if (lang !== 'fr') return text;
  return text.replace(/^1(?=\s)/, '1er').replace(/août/g, 'aout');
}

const longestDates = new Map<Lang, string>();
/**
 * The longest date `formatCallDate` writes in `lang` (what the safety check renders): English
 * `30 September 2026` (`LONGEST_CALL_DATE`), Welsh `31 Gorffennaf 2026`, Dutch
 * `30 september 2026`, French `1er septembre 2026`.
 */
export function longestCallDate(lang: Lang = 'en'): string {
  let longest = longestDates.get(lang);
  if (longest === undefined) {
    longest = '';
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const s = formatCallDate(new Date(t).toISOString().slice(0, 10), lang);
      if (s.length >= longest.length) longest = s;
    }
    longestDates.set(lang, longest);
  }
  return longest;
}
