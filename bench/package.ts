/**
 * `npm run bench:package [-- --scale 1] [-- --country CC]`: builds the evidence package of the
 * case's largest country (by its suspects' calls; or `--country`) from the scale-1 synthetic
 * case (10M calls, iSpoof's size; analysed once and cached in .cache/), as `package build`
 * does: the slice written from DuckDB as CSV and Parquet, the partner formats, the audit proofs,
 * the signed manifest, and the tar streamed through age. Measured in a child process of its
 * own (time and peak RSS). The floor, in the same run: the Debian `age` tool encrypting a file
 * of the package's size for the same recipient. Ratio = build time / age time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { openCase, queryRows } from '../src/case/store.ts';
import { openPglite } from '../src/ops/db.ts';
import { migrate } from '../src/ops/migrate.ts';
import { buildPackage } from '../src/package/build.ts';
import { savePartner } from '../src/package/partners.ts';
import { decidePackage, requestPackage } from '../src/package/requests.ts';
import { addUser } from '../src/users/users.ts';
import { analysedCaseDir, ensureAnalysedCase, log } from './common.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    country: { type: 'string' },
    // Internal: one measured build in this process, of this country, for this recipient.
    child: { type: 'string' },
    recipient: { type: 'string' },
    out: { type: 'string' },
  },
});
const scale = values.scale as string;
const caseDir = analysedCaseDir(scale);

interface Measured {
  ms: number;
  bytes: number;
  maxRssMb: number;
  tables: Record<string, number>;
  timings: Record<string, number>;
}

/** One build on a fresh operations store: the partner, the request and approval, then timed. */
async function build(country: string, recipient: string, out: string): Promise<Measured> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-bench-package-'));
  const db = await openPglite(dir);
  try {
    await migrate(db);
    const now = new Date();
    const add = async (name: string, role: string) =>
      (await addUser(db, { name, role }, 'bench', now)).user;
    const [admin, analyst, supervisor] = [
      await add('admin', 'admin'),
      await add('ann', 'analyst'),
      await add('sam', 'supervisor'),
    ];
    await savePartner(db, admin, { country, name: 'bench', recipients: [recipient] }, false, now);
    const asked = await requestPackage(db, analyst, { country, reason: 'bench' }, now);
    await decidePackage(db, supervisor, asked.id, true, now);
    const t = performance.now();
    const r = await buildPackage(caseDir, db, { country, out, actor: 'bench' }, now);
    return {
      ms: performance.now() - t,
      bytes: r.bytes,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      tables: r.tables,
      timings: r.timings,
    };
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child) {
  const m = await build(values.child, values.recipient as string, values.out as string);
  process.stdout.write(`${JSON.stringify(m)}\n`);
} else {
  if (spawnSync('age', ['--version']).status !== 0)
    throw new Error('the floor needs the age tool (Debian: apt-get install age)');
  await ensureAnalysedCase(scale);
  const store = await openCase(caseDir);
  const [top] = await queryRows<{ country: string; calls: bigint }>(
    store.conn,
    `SELECT country, sum(calls) AS calls FROM suspects WHERE country IS NOT NULL
     GROUP BY country ORDER BY calls DESC, country LIMIT 1`,
  );
  store.close();
  const country = values.country ?? (top?.country as string);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-bench-package-out-'));
  try {
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const out = path.join(work, `package-${country.toLowerCase()}.age`);
    log(
      `bench:package — scale ${scale}, ${country}'s slice (its suspects' calls: ${Number(top?.calls ?? 0).toLocaleString('en-GB')})`,
    );
    const child = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        import.meta.filename,
        '--scale',
        scale,
        '--child',
        country,
        '--recipient',
        recipient,
        '--out',
        out,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const m = JSON.parse(child.trim().split('\n').at(-1) as string) as Measured;
    // The floor: age encrypting a file of the same size (random bytes: nothing to gain from
    // content) for the same recipient, after the build, with the disk as warm.
    const plain = path.join(work, 'plain.bin');
    const fd = fs.openSync(plain, 'w');
    for (let left = m.bytes; left > 0; left -= 1 << 24)
      fs.writeSync(fd, crypto.randomBytes(Math.min(left, 1 << 24)));
    fs.closeSync(fd);
    const t = performance.now();
    const age = spawnSync('age', ['-r', recipient, '-o', path.join(work, 'plain.age'), plain]);
    const ageMs = performance.now() - t;
    if (age.status !== 0) throw new Error(`age failed: ${age.stderr}`);
    const rows = Object.entries(m.tables)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`)
      .join(', ');
    log(`  rows: ${rows}`);
    log(
      `  parts: ${Object.entries(m.timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
        .join(', ')}`,
    );
    log(
      `  build ${(m.ms / 1000).toFixed(2)} s, ${(m.bytes / 1e6).toFixed(1)} MB encrypted, peak RSS ${m.maxRssMb.toFixed(0)} MB; ` +
        `age -r on ${(m.bytes / 1e6).toFixed(1)} MB: ${(ageMs / 1000).toFixed(2)} s; ratio ${(m.ms / ageMs).toFixed(1)}`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
