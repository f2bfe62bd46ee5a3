/**
 * An evidence package end to end, on a small synthetic case: a partner registered, a package
 * asked for and approved by a second person, built, decrypted by the standard `age` tool (not
 * ours), verified; then every kind of file, the manifest and its signature changed in turn, and
 * each change named. And the package holds nothing of another country.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import * as tar from 'tar';
import { ANALYSIS_FILE } from '../case/store.ts';
import type { OpsDb } from '../ops/db.ts';
import { openOps } from '../ops/open.ts';
import { openAnalysis } from '../readout/analysis.ts';
import { addUser } from '../users/users.ts';
import type { User } from '../users/roles.ts';
import { ageSkip, keygen } from '../../test/age.ts';
import { shacl } from '../../test/case-uco.ts';
import { analysedCase } from '../../test/console-case.ts';
import { caseTargets } from '../../test/outreach-fixtures.ts';
import { textedVictims } from '../../test/portal-fixtures.ts';
import { tempDir } from '../../test/fixtures.ts';
import { buildPackage } from './build.ts';
import { savePartner } from './partners.ts';
import { decidePackage, requestPackage } from './requests.ts';
import { digestFile, signManifest, type Manifest } from './manifest.ts';
import { checkPackage, verifyPackage } from './verify.ts';

const COUNTRY = 'NL';
const PHOTO = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const now = new Date('2026-12-01T10:00:00Z');

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('an evidence package for a partner country', { skip: ageSkip }, () => {
  let caseDir: string;
  let db: OpsDb;
  let users: Record<'admin' | 'analyst' | 'supervisor' | 'supervisor2', User>;
  let out: string;
  let opened: string;
  let unitFingerprint: string;
  let partnerKey: ReturnType<typeof keygen>;

  before(async () => {
    caseDir = tempDir('unspoof-package-');
    fs.copyFileSync(
      path.join(await analysedCase(), ANALYSIS_FILE),
      path.join(caseDir, ANALYSIS_FILE),
    );
    db = await openOps(caseDir);
    const add = async (name: string, role: string) =>
      (await addUser(db, { name, role }, 'test', now)).user;
    users = {
      admin: await add('ada', 'admin'),
      analyst: await add('ann', 'analyst'),
      supervisor: await add('sam', 'supervisor'),
      supervisor2: await add('sue', 'supervisor'),
    };
    partnerKey = keygen(caseDir, 'partner-nl');
    // Victims' reports: an NL victim who agreed to sharing (with a photo), one who did not, and
    // a GB victim who did. Only the first goes to NL.
    const targets = await caseTargets();
    const nl = targets.filter((t) => t.country === COUNTRY).slice(0, 2);
    const gb = targets.filter((t) => t.country === 'GB').slice(0, 1);
    await textedVictims(db, 3, 0, [...nl, ...gb]);
    const report = async (number: string, ref: string, consent: boolean) => {
      const [r] = await db.query<{ id: string }>(
        `INSERT INTO reports (message_id, state, answers, crime_ref, created_at, updated_at, submitted_at)
         SELECT id, 'submitted', $2::jsonb, $3, $4, $4, $4 FROM messages WHERE number = $1
         RETURNING id::text AS id`,
        [
          number,
          JSON.stringify({
            story: `told by ${ref}`,
            contact: { way: 'email', email: `${ref}@example.org`, consent },
          }),
          ref,
          now.toISOString(),
        ],
      );
      return r?.id as string;
    };
    const shared = await report(nl[0]!.number, 'REF-NL-SHARED', true);
    await report(nl[1]!.number, 'REF-NL-PRIVATE', false);
    await report(gb[0]!.number, 'REF-GB-SHARED', true);
    await db.query(
      `INSERT INTO report_evidence (report_id, name, type, bytes, sha256, original, added_at)
       VALUES ($1, 'photo.png', 'image/png', $2, $3, $4, $5)`,
      [shared, PHOTO.length, sha256(PHOTO), PHOTO, now.toISOString()],
    );
  });
  after(() => db?.close());

  it('needs a registered partner, a request and a second person’s approval', async () => {
    assert.equal(
      await code(requestPackage(db, users.analyst, { country: COUNTRY, reason: 'x-border' }, now)),
      'PARTNER_NOT_FOUND',
    );
    assert.equal(
      await code(
        savePartner(
          db,
          users.analyst,
          { country: COUNTRY, name: 'NL', recipients: [partnerKey.recipient] },
          false,
          now,
        ),
      ),
      'FORBIDDEN',
    );
    assert.equal(
      await code(
        savePartner(
          db,
          users.admin,
          { country: COUNTRY, name: 'NL', recipients: ['age1nope'] },
          false,
          now,
        ),
      ),
      'USAGE',
    );
    await savePartner(
      db,
      users.admin,
      { country: 'nl', name: 'Politie NL (test)', recipients: [partnerKey.recipient] },
      false,
      now,
    );
    const asked = await requestPackage(
      db,
      users.supervisor,
      { country: COUNTRY, reason: 'suspects registered in NL' },
      now,
    );
    out = path.join(caseDir, 'out', 'package-nl.age');
    assert.equal(
      await code(buildPackage(caseDir, db, { country: COUNTRY, out, actor: 'test' }, now)),
      'PACKAGE_NOT_APPROVED',
    );
    // Four eyes: the one who asked may not approve; an analyst may not approve at all.
    assert.equal(await code(decidePackage(db, users.supervisor, asked.id, true, now)), 'FORBIDDEN');
    assert.equal(await code(decidePackage(db, users.analyst, asked.id, true, now)), 'FORBIDDEN');
    const approved = await decidePackage(db, users.supervisor2, asked.id, true, now);
    assert.equal(approved.state, 'approved');
    assert.equal(approved.approved_by, 'sue');
    const actions = (
      await db.query<{ action: string }>(
        `SELECT action FROM audit WHERE target IN ('package:${asked.id}', 'partner:NL') ORDER BY id`,
      )
    ).map((r) => r.action);
    assert.deepEqual(actions, ['partner_add', 'package_request', 'package_approve']);
  });

  it('is built, decrypted by age, and verifies', async () => {
    const r = await buildPackage(caseDir, db, { country: COUNTRY, out, actor: 'test' }, now);
    unitFingerprint = r.fingerprint;
    assert.ok(fs.existsSync(out) && !fs.existsSync(`${out}.part`));
    // What the build recorded of the file is the file.
    assert.deepEqual({ bytes: r.bytes, sha256: r.sha256 }, await digestFile(out));
    assert.ok(r.tables.suspects! > 0 && r.tables.calls! > 0 && r.tables.victims! > 0);
    // Built once: the approval is spent.
    assert.equal(
      await code(
        buildPackage(caseDir, db, { country: COUNTRY, out: `${out}.2`, actor: 'test' }, now),
      ),
      'PACKAGE_NOT_APPROVED',
    );
    const tarFile = path.join(caseDir, 'package.tar');
    const dec = spawnSync('age', ['-d', '-i', partnerKey.file, '-o', tarFile, out]);
    assert.equal(dec.status, 0, dec.stderr?.toString());
    const v = await verifyPackage(tarFile, { expect: r.fingerprint });
    assert.deepEqual(v.broken, []);
    assert.ok(v.holds.some((h) => h.includes('files are present')));
    assert.ok(v.holds.filter((h) => h.startsWith('Entry ')).length >= 3, v.holds.join('\n'));
    // The .age itself, with the identity, verifies the same; without it, it says what it needs.
    const direct = await verifyPackage(out, { identity: partnerKey.secret, expect: r.fingerprint });
    assert.deepEqual(direct.broken, []);
    assert.equal(await code(verifyPackage(out, {})), 'USAGE');
    opened = path.join(caseDir, 'opened');
    fs.mkdirSync(opened);
    await tar.extract({ file: tarFile, cwd: opened });
    opened = path.join(opened, fs.readdirSync(opened)[0] as string);
    // The chain of custody of a real build conforms to CASE/UCO's shapes, as the fixture's does.
    const custody = JSON.parse(
      fs.readFileSync(path.join(opened, 'case-uco', 'custody.jsonld'), 'utf8'),
    ) as object;
    const shapes = await shacl(custody);
    assert.ok(shapes.conforms, shapes.text);
    // The reports of its victims who agreed to sharing, with their evidence; no e-mail address.
    const reports = JSON.parse(
      fs.readFileSync(path.join(opened, 'reports', 'reports.json'), 'utf8'),
    ) as Array<{
      crime_ref: string;
      answers: { contact: object };
      evidence: Array<{ file: string; sha256: string }>;
    }>;
    assert.deepEqual(
      reports.map((r) => r.crime_ref),
      ['REF-NL-SHARED'],
    );
    assert.deepEqual(reports[0]?.answers.contact, { way: 'email', consent: true });
    const photo = fs.readFileSync(path.join(opened, 'reports', reports[0]!.evidence[0]!.file));
    assert.deepEqual(photo, PHOTO);
    assert.equal(r.reports, 1);
    for (const f of [
      'tables/calls.csv',
      'tables/calls.parquet',
      'misp/event.json',
      'ftm/entities.ftm.json',
      'case-uco/custody.jsonld',
      'report/report.html',
      'audit/proofs.json',
    ])
      assert.ok(fs.existsSync(path.join(opened, f)), f);
  });

  it('names what broke when any byte of a file, the manifest or its signature changes', async () => {
    const flip = async (file: string, at: (size: number) => number) => {
      const copy = tempDir('unspoof-flip-');
      fs.cpSync(opened, copy, { recursive: true });
      const p = path.join(copy, file);
      const b = fs.readFileSync(p);
      const i = at(b.length);
      b[i] = (b[i] as number) ^ 0x01;
      fs.writeFileSync(p, b);
      return (await checkPackage(copy)).broken.join('\n');
    };
    const files = (fs.readdirSync(opened, { recursive: true, withFileTypes: true }) as fs.Dirent[])
      .filter((e) => e.isFile())
      .map((e) => path.relative(opened, path.join(e.parentPath, e.name)));
    for (const f of files.filter((f) => !/^(manifest|unit-key)/.test(f))) {
      const broken = await flip(f, (n) => Math.floor(n / 2));
      assert.match(broken, new RegExp(`${f.replaceAll('.', '\\.')}: changed`), f);
    }
    // The signature (the JWS's last part), the signed manifest, its readable copy, the key.
    assert.match(await flip('manifest.jws', (n) => n - 5), /signature does not verify/);
    assert.match(await flip('manifest.jws', () => 40), /signature does not verify|not JSON/);
    assert.match(await flip('manifest.json', (n) => n - 10), /manifest\.json is not the manifest/);
    assert.match(await flip('unit-key.pem', (n) => n - 30), /public key|signature does not verify/);
    // A proof of the package's audit entries changed: named, by entry.
    assert.match(await flip('audit/proofs.json', (n) => n - 60), /proofs\.json: changed/);
    // A file added that the manifest does not list.
    const extra = tempDir('unspoof-extra-');
    fs.cpSync(opened, extra, { recursive: true });
    fs.writeFileSync(path.join(extra, 'tables', 'more.csv'), 'x\n');
    assert.match((await checkPackage(extra)).broken.join('\n'), /more\.csv: not in the manifest/);
  });

  it('refuses what it cannot anchor or should not unpack, and says why', async () => {
    const work = tempDir('unspoof-hostile-');
    const top = path.basename(opened);
    const parent = path.dirname(opened);
    const broken = async (input: string, o: { identity?: string; expect?: string } = {}) =>
      (await verifyPackage(input, { expect: unitFingerprint, ...o })).broken.join('\n');
    // Whole, but not anchored: without the unit's fingerprint nobody knows who made it.
    const plain = path.join(work, 'plain.tar');
    await tar.create({ file: plain, cwd: parent, portable: true }, [top]);
    assert.equal(await broken(plain), '');
    assert.match(
      (await verifyPackage(plain, {})).broken.join('\n'),
      new RegExp(`fingerprint ${unitFingerprint}\\) was not checked`),
    );
    // Re-signed by someone else, with their key in the package: caught by the fingerprint.
    const forged = path.join(work, 'forged');
    fs.cpSync(opened, path.join(forged, top), { recursive: true });
    const other = crypto.generateKeyPairSync('ed25519');
    const m = JSON.parse(fs.readFileSync(path.join(opened, 'manifest.json'), 'utf8')) as Manifest;
    fs.writeFileSync(
      path.join(forged, top, 'manifest.jws'),
      await signManifest(m, other.privateKey),
    );
    fs.writeFileSync(
      path.join(forged, top, 'unit-key.pem'),
      other.publicKey.export({ format: 'pem', type: 'spki' }),
    );
    assert.match(
      await broken(path.join(forged, top)),
      /is signed with the key [0-9a-f]{64}, not the unit's key/,
    );
    // A file beside the package's folder, and a link inside it: named, not written.
    const extra = path.join(work, 'extra');
    fs.cpSync(opened, path.join(extra, top), { recursive: true });
    fs.writeFileSync(path.join(extra, 'README-OPEN-ME.txt'), 'x');
    fs.symlinkSync('/etc/passwd', path.join(extra, top, 'tables', 'passwd'));
    const extraTar = path.join(work, 'extra.tar');
    await tar.create({ file: extraTar, cwd: extra, portable: true }, [top, 'README-OPEN-ME.txt']);
    const into = path.join(work, 'into');
    const v = await verifyPackage(extraTar, { expect: unitFingerprint, out: into });
    assert.match(v.broken.join('\n'), /README-OPEN-ME\.txt: beside the package's folder/);
    assert.match(
      v.broken.join('\n'),
      /tables\/passwd: a SymbolicLink, which a package never holds/,
    );
    assert.ok(!fs.existsSync(path.join(into, 'README-OPEN-ME.txt')));
    assert.ok(!fs.existsSync(path.join(into, top, 'tables', 'passwd')));
    // Compressed: refused before anything is unpacked.
    const gz = path.join(work, 'package.tgz');
    await tar.create({ file: gz, cwd: parent, gzip: true }, [top]);
    assert.match(await broken(gz), /gzip-compressed: a package is a plain tar/);
    // The encrypted file changed in its payload: it does not decrypt, and that is a failure.
    const cut = path.join(work, 'changed.age');
    const bytes = fs.readFileSync(out);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 1;
    fs.writeFileSync(cut, bytes);
    assert.match(
      await broken(cut, { identity: partnerKey.secret }),
      /does not decrypt with your identity/,
    );
  });

  it('is built once, gives the package back when a build fails, and rotation needs approval', async () => {
    const asked = await requestPackage(
      db,
      users.analyst,
      { country: COUNTRY, reason: 'again' },
      now,
    );
    await decidePackage(db, users.supervisor, asked.id, true, now);
    // A build that fails (here: no analysis where it looks) gives the package back, audited.
    assert.equal(
      await code(
        buildPackage(
          tempDir('unspoof-empty-'),
          db,
          { country: COUNTRY, out: path.join(caseDir, 'x.age'), actor: 'test' },
          now,
        ),
      ),
      'CASE_NOT_FOUND',
    );
    const [failed] = await db.query<{ state: string }>('SELECT state FROM packages WHERE id = $1', [
      asked.id,
    ]);
    assert.equal(failed?.state, 'approved');
    // Plaintext a dead build left beside the packages goes; a live build's stays.
    const dead = path.join(caseDir, 'out', '.package-dead');
    const live = path.join(caseDir, 'out', '.package-live');
    for (const [dir, pid] of [
      [dead, 2147483646],
      [live, process.pid],
    ] as const) {
      fs.mkdirSync(path.join(dir, 'package-nl-9', 'tables'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'owner'), String(pid));
    }
    // Two builds at once: one builds it, the other is refused and leaves no file behind.
    const a = path.join(caseDir, 'out', 'a.age');
    const b = path.join(caseDir, 'out', 'b.age');
    const both = await Promise.allSettled([
      buildPackage(caseDir, db, { country: COUNTRY, out: a, actor: 'one' }, now),
      buildPackage(caseDir, db, { country: COUNTRY, out: b, actor: 'two' }, now),
    ]);
    assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(Number(fs.existsSync(a)) + Number(fs.existsSync(b)), 1);
    assert.deepEqual(
      fs.readdirSync(path.join(caseDir, 'out')).filter((f) => f.startsWith('.package-')),
      ['.package-live'],
    );
    fs.rmSync(live, { recursive: true });
    // An existing file is never written over.
    assert.equal(
      await code(
        buildPackage(
          caseDir,
          db,
          { country: COUNTRY, out: fs.existsSync(a) ? a : b, actor: 'test' },
          now,
        ),
      ),
      'USAGE',
    );

    // The partner's keys rotated after an approval: the approval is void until a second person
    // approves again, and the package then goes to the new keys only.
    const third = await requestPackage(
      db,
      users.analyst,
      { country: COUNTRY, reason: 'third' },
      now,
    );
    await decidePackage(db, users.supervisor, third.id, true, now);
    const rotated = keygen(caseDir, 'partner-nl-2');
    const p = await savePartner(
      db,
      users.admin,
      { country: COUNTRY, name: 'Politie NL (test)', recipients: [rotated.recipient] },
      true,
      now,
    );
    assert.equal(p.version, 2);
    const again = path.join(caseDir, 'out', 'package-nl-3.age');
    assert.equal(
      await code(buildPackage(caseDir, db, { country: COUNTRY, out: again, actor: 'test' }, now)),
      'PACKAGE_NOT_APPROVED',
    );
    await decidePackage(db, users.supervisor2, third.id, true, now);
    await buildPackage(caseDir, db, { country: COUNTRY, out: again, actor: 'test' }, now);
    const open = (key: string) => spawnSync('age', ['-d', '-i', key, '-o', '/dev/null', again]);
    assert.notEqual(open(partnerKey.file).status, 0, 'not to the retired key');
    assert.equal(open(rotated.file).status, 0, 'to the current one');
    const actions = await db.query<{ action: string; detail: { partner_version?: number } }>(
      `SELECT action, detail FROM audit WHERE target = $1 ORDER BY id`,
      [`package:${third.id}`],
    );
    assert.deepEqual(
      actions.map((x) => x.action),
      ['package_request', 'package_approve', 'package_approve', 'package_build', 'package_built'],
    );
    assert.equal(actions[3]?.detail.partner_version, 2);
    const [failedEntry] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit WHERE action = 'package_build_failed' AND target = $1`,
      [`package:${asked.id}`],
    );
    assert.equal(failedEntry?.n, 1);
  });

  it('holds nothing of another country', async () => {
    const analysis = await openAnalysis(caseDir);
    const foreign = new Set<string>();
    try {
      const ours = await analysis.rows(
        `SELECT a.account_id, a.username, a.email, a.phone_e164 FROM accounts a
         JOIN suspects s USING (account_id) WHERE s.jurisdiction = '${COUNTRY}'`,
      );
      const own = new Set(ours.flatMap((r) => Object.values(r).map(String)));
      for (const r of await analysis.rows(
        `SELECT a.account_id, a.username, a.email, a.phone_e164 FROM accounts a
         JOIN suspects s USING (account_id) WHERE s.jurisdiction IS DISTINCT FROM '${COUNTRY}'`,
      ))
        for (const v of Object.values(r))
          if (v != null && !own.has(String(v))) foreign.add(String(v));
      // Another country's victims; any victim whose reading is in doubt (it may be another
      // country's); caller IDs shown that are neither a bank's nor this country's.
      for (const r of await analysis.rows(
        `SELECT number FROM victims WHERE country <> '${COUNTRY}' OR needs_review
         UNION SELECT presented_e164 FROM calls
         WHERE presented_country IS DISTINCT FROM '${COUNTRY}' AND presented_e164 IS NOT NULL
           AND presented_e164 NOT IN (SELECT e164 FROM brands)`,
      ))
        foreign.add(String(r.number));
    } finally {
      analysis.close();
    }
    assert.ok(foreign.size > 500, `${foreign.size} identifiers of other countries to look for`);
    // Every file as text; the Parquet tables read back through DuckDB.
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    let text = '';
    for (const e of fs.readdirSync(opened, {
      recursive: true,
      withFileTypes: true,
    }) as fs.Dirent[]) {
      if (!e.isFile()) continue;
      const p = path.join(e.parentPath, e.name);
      if (p.endsWith('.parquet')) {
        const rows = (await duck.runAndReadAll(`SELECT * FROM read_parquet('${p}')`)).getRowsJS();
        text += JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
      } else text += fs.readFileSync(p, 'utf8');
    }
    duck.closeSync();
    const found = [...foreign].filter((v) => {
      const at = text.indexOf(v);
      // an id found inside a longer token is not that id
      return (
        at >= 0 && !/[\w@.]/.test(text[at + v.length] ?? '') && !/[\w@.+]/.test(text[at - 1] ?? '')
      );
    });
    assert.deepEqual(
      found.slice(0, 10),
      [],
      `${found.length} identifiers of other countries found`,
    );
    // Nor a report whose author did not agree to sharing, another country's, or an e-mail.
    for (const v of ['REF-NL-PRIVATE', 'REF-GB-SHARED', '@example.org'])
      assert.ok(!text.includes(v), v);
    // What it does hold of other countries: pseudonyms with their country.
    assert.match(
      fs.readFileSync(path.join(opened, 'tables', 'calls.csv'), 'utf8'),
      /,p-[0-9a-f]{20},US,/,
    );
  });
});
