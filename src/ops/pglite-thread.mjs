// The embedded PGlite engine on a thread of its own (`openPglite` in db.ts), so that its
// WebAssembly work does not take turns with the server's on one core. Statements and
// transactions arrive as messages, each answered once: {id, rows} or {id, error}.
// Plain JavaScript: a worker thread does not inherit the TypeScript loader of the main thread.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const db = await create(workerData);

/**
 * A new cluster is copied from the template (a fresh initdb's files, see `openPglite`) when
 * there is one, which skips the seconds initdb takes; the first new cluster without it writes it.
 */
async function create({ dataDir, template }) {
  const fresh = !dataDir || !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (template && fresh && fs.existsSync(template)) {
    const loadDataDir = new Blob([fs.readFileSync(template)]);
    return PGlite.create(dataDir ?? undefined, { loadDataDir });
  }
  const made = await PGlite.create(dataDir ?? undefined);
  if (template && fresh) {
    const tar = new Uint8Array(await (await made.dumpDataDir('none')).arrayBuffer());
    // Written aside and renamed: another process may be writing or reading the same template.
    const aside = `${template}.${process.pid}.${threadId}`;
    fs.writeFileSync(aside, tar);
    fs.renameSync(aside, template);
  }
  return made;
}
/** Open transactions by id: the transaction's own connection, and how to end it. */
const open = new Map();
const ROLLBACK = new Error('rolled back');

const answer = (id, rows) => parentPort.postMessage({ id, rows });
const refuse = (id, e) =>
  parentPort.postMessage({
    id,
    error: {
      message: e instanceof Error ? e.message : String(e),
      ...(e && typeof e === 'object'
        ? Object.fromEntries(
            ['code', 'detail', 'hint', 'severity', 'constraint', 'table', 'column']
              .filter((k) => typeof e[k] === 'string')
              .map((k) => [k, e[k]]),
          )
        : {}),
    },
  });

function begin(m) {
  let end;
  const ended = new Promise((resolve, reject) => {
    end = (commit) => (commit ? resolve() : reject(ROLLBACK));
  });
  let started = false;
  const done = db.transaction(async (tx) => {
    started = true;
    open.set(m.tx, { tx, end, done });
    answer(m.id, null);
    await ended;
  });
  done.catch((e) => {
    if (!started) refuse(m.id, e);
  });
}

async function end(m, commit) {
  const t = open.get(m.tx);
  if (!t) throw new Error(`no open transaction ${m.tx}`);
  open.delete(m.tx);
  t.end(commit);
  try {
    await t.done;
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
}

parentPort.on('message', async (m) => {
  try {
    const q = m.tx === undefined ? db : open.get(m.tx)?.tx;
    switch (m.op) {
      case 'query':
        if (!q) throw new Error(`no open transaction ${m.tx}`);
        answer(m.id, (await q.query(m.sql, m.params)).rows);
        break;
      case 'exec':
        if (!q) throw new Error(`no open transaction ${m.tx}`);
        await q.exec(m.sql);
        answer(m.id, null);
        break;
      case 'begin':
        begin(m);
        break;
      case 'commit':
      case 'rollback':
        await end(m, m.op === 'commit');
        answer(m.id, null);
        break;
      case 'close':
        await db.close();
        answer(m.id, null);
        break;
      default:
        throw new Error(`unknown operation ${m.op}`);
    }
  } catch (e) {
    refuse(m.id, e);
  }
});
parentPort.postMessage({ ready: true });
