/**
 * Who may do what: the one place that decides. Handlers and commands ask `can` (or `demand`)
 * and apply `scope` to every query of victims and suspects; nothing else checks roles.
 *
 * - analyst: the whole case (victims masked until unmasked with a reason), annotations,
 *   confirming the reading of a victim's number that needs review (docs/numbers.md).
 * - outreach: victims (for campaigns), never suspect intelligence (suspects, crews, links).
 * - supervisor: what an analyst does, plus the audit log and approvals.
 * - campaigns (victim texts): drafted by outreach (or a supervisor), approved by a supervisor
 *   who is not the author (four eyes, enforced in src/outreach/campaigns.ts), started, paused,
 *   resumed and cancelled by either.
 * - partner: the victims and suspects of its own country only; no case-wide figures (its
 *   country's slice of them), no crews, no unmasking, no confirming of readings (a number's
 *   country is the very thing in doubt), no audit, no notes but those shared with its country.
 * - victim reports (the portal): read by analysts and supervisors; a supervisor acknowledges
 *   the portal's guessing alarm.
 * - evidence packages (docs/package.md): requested by an analyst or supervisor, approved by a
 *   supervisor who did not request it (four eyes, enforced in src/package/requests.ts); a
 *   partner sees and downloads only its own country's built packages (encrypted to it).
 * - admin: users, the partner registry and the audit log; no seized personal data.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { UnspoofError } from '../shared/errors.ts';
import type { Role, User } from '../users/roles.ts';

export const ACTIONS = [
  'overview:read',
  'victims:read',
  'victims:unmask',
  'victims:confirm',
  'suspects:read',
  'crews:read',
  'requests:read',
  'quarantine:read',
  'annotations:write',
  'case:read',
  'audit:read',
  'users:manage',
  'campaigns:read',
  'campaigns:draft',
  'campaigns:approve',
  'campaigns:send',
  'reports:read',
  'portal:alarms',
  'packages:read',
  'packages:request',
  'packages:approve',
  'partners:manage',
] as const;
export type Action = (typeof ACTIONS)[number];

const ANALYST: readonly Action[] = [
  'overview:read',
  'victims:read',
  'victims:unmask',
  'victims:confirm',
  'suspects:read',
  'crews:read',
  'requests:read',
  'quarantine:read',
  'annotations:write',
  'case:read',
  'reports:read',
  'packages:read',
  'packages:request',
];

const GRANTS: Record<Role, readonly Action[]> = {
  analyst: ANALYST,
  outreach: [
    'overview:read',
    'victims:read',
    'victims:unmask',
    'case:read',
    'campaigns:read',
    'campaigns:draft',
    'campaigns:send',
  ],
  supervisor: [
    ...ANALYST,
    'audit:read',
    'campaigns:read',
    'campaigns:draft',
    'campaigns:approve',
    'campaigns:send',
    'portal:alarms',
    'packages:approve',
  ],
  partner: ['victims:read', 'suspects:read', 'case:read', 'packages:read'],
  admin: ['case:read', 'audit:read', 'users:manage', 'partners:manage'],
};

export function can(user: Pick<User, 'role'>, action: Action): boolean {
  return GRANTS[user.role].includes(action);
}

export function demand(user: Pick<User, 'role'>, action: Action): void {
  if (!can(user, action)) {
    throw new UnspoofError('FORBIDDEN', `a ${user.role} may not ${action.replace(':', ' ')}`);
  }
}

/** The country every query of victims and suspects is limited to (a partner's), or null. */
export function scope(user: Pick<User, 'role' | 'country'>): string | null {
  if (user.role !== 'partner') return null;
  // Null is "every country": a partner without one (users.ts never makes one) sees nothing.
  if (!user.country)
    throw new UnspoofError('FORBIDDEN', 'a partner without a country sees nothing');
  return user.country;
}

/** What notes and tags are attached to (annotations). */
export const NOTE_TARGETS = ['suspect', 'victim', 'crew', 'quarantine'] as const;
export type NoteTarget = (typeof NOTE_TARGETS)[number];

/** Which notes a user may read; the notes query applies it in SQL (console/sql/notes-of.sql). */
export interface NoteAudience {
  /** The targets whose notes it reads: those whose pages its role may open. */
  targets: readonly NoteTarget[];
  /** A partner's country: only notes on a suspect shared with that country. Null: every note. */
  sharedWith: string | null;
  /** Numbers written in a note are masked for a user who may not unmask a victim's number. */
  maskNumbers: boolean;
}

const NOTES_READ_WITH: Record<NoteTarget, Action> = {
  suspect: 'suspects:read',
  victim: 'victims:read',
  crew: 'crews:read',
  quarantine: 'quarantine:read',
};

/**
 * A note is the owning unit's until its author shares it (a note on a suspect only) with the
 * partner unit of the suspect's country: a partner reads those and no other note, whatever
 * else it may open (a note on a victim can name anyone; crews and quarantined rows it never
 * sees). Every other role reads the notes on what it may open.
 */
export function noteAudience(user: Pick<User, 'role' | 'country'>): NoteAudience {
  const partner = scope(user);
  return {
    targets: partner ? ['suspect'] : NOTE_TARGETS.filter((t) => can(user, NOTES_READ_WITH[t])),
    sharedWith: partner,
    maskNumbers: !can(user, 'victims:unmask'),
  };
}

/**
 * A victim's number as the console shows it before unmasking: the country code, the first five
 * and the last two national digits, the rest as dots (`+447700900123` → `+44 7700 9•• •23`).
 */
export function maskNumber(e164: string): string {
  const countryCode = parsePhoneNumberFromString(e164)?.countryCallingCode ?? e164.slice(1, 3);
  const national = e164.slice(1 + countryCode.length);
  const head = Math.max(0, Math.min(5, national.length - 4));
  const shown = [...national].map((d, i) => (i < head || i >= national.length - 2 ? d : '•'));
  const groups = [shown.slice(0, 4).join('')];
  for (let i = 4; i < shown.length; i += 3) groups.push(shown.slice(i, i + 3).join(''));
  return `+${countryCode} ${groups.join(' ')}`;
}

/**
 * Text from a seized record (a quarantined row) with every run of seven or more digits — a
 * phone number in any format — masked but its first three and last two digits. The full row
 * is only in `unspoof quarantine`'s export, which is audited.
 */
export function maskNumbersIn(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (run) => {
    const digits = run.replace(/\D/g, '').length;
    // A date (2021-03-01) is not a number to hide.
    if (digits < 7 || /^\d{4}-\d{2}-\d{2}/.test(run)) return run;
    let seen = 0;
    return run.replace(/\d/g, (d) => {
      seen++;
      return seen <= 3 || seen > digits - 2 ? d : '•';
    });
  });
}
