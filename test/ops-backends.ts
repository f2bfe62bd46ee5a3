/**
 * The operations-store backends every ops test runs on: PGlite always, and the real PostgreSQL
 * when DATABASE_URL is set (CI sets it to the machine's server; test/setup.ts moves it to
 * UNSPOOF_TEST_DATABASE_URL). Each PostgreSQL run gets its
 * own schema, dropped afterwards, so concurrent tests never see each other's rows.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type OpsDb } from '../src/ops/db.ts';
import { migrate } from '../src/ops/migrate.ts';

export interface Backend {
  name: string;
  /** A new, migrated, empty store; `drop` removes it. */
  open(): Promise<{ db: OpsDb; drop(): Promise<void> }>;
}

export const backends: Backend[] = [
  {
    name: 'PGlite',
    async open() {
      const db = await openPglite(null, { template: process.env.UNSPOOF_PGLITE_TEMPLATE });
      await migrate(db);
      return { db, drop: () => db.close() };
    },
  },
];

// test/setup.ts keeps CI's DATABASE_URL here, out of reach of commands that open a store.
const url = process.env.UNSPOOF_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (url) {
  backends.push({
    name: 'PostgreSQL',
    async open() {
      const schema = testSchema();
      const db = await openPostgres(url, schema);
      await migrate(db);
      return {
        db,
        drop: async () => {
          await db.close();
          await dropSchema(url, schema);
        },
      };
    },
  });
}

export function testSchema(): string {
  return `t_${crypto.randomBytes(6).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
