/**
 * The operations store (users, sessions, annotations, audit; campaigns and reports later):
 * PostgreSQL. The embedded default is PGlite (PostgreSQL compiled to WebAssembly, in-process)
 * in the case folder, so a fresh machine needs no server; `DATABASE_URL` points the same code
 * and migrations at a real PostgreSQL. Both speak the same SQL with `$1` parameters.
 */
import { Worker } from 'node:worker_threads';
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

/**
 * PGlite, in `dataDir` (in memory when null), on a thread of its own (pglite-thread.mjs): its
 * WebAssembly engine works beside the server's thread instead of taking turns with it. Rows
 * come back by structured clone, `bytea` values as Buffers; errors keep PostgreSQL's fields.
 * `template` names a file holding a freshly initialised cluster (PGlite's own tarball): a new
 * store is copied from it instead of running initdb, which takes seconds; when the file does not
 * exist yet, the first new store writes it. The tests set it (UNSPOOF_PGLITE_TEMPLATE), as they
 * make hundreds of stores; the template holds no rows of ours, so migrations run as on any store.
 */
export async function openPglite(
  dataDir: string | null,
  { template }: { template?: string } = {},
): Promise<OpsDb> {
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), {
    workerData: { dataDir, template },
    // Plain JavaScript: none of the main thread's loaders or preloads.
    execArgv: [],
  });
  type Waiter = { resolve(rows: unknown): void; reject(e: Error): void };
  const waiting = new Map<number, Waiter>();
  let ready: Waiter | null = null;
  let seq = 0;
  let failed: Error | null = null;
  const settleAll = (e: Error) => {
    failed = e;
    ready?.reject(e);
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on(
    'message',
    (m: { ready?: true; id?: number; rows?: unknown; error?: DbErrorFields }) => {
      if (m.ready) return ready?.resolve(null);
      const w = waiting.get(m.id as number);
      if (!w) return;
      waiting.delete(m.id as number);
      // The thread keeps the process alive only while a statement is waiting for it.
      if (waiting.size === 0) worker.unref();
      if (m.error) w.reject(Object.assign(new Error(m.error.message), m.error));
      else w.resolve(m.rows);
    },
  );
  worker.on('error', (e) => settleAll(e));
  worker.on('exit', (code) => settleAll(new Error(`the PGlite thread stopped (${code})`)));
  await new Promise((resolve, reject) => {
    ready = { resolve, reject };
  });
  ready = null;
  worker.unref();

  const call = (message: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      const id = ++seq;
      waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...message, id });
    });
  const wrap = (tx?: number): OpsQuery => ({
    async query<T>(sql: string | Prepared, params: unknown[] = []) {
      const text = typeof sql === 'string' ? sql : sql.text;
      const rows = (await call({ op: 'query', sql: text, params, tx })) as T[];
      return rows.map(withBuffers);
    },
    async exec(sql: string) {
      await call({ op: 'exec', sql, tx });
    },
  });
  let txs = 0;
  return {
    kind: 'pglite',
    ...wrap(),
    async transaction(fn) {
      const tx = ++txs;
      await call({ op: 'begin', tx });
      let result;
      try {
        result = await fn(wrap(tx));
      } catch (e) {
        await call({ op: 'rollback', tx }).catch(() => undefined);
        throw e;
      }
      await call({ op: 'commit', tx });
      return result;
    },
    async close() {
      if (!failed) await call({ op: 'close' });
      await worker.terminate();
    },
  };
}

interface DbErrorFields {
  message: string;
  code?: string;
  detail?: string;
}

/** A row with its `bytea` values (Uint8Array after the thread hop) as Buffers again. */
function withBuffers<T>(row: T): T {
  const r = row as Record<string, unknown>;
  for (const k in r) {
    const v = r[k];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v))
      r[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row;
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
