/**
 * Demo mode only: one enrolled user per role, through the real enrolment steps, with their
 * passwords and TOTP secrets returned for printing. Never used outside `npm run demo`.
 */
import crypto from 'node:crypto';
import type { OpsDb } from '../ops/db.ts';
import { addUser, confirmTotp, startEnrolment, totp } from '../users/users.ts';

export interface DemoLogin {
  name: string;
  role: string;
  country: string | null;
  password: string;
  totpSecret: string;
}

const ROLES: Array<[string, string, string | null]> = [
  ['analyst', 'analyst', null],
  ['outreach', 'outreach', null],
  ['supervisor', 'supervisor', null],
  ['partner-us', 'partner', 'US'],
  ['admin', 'admin', null],
];

export async function createDemoUsers(db: OpsDb, now: Date): Promise<DemoLogin[]> {
  const logins: DemoLogin[] = [];
  for (const [name, role, country] of ROLES) {
    const { enrolmentSecret } = await addUser(
      db,
      { name, role, country: country ?? undefined },
      'demo',
      now,
    );
    const password = `demo-${crypto.randomBytes(9).toString('base64url')}`;
    const { totpSecret } = await startEnrolment(
      db,
      { name, secret: enrolmentSecret, password },
      now,
    );
    // The enrolment code is from the previous 30-second step: the first login may use the current one.
    const earlier = new Date(now.getTime() - 30_000);
    await confirmTotp(
      db,
      {
        name,
        secret: enrolmentSecret,
        code: totp(name, totpSecret).generate({ timestamp: earlier.getTime() }),
      },
      now,
    );
    logins.push({ name, role, country, password, totpSecret });
  }
  return logins;
}

/** The current one-time code of a TOTP secret (what an authenticator app shows). */
export function currentCode(name: string, secret: string, now = new Date()): string {
  return totp(name, secret).generate({ timestamp: now.getTime() });
}
