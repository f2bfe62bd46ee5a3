/**
 * `unspoof package build`: an approved package for one partner country (docs/package.md). The
 * slice's tables are written from DuckDB, the partner formats and the report from its small
 * rows, the build is audited and a checkpoint signed, the package's own audit entries proven
 * in it, every file listed in a manifest signed with the unit's key; the folder is then written
 * as a tar straight into age for the partner's recipients, so nothing of it sits in memory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { recordAuditIn } from '../audit/audit.ts';
import { entryOfRow, type EntryRow } from '../audit/entry.ts';
import { logLeaves } from '../audit/live.ts';
import { openCheckpoint, makeInclusion } from '../audit/proofs.ts';
import { logKey, writeCheckpoint } from '../audit/tree.ts';
import { consoleKey } from '../ops/keys.ts';
import { claimMeta, type OpsDb } from '../ops/db.ts';
import { openAnalysis } from '../readout/analysis.ts';
import { alive } from '../shared/alive.ts';
import { UnspoofError } from '../shared/errors.ts';
import { countryReport } from './country-report.ts';
import { custodyGraph } from './custody.ts';
import { encryptStream } from './encrypt.ts';
import { ftmEntities } from './ftm.ts';
import { fingerprint, manifestOf, signManifest } from './manifest.ts';
import { mispEvent } from './misp.ts';
import { partnerById } from './partners.ts';
import { writeReports } from './reports.ts';
import { claimBuild, markBuilt, releaseBuild, type PackageRow } from './requests.ts';
import { makeSlice, pseudonymKey, seizedFiles, sliceRows, writeTables } from './slice.ts';
import type { SliceData, SliceStep } from './slice-types.ts';

/** Files written after the manifest, which it cannot list: checked another way (verify.ts). */
export const OUTSIDE_MANIFEST = ['manifest.json', 'manifest.jws', 'unit-key.pem'] as const;

/** The unit's package signing key (Ed25519), made once per case and kept with the other keys. */
export async function unitKey(db: OpsDb): Promise<crypto.KeyObject> {
  const made = crypto.generateKeyPairSync('ed25519').privateKey;
  const der = await claimMeta(
    db,
    'package_signing_key',
    made.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  );
  return crypto.createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' });
}

export interface BuildResult {
  id: number;
  file: string;
  bytes: number;
  sha256: string;
  fingerprint: string;
  tables: Record<string, number>;
  reports: number;
  /** Milliseconds each part took: slice, reports, formats, audit, manifest, seal, record. */
  timings: Record<string, number>;
}

/**
 * Builds the approved package `id` (or the country's newest approved one) into `out`, encrypted
 * to its partner's recipients; `actor` is who builds it (audited). The package is claimed first
 * (built once); a build that fails gives it back, audited with why.
 */
export async function buildPackage(
  caseDir: string,
  db: OpsDb,
  o: BuildOptions,
  now: Date,
): Promise<BuildResult> {
  return (await startBuild(caseDir, db, o, now)).done;
}

export interface BuildOptions {
  country: string;
  out: string;
  id?: number;
  actor: string;
  /** Take over a package a build that died left `building`. */
  again?: boolean;
}

/** Claims the package now and builds it in the background (`done`): the console's way. */
export async function startBuild(
  caseDir: string,
  db: OpsDb,
  o: BuildOptions,
  now: Date,
): Promise<{ pkg: PackageRow; done: Promise<BuildResult> }> {
  const out = path.resolve(o.out);
  if (fs.existsSync(out))
    throw new UnspoofError('USAGE', `${out} exists: a package is never written over another`);
  const pkg = await claimBuild(db, o, now);
  const done = buildClaimed(caseDir, db, pkg, out, o.actor, now).catch(async (e: unknown) => {
    const why = (e as { code?: string }).code ?? (e as Error).message;
    await releaseBuild(db, pkg.id, o.actor, why, now);
    throw e;
  });
  return { pkg, done };
}

async function buildClaimed(
  caseDir: string,
  db: OpsDb,
  pkg: PackageRow,
  out: string,
  actor: string,
  now: Date,
): Promise<BuildResult> {
  // Encrypted to the keys the approval was given for: a rotation since sends the request back
  // for approval (partners.ts), so a retired version here means it happened during this build.
  const partner = await partnerById(db, pkg.partner_id);
  if (!partner?.current)
    throw new UnspoofError(
      'CONFLICT',
      `${pkg.country}'s keys were rotated: package ${pkg.id} must be approved again`,
    );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  removeDeadStaging(path.dirname(out));
  // Staged beside the output (the same disk, which must hold the package anyway), removed after;
  // `owner` names this process, so that a build that dies leaves plaintext only until the next.
  const staging = fs.mkdtempSync(path.join(path.dirname(out), STAGING));
  fs.writeFileSync(path.join(staging, 'owner'), String(process.pid));
  const part = path.join(staging, 'package.age.part');
  const top = `package-${pkg.country.toLowerCase()}-${pkg.id}`;
  const root = path.join(staging, top);
  fs.mkdirSync(path.join(root, 'tables'), { recursive: true });
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = Math.round(t - mark);
    mark = t;
  };
  try {
    const key = pseudonymKey(await consoleKey(db, 'seal_key'), pkg.country);
    const analysis = await openAnalysis(caseDir);
    let sliced: Awaited<ReturnType<typeof sliceRows>>;
    let tables: Record<string, number>;
    let files: SliceData['files'];
    try {
      ({ sliced, tables, files } = await analysis.read(async (conn) => {
        await makeSlice(conn, pkg.country, key);
        return {
          tables: await writeTables(conn, root),
          sliced: await sliceRows(conn),
          files: await seizedFiles(conn),
        };
      }));
    } finally {
      analysis.close();
    }
    lap('slice');
    const reports = await writeReports(db, pkg.country, root);
    lap('reports');

    // The build is recorded, and the log checkpointed, before the files that prove it.
    const cp = await db.transaction(async (tx) => {
      await recordAuditIn(
        tx,
        {
          actor,
          action: 'package_build',
          target: `package:${pkg.id}`,
          detail: {
            uuid: pkg.uuid,
            country: pkg.country,
            partner: partner.name,
            partner_version: partner.version,
            recipients: partner.recipients,
            tables,
            reports,
          },
        },
        now,
      );
      return writeCheckpoint(tx, `package ${pkg.id} built`, now);
    });
    const steps = await custodySteps(db, pkg.id, cp.size);
    const [meta] = await db.query<{ value: string }>(
      `SELECT value FROM ops_meta WHERE key = 'case_id'`,
    );
    const data: SliceData = {
      caseId: meta?.value ?? 'case',
      country: pkg.country,
      partner: partner.name,
      packageId: pkg.uuid,
      created: now.toISOString(),
      ...sliced,
      files,
      steps,
      counts: { victims: tables.victims ?? 0, calls: tables.calls ?? 0, reports },
    };
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    write(
      'misp/event.json',
      json(mispEvent(data, { uuid: sharingGroupUuid(pkg.country), name: partner.name })),
    );
    write(
      'ftm/entities.ftm.json',
      ftmEntities(data)
        .map((e) => `${JSON.stringify(e)}\n`)
        .join(''),
    );
    write('case-uco/custody.jsonld', json(custodyGraph(data)));
    write('report/report.html', countryReport(data, tables));
    lap('formats');
    await writeAuditProofs(db, root, cp.note, cp.size, pkg.id);
    lap('audit');

    const signing = await unitKey(db);
    const manifest = await manifestOf(root, pkg, now);
    write('manifest.json', json(manifest));
    const jws = `${await signManifest(manifest, signing)}\n`;
    write('manifest.jws', jws);
    const publicKey = crypto.createPublicKey(signing);
    write('unit-key.pem', publicKey.export({ format: 'pem', type: 'spki' }).toString());
    lap('manifest');

    const sealed = await encryptStream(
      tar.create({ cwd: staging, portable: true, noMtime: true }, [
        top,
      ]) as AsyncIterable<Uint8Array>,
      part,
      partner.recipients,
    );
    // Published without ever replacing a file: a link fails if `out` appeared meanwhile.
    try {
      fs.linkSync(part, out);
    } catch (e) {
      throw new UnspoofError('USAGE', `${out} cannot be written: ${(e as Error).message}`);
    }
    lap('seal');
    const manifestSha256 = crypto.createHash('sha256').update(jws).digest('hex');
    await db.transaction(async (tx) => {
      const file = path.relative(path.resolve(caseDir), out);
      await markBuilt(tx, pkg.id, { file, ...sealed, manifestSha256 }, now);
      await recordAuditIn(
        tx,
        {
          actor,
          action: 'package_built',
          target: `package:${pkg.id}`,
          detail: { sha256: sealed.sha256, bytes: sealed.bytes, manifest_sha256: manifestSha256 },
        },
        now,
      );
      await writeCheckpoint(tx, `package ${pkg.id} sealed`, now);
    });
    return {
      id: pkg.id,
      file: out,
      ...sealed,
      fingerprint: fingerprint(publicKey),
      tables,
      reports,
      timings: (lap('record'), timings),
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

const STAGING = '.package-';

/** Staging folders (the package in plaintext) left beside `dir`'s packages by builds that died. */
function removeDeadStaging(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || !e.name.startsWith(STAGING)) continue;
    const folder = path.join(dir, e.name);
    const owner = path.join(folder, 'owner');
    // One without its owner yet may be a build that has only just made it.
    if (!fs.existsSync(owner) && Date.now() - fs.statSync(folder).mtimeMs < 60_000) continue;
    const pid = fs.existsSync(owner) ? Number(fs.readFileSync(owner, 'utf8')) : 0;
    if (!alive(pid)) fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** A country's MISP sharing group, the same in every package to it (a name-based UUID). */
function sharingGroupUuid(country: string): string {
  const h = crypto.createHash('sha1').update(`unspoof sharing group ${country}`).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The steps that made the case and this package: ingests, analyses and the package's own. */
async function custodySteps(db: OpsDb, id: number, upTo: number): Promise<SliceStep[]> {
  const rows = await db.query<EntryRow>(
    `SELECT id::text AS id, at, actor, action, target, reason, detail FROM audit
     WHERE id <= $2 AND (action IN ('ingest', 'analysis') OR target = $1) ORDER BY id`,
    [`package:${id}`, upTo],
  );
  return rows.map(entryOfRow).map((e) => ({
    entry: e.id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    detail: e.detail,
  }));
}

/**
 * `audit/checkpoint.txt` (the signed checkpoint of the build), `audit/log.vkey` (its verifier
 * key) and `audit/proofs.json` (each of this package's entries' inclusion proof against it).
 */
async function writeAuditProofs(
  db: OpsDb,
  root: string,
  note: string,
  size: number,
  id: number,
): Promise<void> {
  const key = await logKey(db);
  const c = openCheckpoint(note, key.verifier);
  const mine = await db.query<{ id: number }>(
    `SELECT id::int AS id FROM audit WHERE target = $1 AND id <= $2 ORDER BY id`,
    [`package:${id}`, size],
  );
  const { leaves, lines } = await logLeaves(db, size, new Set(mine.map((r) => r.id)));
  const proofs = mine.map((r) => makeInclusion(leaves, lines, note, c, r.id));
  fs.mkdirSync(path.join(root, 'audit'), { recursive: true });
  fs.writeFileSync(path.join(root, 'audit', 'checkpoint.txt'), note);
  fs.writeFileSync(path.join(root, 'audit', 'log.vkey'), `${key.vkey}\n`);
  fs.writeFileSync(path.join(root, 'audit', 'proofs.json'), `${JSON.stringify(proofs, null, 2)}\n`);
}
