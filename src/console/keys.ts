/** The console's keys (cookie signing, victim-id sealing, CSRF tokens), made once per case and kept in the operations store. */
import crypto from 'node:crypto';
import type { OpsDb } from '../ops/db.ts';

export async function consoleKey(
  db: OpsDb,
  name: 'cookie_key' | 'seal_key' | 'csrf_key',
): Promise<Buffer> {
  const fresh = crypto.randomBytes(32).toString('base64');
  const [row] = await db.query<{ value: string }>(
    `INSERT INTO ops_meta (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET key = ops_meta.key RETURNING value`,
    [name, fresh],
  );
  return Buffer.from(row?.value ?? fresh, 'base64');
}
