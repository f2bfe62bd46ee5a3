/**
 * The partner registry (docs/package.md): each partner unit's country, name, the age
 * recipients its packages are encrypted to and the keys it signs with. An admin adds a partner
 * and rotates its keys; a rotation writes a new version and retires the old one, so what each
 * past package was encrypted to stays on record. Every change is audited.
 */
import { z } from 'zod';
import { demand } from '../authz/policy.ts';
import { recordAuditIn } from '../audit/audit.ts';
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { User } from '../users/roles.ts';
import { checkRecipients } from './encrypt.ts';

export const Country = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, 'a country is two letters (ISO 3166-1, e.g. NL)'));

export const PartnerInput = z.object({
  country: Country,
  name: z.string().trim().min(1).max(120),
  recipients: z.array(z.string().trim()).min(1, 'at least one age recipient (age1…)'),
  signingKeys: z.array(z.string().trim().min(1).max(2000)).default([]),
});
export type PartnerInput = z.input<typeof PartnerInput>;

export interface Partner {
  id: number;
  country: string;
  name: string;
  recipients: string[];
  signing_keys: string[];
  version: number;
  added_by: string;
  added_at: string;
  /** This version is the partner's current one (not retired by a rotation). */
  current: boolean;
}

/** The advisory lock (with the country's hash) that serialises a country's partner changes. */
const PARTNER_LOCK = 0x70617274;

const COLUMNS = `id::int AS id, country, name, recipients, signing_keys, version, added_by,
  added_at, retired_at IS NULL AS current`;

const row = (r: Partner): Partner => ({ ...r, added_at: new Date(r.added_at).toISOString() });

/** The partner of a country as it stands now (its current keys), or null. */
export async function currentPartner(db: OpsQuery, country: string): Promise<Partner | null> {
  const [r] = await db.query<Partner>(
    `SELECT ${COLUMNS} FROM partners WHERE country = $1 AND retired_at IS NULL`,
    [country],
  );
  return r ? row(r) : null;
}

/** A partner version by id (a package names the version it was approved for). */
export async function partnerById(db: OpsQuery, id: number): Promise<Partner | null> {
  const [r] = await db.query<Partner>(`SELECT ${COLUMNS} FROM partners WHERE id = $1`, [id]);
  return r ? row(r) : null;
}

/** Every partner's current version, by country. */
export async function listPartners(db: OpsQuery): Promise<Partner[]> {
  return (
    await db.query<Partner>(
      `SELECT ${COLUMNS} FROM partners WHERE retired_at IS NULL ORDER BY country`,
    )
  ).map(row);
}

/**
 * Adds a partner (`rotate` false: refused if the country has one) or rotates its keys (`rotate`
 * true: the country must have one; its name is kept unless given).
 */
export async function savePartner(
  db: OpsDb,
  user: User,
  input: PartnerInput,
  rotate: boolean,
  now: Date,
): Promise<Partner> {
  demand(user, 'partners:manage');
  const p = PartnerInput.parse(input);
  checkRecipients(p.recipients);
  return db.transaction(async (tx) => {
    // One change of a country's partner at a time (two admins at once: the second waits).
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PARTNER_LOCK, p.country]);
    const old = await currentPartner(tx, p.country);
    if (old && !rotate)
      throw new UnspoofError(
        'CONFLICT',
        `${p.country} already has a partner (${old.name}): rotate its keys instead`,
      );
    if (!old && rotate)
      throw new UnspoofError('PARTNER_NOT_FOUND', `no partner for ${p.country}: add one first`);
    if (old)
      await tx.query('UPDATE partners SET retired_at = $2 WHERE id = $1', [
        old.id,
        now.toISOString(),
      ]);
    // A rotation keeps the signing keys unless new ones are given.
    const signingKeys = p.signingKeys.length ? p.signingKeys : (old?.signing_keys ?? []);
    const [made] = await tx.query<Partner>(
      `INSERT INTO partners (country, name, recipients, signing_keys, version, added_by, added_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        p.country,
        p.name,
        p.recipients,
        signingKeys,
        (old?.version ?? 0) + 1,
        user.name,
        now.toISOString(),
      ],
    );
    // What was asked for or approved for the old keys goes (back) to a second person for the
    // new ones: an admin alone cannot send an approved package to keys nobody approved.
    const back = old
      ? await tx.query<{ id: number }>(
          `UPDATE packages SET partner_id = $2, state = 'requested', approved_by = NULL,
             approved_at = NULL
           WHERE partner_id = $1 AND state IN ('requested', 'approved') RETURNING id::int AS id`,
          [old.id, made?.id],
        )
      : [];
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: old ? 'partner_rotate' : 'partner_add',
        target: `partner:${p.country}`,
        detail: {
          name: p.name,
          version: made?.version,
          recipients: p.recipients,
          signing_keys: signingKeys.length,
          ...(old ? { packages_to_approve_again: back.map((b) => b.id) } : {}),
        },
      },
      now,
    );
    return row(made as Partner);
  });
}
