/**
 * The operations store (users, sessions, annotations, audit; campaigns and reports later):
 * PostgreSQL. The embedded default is PGlite (PostgreSQL compiled to WebAssembly, in-process)
 * in the case folder, so a fresh machine needs no server; `DATABASE_URL` points the same code
 * and migrations at a real PostgreSQL. Both speak the same SQL with `$1` parameters.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * A statement run often enough to be worth preparing once per connection (PostgreSQL parses and
 * plans it on first use only); PGlite runs its text as any other.
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

export function prepared(name: string, text: string): Prepared {
  return { name, text };
}

/** Each statement of a file of named statements (`readNamedSql`), prepared as `prefix_name`. */
export function preparedAll(prefix: string, statements: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(statements).map(([k, text]) => [k, prepared(`${prefix}_${k}`, text)]),
  ) as Record<string, Prepared>;
}

export interface OpsQuery {
  query<T = Record<string, unknown>>(sql: string | Prepared, params?: unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface OpsDb extends OpsQuery {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: OpsQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The value of `key` in `ops_meta`: `value` when the key is new, else the one stored first
 * (one statement, so concurrent first uses agree).
 */
export async function claimMeta(db: OpsQuery, key: string, value: string): Promise<string> {
  const [row] = await db.query<{ value: string }>(
    `INSERT INTO ops_meta (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET key = ops_meta.key RETURNING value`,
    [key, value],
  );
  return row?.value ?? value;
}

export async function openPglite(dataDir: string | null): Promise<OpsDb> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): OpsQuery => ({
    async query<T>(sql: string | Prepared, params: unknown[] = []) {
      return (await q.query<T>(typeof sql === 'string' ? sql : sql.text, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

/**
 * A real PostgreSQL. `schema`, when given, is created if missing and put first on the search
 * path of every connection (the tests give each run its own schema on the shared server).
 */
export async function openPostgres(url: string, schema?: string): Promise<OpsDb> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
    } finally {
      await admin.end();
    }
  }
  // The search path is a connection parameter: set before any query on every connection.
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  const wrap = (q: pg.Pool | pg.PoolClient): OpsQuery => ({
    async query<T>(sql: string | Prepared, params: unknown[] = []) {
      const config = typeof sql === 'string' ? { text: sql } : { name: sql.name, text: sql.text };
      return (await q.query({ ...config, values: params })).rows as T[];
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        // Read committed whatever the server's default: the audit chain relies on it.
        await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
