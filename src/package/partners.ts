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
}

const COLUMNS = `id::int AS id, country, name, recipients, signing_keys, version, added_by,
  added_at`;

const row = (r: Partner): Partner => ({ ...r, added_at: new Date(r.added_at).toISOString() });

/** The partner of a country as it stands now (its current keys), or null. */
export async function currentPartner(db: OpsQuery, country: string): Promise<Partner | null> {
  const [r] = await db.query<Partner>(
    `SELECT ${COLUMNS} FROM partners WHERE country = $1 AND retired_at IS NULL`,
    [country],
  );
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
    const [made] = await tx.query<Partner>(
      `INSERT INTO partners (country, name, recipients, signing_keys, version, added_by, added_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        p.country,
        p.name,
        p.recipients,
        p.signingKeys,
        (old?.version ?? 0) + 1,
        user.name,
        now.toISOString(),
      ],
    );
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
          signing_keys: p.signingKeys.length,
        },
      },
      now,
    );
    return row(made as Partner);
  });
}
