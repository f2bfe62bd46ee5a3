/**
 * Fast timestamp formatting for millions of rows: day strings and the time zone's UTC offset
 * (per hour, from Intl) are computed once, then each timestamp is plain arithmetic. It also
 * knows the zone's changes of offset: the local hour the zone skips (its times are
 * nonexistent) and the one it repeats (ambiguous), as docs/switch-records.md §6 reads them.
 */
const DAY = 86_400;

/** A change of the zone's offset at UTC second `at`, from `before` to `after` seconds. */
export interface Change {
  at: number;
  before: number;
  after: number;
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

export class Clock {
  private readonly firstDay: number;
  private readonly days: string[] = [];
  private readonly firstHour: number;
  private readonly offsets: Int32Array;
  /** The zone's changes of offset in the covered span, in order. */
  readonly changes: Change[] = [];

  /** Covers [from, to) in epoch seconds, with a day of margin either side. */
  constructor(from: number, to: number, timeZone: string) {
    this.firstDay = Math.floor(from / DAY) - 2;
    const lastDay = Math.ceil(to / DAY) + 2;
    for (let d = this.firstDay; d <= lastDay; d++) {
      this.days.push(new Date(d * DAY * 1000).toISOString().slice(0, 10));
    }
    this.firstHour = this.firstDay * 24;
    const hours = (lastDay - this.firstDay + 1) * 24;
    this.offsets = new Int32Array(hours);
    const fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    for (let h = 0; h < hours; h++) {
      const utc = (this.firstHour + h) * 3600;
      const parts: Record<string, number> = {};
      for (const p of fmt.formatToParts(new Date(utc * 1000))) {
        if (p.type !== 'literal') parts[p.type] = Number(p.value);
      }
      const local =
        Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, 0) / 1000;
      this.offsets[h] = local - utc;
      if (h > 0 && this.offsets[h] !== this.offsets[h - 1]) {
        this.changes.push({ at: utc, before: this.offsets[h - 1]!, after: this.offsets[h]! });
      }
    }
  }

  /**
   * The local time of `t` written with the offset in force before a change that skips local
   * time, when `t` falls in the skipped span after it: a nonexistent local time, which the rule
   * of §6 reads back as `t` (the offset before the change). Else null.
   */
  gapText(t: number): string | null {
    for (const c of this.changes) {
      if (c.after > c.before && t >= c.at && t < c.at + c.after - c.before) {
        return this.format(t + c.before, ' ', '');
      }
    }
    return null;
  }

  /** Whether `t` is the later occurrence of a local time the zone repeats (§6: ambiguous). */
  repeated(t: number): boolean {
    for (const c of this.changes) {
      if (c.after < c.before && t >= c.at && t < c.at + c.before - c.after) return true;
    }
    return false;
  }

  private format(t: number, sep: string, suffix: string): string {
    const day = Math.floor(t / DAY);
    const s = t - day * DAY;
    const hh = Math.floor(s / 3600);
    const mm = Math.floor((s % 3600) / 60);
    return `${this.days[day - this.firstDay]}${sep}${PAD2[hh]}:${PAD2[mm]}:${PAD2[s % 60]}${suffix}`;
  }

  /** ISO 8601 UTC: `2021-03-04T10:11:12Z`. */
  iso(t: number): string {
    return this.format(t, 'T', 'Z');
  }

  /** Offset of local time from UTC at instant `t`, in seconds. */
  offset(t: number): number {
    return this.offsets[Math.floor(t / 3600) - this.firstHour] ?? 0;
  }

  /** Local wall time without offset, as switches write it: `2021-03-04 10:11:12`. */
  local(t: number): string {
    return this.format(t + this.offset(t), ' ', '');
  }
}
