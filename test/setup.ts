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
