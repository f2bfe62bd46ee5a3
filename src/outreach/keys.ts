/** The keys of reference codes, made once per case and kept in the operations store. */
import crypto from 'node:crypto';
import { claimMeta, type OpsQuery } from '../ops/db.ts';
import type { RefKeys } from './refcode.ts';

const key = async (db: OpsQuery, name: string) =>
  Buffer.from(await claimMeta(db, name, crypto.randomBytes(32).toString('base64')), 'base64');

export async function refKeys(db: OpsQuery): Promise<RefKeys> {
  return { ref: await key(db, 'ref_key'), hash: await key(db, 'ref_hash_key') };
}
