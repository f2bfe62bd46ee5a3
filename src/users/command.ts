/** `unspoof user add|list`: users of a case's console, managed from the command line. */
import { z } from 'zod';
import { cliActor } from '../audit/cli.ts';
import { openOps } from '../ops/open.ts';
import type { Effects } from '../shared/effects.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { addUser, disableUser, ENROLMENT_HOURS, listUsers } from './users.ts';

const AddOptions = z.object({
  case: z.string().min(1),
  role: z.string(),
  country: z.string().optional(),
  json: z.boolean().optional(),
});

export async function userAddCommand(name: string, raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(AddOptions, raw);
  const db = await openOps(opts.case);
  try {
    const r = await addUser(
      db,
      { name, role: opts.role, country: opts.country },
      cliActor(),
      fx.now(),
    );
    if (opts.json) {
      fx.out(
        JSON.stringify({
          ...r.user,
          enrolment_secret: r.enrolmentSecret,
          expires_at: r.expiresAt.toISOString(),
        }),
      );
      return;
    }
    fx.out(
      [
        `User ${r.user.name} (${r.user.role}${r.user.country ? `, ${r.user.country}` : ''}) added.`,
        '',
        `One-time enrolment secret: ${r.enrolmentSecret}`,
        '',
        `Give it to ${r.user.name} by a separate channel. It works once, within ${ENROLMENT_HOURS} hours, on the`,
        'console’s enrolment page, where they set a password and a TOTP second factor. It is not',
        'stored and cannot be shown again.',
      ].join('\n'),
    );
  } finally {
    await db.close();
  }
}

const ListOptions = z.object({ case: z.string().min(1), json: z.boolean().optional() });

export async function userListCommand(raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(ListOptions, raw);
  const db = await openOps(opts.case);
  try {
    const users = await listUsers(db);
    if (opts.json) {
      fx.out(JSON.stringify(users));
      return;
    }
    fx.out(
      table(
        ['name', 'role', 'country', 'enrolled', 'disabled'],
        users.map((u) => [
          u.name,
          u.role,
          u.country ?? '',
          u.enrolled ? 'yes' : 'no',
          u.disabled ? 'yes' : '',
        ]),
      ),
    );
  } finally {
    await db.close();
  }
}

const DisableOptions = z.object({ case: z.string().min(1), reason: z.string() });

export async function userDisableCommand(name: string, raw: unknown, fx: Effects): Promise<void> {
  const opts = parseOptions(DisableOptions, raw);
  const db = await openOps(opts.case);
  try {
    await disableUser(db, name, opts.reason, cliActor(), fx.now());
    fx.out(`User ${name} disabled: their sessions are ended and they can no longer sign in.`);
  } finally {
    await db.close();
  }
}
