import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Loaded before every test file (`npm test`). The operations store that commands open by
 * themselves (exports audit into it) is each temporary case's own PGlite, never the shared
 * PostgreSQL that CI names in DATABASE_URL; the tests written for PostgreSQL reach it through
 * test/ops-backends.ts, each in a schema it drops.
 */
if (process.env.DATABASE_URL) {
  process.env.UNSPOOF_TEST_DATABASE_URL ??= process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
}
delete process.env.UNSPOOF_OPS_SCHEMA;

// Every test makes new operations stores; each copies one fresh PGlite cluster (written by the
// first that needs it, per PGlite version) instead of running initdb, which takes seconds.
const pglite = JSON.parse(
  fs.readFileSync(
    new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url),
    'utf8',
  ),
) as { version: string };
process.env.UNSPOOF_PGLITE_TEMPLATE ??= path.join(
  os.tmpdir(),
  `unspoof-test-pglite-${pglite.version}.tar`,
);
