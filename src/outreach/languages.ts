/**
 * The languages victims are texted in (and read the portal in): English, Welsh, Dutch, French.
 *
 * Which language a victim gets by default follows the country of their number
 * (`languageOf`); a campaign can override it per country. Two decisions:
 *
 * - **Belgium → Dutch.** Belgium is bilingual (and has a small German-speaking community), and
 *   a Belgian number says nothing about which language its owner reads. Dutch (Flemish) is the
 *   majority language, so it is the default; a campaign aimed at Brussels or Wallonia overrides
 *   it with `{ BE: 'fr' }`. The portal's language links are on every page either way.
 * - **Welsh is never chosen by country.** A GB number does not say the phone is in Wales, or
 *   that its owner reads Welsh, and sending Welsh to an English reader in Leeds would read like
 *   a scam. A campaign by (or for victims of) a Welsh force chooses it explicitly:
 *   `{ GB: 'cy' }`. (Welsh public bodies usually send bilingual texts; a bilingual text does
 *   not fit three segments with these placeholders, so Welsh here is Welsh alone.)
 *
 * Every language's text tells the victim to reply STOP: the opt-out keyword the UK, Irish,
 * Dutch, Belgian and French carriers honour, and the one `optout.ts` recognises first in a
 * reply (it also takes ARRET/ARRÊT, STOPP, AFMELDEN and the English variants alone).
 */
export const LANGS = ['en', 'cy', 'nl', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language's name, in English (for the officers' pages). */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = {
  en: 'English',
  cy: 'Welsh',
  nl: 'Dutch',
  fr: 'French',
};

export const isLang = (v: unknown): v is Lang => LANGS.includes(v as Lang);

/** The language each country's victims are texted in by default (any other country: English). */
export const COUNTRY_LANGUAGES: Readonly<Record<string, Lang>> = {
  GB: 'en',
  IE: 'en',
  NL: 'nl',
  BE: 'nl',
  FR: 'fr',
  LU: 'fr',
  MC: 'fr',
};

/**
 * The language a victim whose number is from `country` (ISO 3166-1 alpha-2, any case) is
 * texted in: the campaign's override for that country, else the country's default (above),
 * else English. Welsh only ever comes from an override.
 */
export function languageOf(country: string, overrides?: Readonly<Record<string, Lang>>): Lang {
  const c = country.trim().toUpperCase();
  if (overrides) {
    for (const [k, lang] of Object.entries(overrides)) {
      if (k.trim().toUpperCase() === c && isLang(lang)) return lang;
    }
  }
  return COUNTRY_LANGUAGES[c] ?? 'en';
}

/**
 * The built-in template of each language. Each says the same as the English one, with the same
 * placeholders and the same safety: it names the force, the date and the brand the caller
 * pretended to be, says we never ask for money or bank details, asks the victim to type the
 * site into their browser (never a link) and enter the reference code — in the words the
 * portal uses for it — and says to reply STOP to opt out.
 *
 * All four are GSM-7 throughout (no character forces UCS-2): the Welsh avoids words with a
 * circumflex ("ffôn": "y rhif hwn", this number), the French avoids ç, â, ê, î, ô, û and the
 * typographic apostrophe (é, è, à, ù are GSM-7), and French dates write "aout"
 * (`formatCallDate`). Three GSM-7 segments hold 459 characters; what each text takes:
 *
 * | lang | own words | room for the values³ | test values¹ | long values² |
 * | ---- | --------: | -------------------: | -----------: | -----------: |
 * | en   |       204 |                  255 |  278: 2 seg. |  335: 3 seg. |
 * | cy   |       240 |                  219 |  314: 3 seg. |  372: 3 seg. |
 * | nl   |       226 |                  233 |  300: 2 seg. |  357: 3 seg. |
 * | fr   |       291 |                  168 |  365: 3 seg. |  423: 3 seg. |
 *
 * ¹ Metropolitan Police, 12 March 2026 (in each language), Barclays, met.police.uk/ispoof.
 * ² A 40-character force, the language's longest date, a 31-character brand, a 29-character
 * site. French is the tightest: its values may take 168 characters together. The safety check
 * refuses any campaign whose longest text would take more than 3 segments.
 * ³ All five values together, the 14-character reference code among them.
 */
export const DEFAULT_TEMPLATES: Readonly<Record<Lang, string>> = {
  en:
    '{force}: on {call_date} someone called this phone pretending to be {brand}. It was not them. ' +
    'We never ask for money or bank details. To check this text is real, type {site} into your ' +
    'browser and enter reference {reference}. Reply STOP to opt out.',
  cy:
    '{force}: ar {call_date} ffoniodd rhywun y rhif hwn gan esgus bod yn {brand}. Nid nhw oedd ' +
    'yn ffonio. Ni fyddwn byth yn gofyn am arian na manylion banc. I wirio bod y neges hon yn ' +
    'ddilys, teipiwch {site} yn eich porwr a rhowch y cod cyfeirnod {reference}. Atebwch STOP ' +
    'i optio allan.',
  nl:
    '{force}: op {call_date} belde iemand dit nummer en deed zich voor als {brand}. Zij waren ' +
    'het niet. Wij vragen nooit om geld of bankgegevens. Controleer of deze sms echt is: typ ' +
    '{site} in uw browser en vul referentiecode {reference} in. Antwoord STOP om u af te melden.',
  fr:
    "{force} : le {call_date}, quelqu'un a appelé ce numéro en se faisant passer pour {brand}. " +
    "Ce n'était pas eux. Nous ne demandons jamais d'argent ni de coordonnées bancaires. Pour " +
    'vérifier que ce SMS est authentique, tapez {site} dans votre navigateur et saisissez le ' +
    'code de référence {reference}. Répondez STOP pour vous désinscrire.',
};
