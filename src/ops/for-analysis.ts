/**
 * What `analyze` copies from the operations store (reported losses, confirmed readings), read in
 * one opening of it: undefined when the case has no operations store yet, or when it cannot be
 * opened now (the console holds the embedded one) — the analysis then keeps what it had, and
 * says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Effects } from '../shared/effects.ts';
import { isUnspoofError } from '../shared/errors.ts';
import type { OpsQuery } from './db.ts';
import { OPS_DIR, openOps, readOpsEnv } from './open.ts';

export async function readForAnalysis<T>(
  caseDir: string,
  fx: Effects,
  what: string,
  read: (db: OpsQuery) => Promise<T>,
): Promise<T | undefined> {
  const env = readOpsEnv();
  if (!env.DATABASE_URL && !fs.existsSync(path.join(caseDir, OPS_DIR))) return undefined;
  try {
    const ops = await openOps(caseDir, env);
    try {
      return await read(ops);
    } finally {
      await ops.close();
    }
  } catch (e) {
    if (isUnspoofError(e) && (e.code === 'OPS_BUSY' || e.code === 'OPS_UNREACHABLE')) {
      fx.note(`${what} not refreshed (${e.message}); the last analysis's are kept`);
      return undefined;
    }
    throw e;
  }
}
