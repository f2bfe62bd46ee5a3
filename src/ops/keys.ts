/** The console's keys (cookie signing, victim-id sealing, CSRF tokens), made once per case and kept in the operations store. */
import crypto from 'node:crypto';
import { claimMeta, type OpsDb } from './db.ts';

export async function consoleKey(
  db: OpsDb,
  name: 'cookie_key' | 'seal_key' | 'csrf_key',
): Promise<Buffer> {
  return Buffer.from(
    await claimMeta(db, name, crypto.randomBytes(32).toString('base64')),
    'base64',
  );
}
