/**
 * Imported first by tests whose commands audit into a case's operations store (exports): that
 * store is then each temporary case's own PGlite, never the shared PostgreSQL that CI names in
 * DATABASE_URL (the ops, users and console tests cover PostgreSQL, each in a schema they drop).
 */
delete process.env.DATABASE_URL;
delete process.env.UNSPOOF_OPS_SCHEMA;
