/** The standard `age` tool (Debian's, which CI installs): an implementation we did not write. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ageSkip =
  spawnSync('age', ['--version']).status === 0
    ? false
    : 'the age tool is not installed (Debian: age)';

/** A new identity with age-keygen: [identity file, its secret, its recipient]. */
export function keygen(
  dir: string,
  name: string,
): { file: string; secret: string; recipient: string } {
  const file = path.join(dir, `${name}.key`);
  const r = spawnSync('age-keygen', ['-o', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const text = fs.readFileSync(file, 'utf8');
  const recipient = /# public key: (age1\S+)/.exec(text)?.[1] as string;
  const secret = /^(AGE-SECRET-KEY-1\S+)$/m.exec(text)?.[1] as string;
  return { file, secret, recipient };
}
