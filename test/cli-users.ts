/**
 * A copy of the analysed console case with one enrolled user per role, and each command line
 * signed in as one of them: password (UNSPOOF_PASSWORD) and that moment's TOTP code. A code is
 * taken once, so each sign-in happens 30 s after the last (`codeAt`: a code from another time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ANALYSIS_FILE } from '../src/case/store.ts';
import { createDemoUsers, currentCode, type DemoLogin } from '../src/demo/users.ts';
import { openOps } from '../src/ops/open.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { analysedCase } from './console-case.ts';
import { tempDir } from './fixtures.ts';

export async function signedInCase(prefix: string) {
  const dir = tempDir(prefix);
  fs.copyFileSync(path.join(await analysedCase(), ANALYSIS_FILE), path.join(dir, ANALYSIS_FILE));
  const t0 = new Date();
  const ops = await openOps(dir);
  let logins: DemoLogin[];
  try {
    logins = await createDemoUsers(ops, t0);
  } finally {
    await ops.close();
  }
  let step = 0;
  const as = (name: string, codeAt?: (at: Date) => Date) => {
    const at = new Date(t0.getTime() + 30_000 * ++step);
    const login = logins.find((l) => l.name === name) as DemoLogin;
    process.env.UNSPOOF_PASSWORD = login.password;
    return {
      fx: memoryEffects(at),
      auth: {
        case: dir,
        as: name,
        totp: currentCode(name, login.totpSecret, codeAt ? codeAt(at) : at),
        json: true,
      },
    };
  };
  return { dir, t0, as };
}
