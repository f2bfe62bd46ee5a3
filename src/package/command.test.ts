/**
 * The partner and package commands as people run them: an admin registers the partner, an
 * analyst asks, a supervisor approves (each signed in: password and TOTP), the package is built,
 * a partner lists only its own built packages, and `package verify` / `package open` say what
 * holds, refusing with PACKAGE_INVALID (exit 20) what does not.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ageSkip, keygen } from '../../test/age.ts';
import { signedInCase } from '../../test/cli-users.ts';
import { memoryEffects } from '../shared/effects.ts';
import { ERRORS } from '../shared/errors.ts';
import {
  packageBuildCommand,
  packageDecideCommand,
  packageListCommand,
  packageRequestCommand,
  packageVerifyCommand,
  partnerListCommand,
  partnerSaveCommand,
} from './command.ts';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { code?: string }) => e.code ?? String(e),
  );

test(
  'partner and package commands, signed in, end to end',
  { skip: ageSkip, timeout: 120_000 },
  async () => {
    const { dir, as } = await signedInCase('unspoof-package-cli-');
    const key = keygen(dir, 'partner-us');
    try {
      const admin = as('admin');
      await partnerSaveCommand(false)(
        { ...admin.auth, country: 'us', name: 'US partner', recipient: [key.recipient] },
        admin.fx,
      );
      const listed = memoryEffects();
      await partnerListCommand({ case: dir, json: true }, listed);
      assert.equal((JSON.parse(listed.lines[0] as string) as unknown[]).length, 1);

      const analyst = as('analyst');
      await packageRequestCommand(
        { ...analyst.auth, country: 'US', reason: 'US suspects' },
        analyst.fx,
      );
      const { id } = JSON.parse(analyst.fx.lines[0] as string) as { id: number };
      const self = as('analyst');
      assert.equal(
        await failure(packageDecideCommand(String(id), self.auth, self.fx)),
        'FORBIDDEN',
      );
      const supervisor = as('supervisor');
      await packageDecideCommand(String(id), supervisor.auth, supervisor.fx);
      assert.equal(
        (JSON.parse(supervisor.fx.lines[0] as string) as { state: string }).state,
        'approved',
      );

      const partner = as('partner-us');
      await packageListCommand(partner.auth, partner.fx);
      assert.deepEqual(JSON.parse(partner.fx.lines[0] as string), [], 'nothing until it is built');

      const out = path.join(dir, 'package-us.age');
      const built = memoryEffects();
      await packageBuildCommand({ case: dir, country: 'US', out, json: true }, built);
      const r = JSON.parse(built.lines[0] as string) as { fingerprint: string };
      const later = as('partner-us');
      await packageListCommand(later.auth, later.fx);
      assert.deepEqual(
        (JSON.parse(later.fx.lines[0] as string) as Array<{ id: number; state: string }>).map(
          (p) => [p.id, p.state],
        ),
        [[id, 'built']],
      );

      const v = memoryEffects();
      await packageVerifyCommand(out, { identity: key.file, key: r.fingerprint }, v);
      assert.ok(
        v.lines.every((l) => l.startsWith('holds: ')),
        v.lines.join('\n'),
      );
      assert.ok(v.lines.length >= 7);
      const into = path.join(dir, 'opened');
      await packageVerifyCommand(
        out,
        { identity: key.file, key: r.fingerprint, out: into },
        memoryEffects(),
        true,
      );
      const root = path.join(into, 'package-us-1');
      assert.ok(fs.existsSync(path.join(root, 'tables', 'victims.parquet')));
      // Opened once, changed, verified again as a folder: named, and exit 20.
      fs.appendFileSync(path.join(root, 'tables', 'victims.csv'), '+15550000000,US\n');
      const broken = memoryEffects();
      assert.equal(await failure(packageVerifyCommand(root, {}, broken)), 'PACKAGE_INVALID');
      assert.equal(ERRORS.PACKAGE_INVALID.exit, 20);
      assert.ok(
        broken.lines.includes(
          "BROKEN: File tables/victims.csv: changed (its SHA-256 is not the manifest's).",
        ),
        broken.lines.join('\n'),
      );
      // Opening into a folder that holds something is refused before anything is written.
      assert.equal(
        await failure(
          packageVerifyCommand(out, { identity: key.file, out: into }, memoryEffects(), true),
        ),
        'USAGE',
      );
    } finally {
      delete process.env.UNSPOOF_PASSWORD;
    }
  },
);
