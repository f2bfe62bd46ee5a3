/**
 * Victims who got a text: a campaign of made-up GB victims whose messages were delivered,
 * with each victim's reference code (what the text said) for the portal's tests.
 */
import type { FastifyInstance } from 'fastify';
import type { OpsDb } from '../src/ops/db.ts';
import { buildPortal } from '../src/portal/portal.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { refKeys } from '../src/outreach/keys.ts';
import { referenceCode } from '../src/outreach/refcode.ts';
import type { Target } from '../src/outreach/targets.ts';
import { madeUpTargets, sendingCampaign } from './outreach-fixtures.ts';

export interface TextedVictim {
  number: string;
  code: string;
  digits: string;
  brand: string;
}

/**
 * Victims whose text was delivered (a campaign of its own per call): `n` made-up numbers from
 * `from`, or the given targets (e.g. the analysed case's own victims).
 */
export async function textedVictims(
  db: OpsDb,
  n: number,
  from = 0,
  given?: Target[],
): Promise<TextedVictim[]> {
  const targets = given ?? madeUpTargets(n, from);
  const id = await sendingCampaign(db, targets);
  await db.query(
    `UPDATE messages SET state = 'delivered', submitted_at = now(), done_at = now() WHERE campaign_id = $1`,
    [id],
  );
  const keys = await refKeys(db);
  return targets.map((t) => ({
    number: t.number,
    code: referenceCode(keys, id, t.number),
    digits: t.number.slice(-4),
    brand: t.brand ?? '',
  }));
}

/** The portal alone on `db`, plain HTTP, with the real clock (`requestsPerMinute`: a load test's). */
export async function testPortal(db: OpsDb, requestsPerMinute?: number): Promise<FastifyInstance> {
  const { app } = await buildPortal({
    ops: db,
    analysis: null,
    fx: { ...memoryEffects(), now: () => new Date() },
    secure: false,
    ...(requestsPerMinute ? { requestsPerMinute } : {}),
  });
  return app;
}
