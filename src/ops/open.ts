/**
 * Opens a case's operations store: PGlite in `CASE_DIR/ops/` by default, or the PostgreSQL
 * that `DATABASE_URL` names, in a schema of its own per case (`case_<case id>`), so one server
 * holds many cases. Migrations run on open. A store belongs to one case: the case's id (in
 * `CASE_DIR/ops.json`) is written into the store on first use, and a store that holds another
 * case's id is refused, so two cases never share users or audit rows by mistake.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ANALYSIS_FILE } from '../case/store.ts';
import { alive } from '../shared/alive.ts';
import { UnspoofError } from '../shared/errors.ts';
import { claimMeta, openPglite, openPostgres, type OpsDb } from './db.ts';
import { migrate } from './migrate.ts';

export const OPS_DIR = 'ops';
const IDENTITY_FILE = 'ops.json';

const OpsEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  /** The schema on that server for this store; by default `case_<case id>`, one per case. */
  UNSPOOF_OPS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional(),
  /** A fresh PGlite cluster to copy new stores from (see `openPglite`); the tests set it. */
  UNSPOOF_PGLITE_TEMPLATE: z.string().optional(),
});
export type OpsEnv = z.infer<typeof OpsEnv>;

export function readOpsEnv(env: NodeJS.ProcessEnv = process.env): OpsEnv {
  const parsed = OpsEnv.safeParse({
    DATABASE_URL: env.DATABASE_URL || undefined,
    UNSPOOF_OPS_SCHEMA: env.UNSPOOF_OPS_SCHEMA || undefined,
    UNSPOOF_PGLITE_TEMPLATE: env.UNSPOOF_PGLITE_TEMPLATE || undefined,
  });
  if (!parsed.success) {
    throw new UnspoofError(
      'CONFIG_INVALID',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

export async function openOps(caseDir: string, env: OpsEnv = readOpsEnv()): Promise<OpsDb> {
  if (!fs.existsSync(path.join(caseDir, ANALYSIS_FILE))) {
    throw new UnspoofError('CASE_NOT_FOUND', `no case in ${caseDir}: ingest an export first`);
  }
  const caseId = caseIdentity(caseDir);
  let db: OpsDb;
  try {
    db = env.DATABASE_URL
      ? await openPostgres(
          env.DATABASE_URL,
          env.UNSPOOF_OPS_SCHEMA ?? `case_${caseId.replaceAll('-', '')}`,
        )
      : await lockedPglite(path.join(caseDir, OPS_DIR), env.UNSPOOF_PGLITE_TEMPLATE);
    await migrate(db);
  } catch (e) {
    if (e instanceof UnspoofError) throw e;
    // The URL may hold a password: the message names the failure, never the URL.
    throw new UnspoofError(
      'OPS_UNREACHABLE',
      `the operations database cannot be opened: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const bound = await claimMeta(db, 'case_id', caseId);
  if (bound !== caseId) {
    await db.close();
    throw new UnspoofError(
      'OPS_OTHER_CASE',
      `the operations database holds case ${bound}, not this case (${caseId}): give each case its own database`,
    );
  }
  return db;
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt
 * it. A lock file (with the owner's pid) keeps it to one; a lock left by a process that died
 * is taken over. Several processes (a console and the command line at once) need DATABASE_URL.
 */
async function lockedPglite(dir: string, template?: string): Promise<OpsDb> {
  fs.mkdirSync(dir, { recursive: true });
  const lock = lockFile(dir);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw busy(lock);
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      if (alive(pid)) throw busy(lock);
      fs.rmSync(lock, { force: true });
    }
  }
  try {
    const db = await openPglite(dir, { template });
    return {
      ...db,
      async close() {
        await db.close();
        fs.rmSync(lock, { force: true });
      },
    };
  } catch (e) {
    fs.rmSync(lock, { force: true });
    throw e;
  }
}

/**
 * The lock beside the store's folder, not in it: a cluster's files are copied whole (a store
 * made from a template carried its maker's lock, and a second process then took a live store
 * over as a dead owner's).
 */
export const lockFile = (dir: string): string => `${dir}.lock`;

function busy(lock: string): UnspoofError {
  let pid = '';
  try {
    pid = ` (process ${fs.readFileSync(lock, 'utf8').trim()})`;
  } catch {
    // the lock went away meanwhile
  }
  return new UnspoofError(
    'OPS_BUSY',
    `the case's operations store is open in another process${pid}, e.g. the console: stop it first, or give DATABASE_URL so that several processes share a PostgreSQL`,
  );
}

/** The case's id, made on first use. */
function caseIdentity(caseDir: string): string {
  const file = path.join(caseDir, IDENTITY_FILE);
  if (fs.existsSync(file)) {
    const parsed = z
      .object({ case_id: z.uuid() })
      .safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new UnspoofError('CONFIG_INVALID', `${file} is not valid`);
    return parsed.data.case_id;
  }
  const id = crypto.randomUUID();
  fs.writeFileSync(file, `${JSON.stringify({ case_id: id }, null, 2)}\n`, { flag: 'wx' });
  return id;
}
