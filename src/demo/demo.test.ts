/**
 * The demo, end to end on a small case: it ends with one approved evidence package for its
 * partner country and that partner's identity beside it, which the standard `age` tool opens and
 * `package verify` checks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openOps } from '../ops/open.ts';
import { verifyPackage } from '../package/verify.ts';
import { memoryEffects } from '../shared/effects.ts';
import { ageSkip } from '../../test/age.ts';
import { shacl } from '../../test/case-uco.ts';
import { tempDir } from '../../test/fixtures.ts';
import { demoCommand } from './command.ts';

test(
  'the demo ends with an approved package for its partner, which age opens',
  { skip: ageSkip, timeout: 180_000 },
  async () => {
    const dir = path.join(tempDir('unspoof-demo-'), 'demo');
    const fx = memoryEffects(new Date());
    await demoCommand({ dir, calls: '5000', serve: false }, fx);
    const pkg = path.join(dir, 'package-us.age');
    const key = path.join(dir, 'partner-us.agekey');
    assert.ok(fs.existsSync(pkg) && fs.existsSync(key));
    assert.match(fx.lines.join('\n'), /package verify .*package-us\.age --identity/);
    const listed = spawnSync('sh', ['-c', `age -d -i "${key}" "${pkg}" | tar -t`], {
      encoding: 'utf8',
    });
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /package-us-1\/manifest\.jws/);
    const identity = /^AGE-SECRET-KEY-1\S+$/m.exec(fs.readFileSync(key, 'utf8'))?.[0] as string;
    const v = await verifyPackage(pkg, {
      identity,
      expect: /--key ([0-9a-f]{64})/.exec(fx.lines.join('\n'))?.[1],
      out: path.join(dir, 'opened'),
    });
    assert.deepEqual(v.broken, []);
    // Its chain of custody, from the seized files through ingest and analysis to the package,
    // conforms to CASE/UCO's shapes.
    const custody = JSON.parse(
      fs.readFileSync(path.join(v.dir as string, 'case-uco', 'custody.jsonld'), 'utf8'),
    ) as object;
    const named = JSON.stringify(custody);
    assert.match(named, /ingest/);
    assert.match(named, /analysis/);
    const shapes = await shacl(custody);
    assert.ok(shapes.conforms, shapes.text);
    const db = await openOps(path.join(dir, 'case'));
    try {
      const [p] = await db.query<{ state: string; requested_by: number; approved_by: number }>(
        'SELECT state, requested_by, approved_by FROM packages',
      );
      assert.equal(p?.state, 'built');
      assert.notEqual(p?.requested_by, p?.approved_by, 'approved by a second person');
    } finally {
      await db.close();
    }
  },
);
