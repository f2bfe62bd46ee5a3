/**
 * Evidence packages asked for and approved (four eyes, docs/package.md): an analyst or a
 * supervisor asks for a country's package, with a reason; a supervisor who did not ask
 * approves it (or refuses it); only then can it be built, once. Each step is audited; an
 * approval and a build each sign a checkpoint of the audit log.
 */
import crypto from 'node:crypto';
import { can, demand, scope } from '../authz/policy.ts';
import { recordAuditIn } from '../audit/audit.ts';
import { writeCheckpoint } from '../audit/tree.ts';
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { User } from '../users/roles.ts';
import { currentPartner } from './partners.ts';

export type PackageState = 'requested' | 'approved' | 'building' | 'built' | 'refused';

export interface PackageRow {
  id: number;
  uuid: string;
  country: string;
  partner_id: number;
  partner: string;
  state: PackageState;
  reason: string;
  requested_by: string;
  requested_at: string;
  approved_by: string | null;
  approved_at: string | null;
  building_by: string | null;
  building_since: string | null;
  built_at: string | null;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  manifest_sha256: string | null;
}

const SELECT = `SELECT k.id::int AS id, k.uuid, k.country, k.partner_id::int AS partner_id,
  p.name AS partner, k.state, k.reason, r.name AS requested_by, k.requested_at,
  a.name AS approved_by, k.approved_at, k.building_by, k.building_since, k.built_at, k.file, k.bytes::float8 AS bytes, k.sha256,
  k.manifest_sha256
FROM packages k JOIN partners p ON p.id = k.partner_id JOIN users r ON r.id = k.requested_by
LEFT JOIN users a ON a.id = k.approved_by`;

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
const row = (r: PackageRow): PackageRow => ({
  ...r,
  requested_at: iso(r.requested_at) as string,
  approved_at: iso(r.approved_at),
  building_since: iso(r.building_since),
  built_at: iso(r.built_at),
});

/** A package by id; a partner sees only its own country's built ones (else PACKAGE_NOT_FOUND). */
export async function getPackage(db: OpsQuery, user: User, id: number): Promise<PackageRow> {
  demand(user, 'packages:read');
  const [r] = await db.query<PackageRow>(`${SELECT} WHERE k.id = $1`, [id]);
  const country = scope(user);
  if (!r || (country && (r.country !== country || r.state !== 'built')))
    throw new UnspoofError('PACKAGE_NOT_FOUND', `no package ${id}`);
  return row(r);
}

/** The packages a user may see, newest first. */
export async function listPackages(db: OpsQuery, user: User): Promise<PackageRow[]> {
  demand(user, 'packages:read');
  const country = scope(user);
  const rows = await db.query<PackageRow>(
    `${SELECT} WHERE ($1::text IS NULL OR (k.country = $1 AND k.state = 'built')) ORDER BY k.id DESC`,
    [country],
  );
  return rows.map(row);
}

export async function requestPackage(
  db: OpsDb,
  user: User,
  input: { country: string; reason: string },
  now: Date,
): Promise<PackageRow> {
  demand(user, 'packages:request');
  const reason = input.reason.trim();
  if (reason.length < 3)
    throw new UnspoofError('USAGE', 'say why the partner needs this package (--reason)');
  return db.transaction(async (tx) => {
    const partner = await currentPartner(tx, input.country);
    if (!partner)
      throw new UnspoofError(
        'PARTNER_NOT_FOUND',
        `no partner for ${input.country}: an admin adds one first (unspoof partner add)`,
      );
    const [made] = await tx.query<{ id: number }>(
      `INSERT INTO packages (uuid, country, partner_id, reason, requested_by, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id`,
      [crypto.randomUUID(), partner.country, partner.id, reason, user.id, now.toISOString()],
    );
    const id = made?.id as number;
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'package_request',
        target: `package:${id}`,
        reason,
        detail: {
          country: partner.country,
          partner: partner.name,
          partner_version: partner.version,
        },
      },
      now,
    );
    return row((await tx.query<PackageRow>(`${SELECT} WHERE k.id = $1`, [id]))[0] as PackageRow);
  });
}

/** Approves (or refuses) a requested package: a supervisor who did not ask for it. */
export async function decidePackage(
  db: OpsDb,
  user: User,
  id: number,
  approve: boolean,
  now: Date,
): Promise<PackageRow> {
  demand(user, 'packages:approve');
  return db.transaction(async (tx) => {
    const [k] = await tx.query<{ state: string; requested_by: number; country: string }>(
      `SELECT state, requested_by::int AS requested_by, country FROM packages WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!k) throw new UnspoofError('PACKAGE_NOT_FOUND', `no package ${id}`);
    if (k.state !== 'requested')
      throw new UnspoofError('CONFLICT', `package ${id} is ${k.state}: only a request is decided`);
    if (k.requested_by === user.id)
      throw new UnspoofError(
        'FORBIDDEN',
        `package ${id} was asked for by ${user.name}: another supervisor must decide it`,
      );
    await tx.query(
      `UPDATE packages SET state = $2, approved_by = $3, approved_at = $4 WHERE id = $1`,
      [id, approve ? 'approved' : 'refused', user.id, now.toISOString()],
    );
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: approve ? 'package_approve' : 'package_refuse',
        target: `package:${id}`,
        detail: { country: k.country },
      },
      now,
    );
    if (approve) await writeCheckpoint(tx, `package ${id} approved`, now);
    return row((await tx.query<PackageRow>(`${SELECT} WHERE k.id = $1`, [id]))[0] as PackageRow);
  });
}

/**
 * Claims the package to build for a country — the given one, or its newest approved one — so
 * that it is built once: it moves to `building` (committed) before any file is written. `again`
 * takes over a package left `building` by a build that died.
 */
export async function claimBuild(
  db: OpsDb,
  o: { country: string; id?: number; again?: boolean; actor: string },
  now: Date,
): Promise<PackageRow> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<PackageRow>(
      `${SELECT} WHERE k.country = $1 AND ($2::bigint IS NULL OR k.id = $2) ORDER BY k.id DESC`,
      [o.country, o.id ?? null],
    );
    const ready = rows.find((r) => r.state === 'approved' || (o.again && r.state === 'building'));
    if (ready) {
      const claimed = await tx.query(
        `UPDATE packages SET state = 'building', building_by = $2, building_since = $3
         WHERE id = $1 AND state = $4 RETURNING id`,
        [ready.id, o.actor, now.toISOString(), ready.state],
      );
      if (claimed.length) return row({ ...ready, state: 'building' });
    }
    if (o.id && !rows.length)
      throw new UnspoofError('PACKAGE_NOT_FOUND', `no package ${o.id} for ${o.country}`);
    const busy = rows.find((r) => r.state === 'building');
    if (busy)
      throw new UnspoofError(
        'CONFLICT',
        `package ${busy.id} is being built by ${busy.building_by} since ${iso(busy.building_since)}: if that build stopped, build it --again`,
      );
    throw new UnspoofError(
      'PACKAGE_NOT_APPROVED',
      rows.length
        ? `no approved package for ${o.country} waits to be built (${rows.map((r) => `${r.id}: ${r.state}`).join(', ')}): a supervisor who did not ask for it approves a request first`
        : `no package was asked for ${o.country}: request one (unspoof package request), then a second person approves it`,
    );
  });
}

/** A build that failed gives the package back (approved), audited with why. */
export async function releaseBuild(
  db: OpsDb,
  id: number,
  actor: string,
  why: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE packages SET state = 'approved', building_by = NULL, building_since = NULL
       WHERE id = $1 AND state = 'building'`,
      [id],
    );
    await recordAuditIn(
      tx,
      { actor, action: 'package_build_failed', target: `package:${id}`, detail: { error: why } },
      now,
    );
  });
}

/** Whether a user may download a built package (its country's partner, or the unit). */
export const mayDownload = (user: User, p: PackageRow): boolean =>
  can(user, 'packages:read') && p.state === 'built' && (scope(user) ?? p.country) === p.country;

/** Records the build (in the transaction that audits it). */
export async function markBuilt(
  tx: OpsQuery,
  id: number,
  built: { file: string; bytes: number; sha256: string; manifestSha256: string },
  now: Date,
): Promise<void> {
  const done = await tx.query(
    `UPDATE packages SET state = 'built', built_at = $2, file = $3, bytes = $4, sha256 = $5,
       manifest_sha256 = $6, building_by = NULL, building_since = NULL
     WHERE id = $1 AND state = 'building' RETURNING id`,
    [id, now.toISOString(), built.file, built.bytes, built.sha256, built.manifestSha256],
  );
  if (!done.length)
    throw new UnspoofError(
      'CONFLICT',
      `package ${id} is no longer being built by this build (taken over with --again?)`,
    );
}
