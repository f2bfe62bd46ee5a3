/**
 * A console user acting from the command line (`--as NAME`): the same password and TOTP as the
 * console's sign-in, checked (and audited) the same way. The password comes from
 * UNSPOOF_PASSWORD or a hidden prompt on a terminal, the code from `--totp` or a prompt.
 */
import readline from 'node:readline';
import type { OpsDb } from '../ops/db.ts';
import { openOps } from '../ops/open.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { User } from './roles.ts';
import { checkLogin } from './users.ts';

async function ask(question: string, hidden: boolean, missing: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UnspoofError('USAGE', missing);
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stderr,
    terminal: true,
  });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  if (hidden)
    out._writeToOutput = (s: string) => process.stderr.write(s.startsWith(question) ? s : '');
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    if (hidden) process.stderr.write('\n');
  }
}

export async function cliLogin(
  db: OpsDb,
  opts: { as?: string; totp?: string },
  now: Date,
  env: NodeJS.ProcessEnv = process.env,
): Promise<User> {
  if (!opts.as) throw new UnspoofError('USAGE', '--as NAME: this command acts as a console user');
  const password =
    env.UNSPOOF_PASSWORD ??
    (await ask('Password: ', true, 'no password: set UNSPOOF_PASSWORD (no terminal to ask on)'));
  const code =
    opts.totp ??
    (await ask('One-time code: ', false, 'no one-time code: pass --totp (no terminal to ask on)'));
  return checkLogin(db, { name: opts.as, password, code: code.trim() }, now, { ip: 'cli' });
}

/**
 * Runs `fn` as the signed-in user on the case's operations store; `check` (a permission) runs
 * before `fn` starts: a command with long work to do signs in and is refused before it, while
 * the code is fresh.
 */
export async function withCliUser<T>(
  o: { case: string; as?: string; totp?: string },
  now: Date,
  fn: (db: OpsDb, user: User) => Promise<T>,
  check?: (user: User) => void,
): Promise<T> {
  const db = await openOps(o.case);
  try {
    const user = await cliLogin(db, o, now);
    check?.(user);
    return await fn(db, user);
  } finally {
    await db.close();
  }
}
