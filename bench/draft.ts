/**
 * `npm run bench:draft [-- --scale 1] [-- --victims 100000] [-- --runs N]`: drafts a campaign of
 * 100,000 victims from a real analysed case, as `campaign create` does once signed in: the
 * selection from DuckDB (selectTargets: filter, brands, time zones, call dates) and the whole
 * outbox (createCampaign: exclusions, messages, reference codes' hashes, audit) in one
 * transaction. Prints the time of each part and the ratio of the whole to the 30-second target,
 * on PGlite (on disk, as a case has it) and, when DATABASE_URL is set, on PostgreSQL too.
 *
 * The case is the synthetic export at `--scale` (default 1: 10M calls, the size of iSpoof's
 * records), ingested and analysed once and cached in .cache/ (minutes, the first time). The
 * campaign is every likely and harmed victim of every country, up to `--victims` (its
 * `--limit`). Each draft runs in a process of its own, on a fresh store, as the command would:
 * nothing warmed up, and no victim left out as texted by an earlier run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openCase, queryRows } from '../src/case/store.ts';
import { openPglite, openPostgres, type OpsDb } from '../src/ops/db.ts';
import { migrate } from '../src/ops/migrate.ts';
import { createCampaign } from '../src/outreach/campaigns.ts';
import { refKeys } from '../src/outreach/keys.ts';
import { VictimsFilter } from '../src/outreach/schemas.ts';
import { selectTargets } from '../src/outreach/targets.ts';
import { addUser } from '../src/users/users.ts';
import { content } from '../test/outreach-fixtures.ts';
import { dropSchema, testSchema } from '../test/ops-backends.ts';
import { analysedCaseDir, ensureAnalysedCase, log } from './common.ts';

const TARGET_MS = 30_000;
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    victims: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
    // Internal: one measured draft on a store of this kind, in this process.
    child: { type: 'string' },
  },
});
const scale = values.scale as string;
const victims = Number(values.victims);
const runs = Number(values.runs);
const caseDir = analysedCaseDir(scale);
const filter = VictimsFilter.parse({ limit: victims });

interface Measured {
  kind: string;
  selectionMs: number;
  outboxMs: number;
  targets: number;
  messages: number;
  written: number;
  codes: number;
  maxRssMb: number;
}

/** A fresh, migrated store: PGlite on disk, or a schema of its own on DATABASE_URL's server. */
async function openStore(kind: string): Promise<{ db: OpsDb; drop(): Promise<void> }> {
  if (kind === 'PGlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-bench-draft-'));
    const db = await openPglite(dir);
    await migrate(db);
    return { db, drop: async () => (await db.close(), fs.rmSync(dir, { recursive: true })) };
  }
  const url = process.env.DATABASE_URL as string;
  const schema = testSchema();
  const db = await openPostgres(url, schema);
  await migrate(db);
  return { db, drop: async () => (await db.close(), await dropSchema(url, schema)) };
}

/** One draft, measured from opening the case to the outbox committed. */
async function draft(kind: string): Promise<Measured> {
  const store = await openStore(kind);
  try {
    const now = new Date();
    const user = (await addUser(store.db, { name: 'bench-draft', role: 'outreach' }, 'b', now))
      .user;
    const keys = await refKeys(store.db);
    const t0 = performance.now();
    const cs = await openCase(caseDir);
    let selection;
    try {
      selection = await selectTargets(cs.conn, filter);
    } finally {
      cs.close();
    }
    const t1 = performance.now();
    const r = await createCampaign(
      store.db,
      user,
      { content: content({ name: 'bench:draft' }), filter },
      selection,
      keys,
      now,
    );
    const t2 = performance.now();
    const [written] = await store.db.query<{ m: number; c: number }>(
      `SELECT (SELECT count(*)::int FROM messages WHERE campaign_id = $1) AS m,
              (SELECT count(*)::int FROM reference_codes r JOIN messages m ON m.id = r.message_id
                WHERE m.campaign_id = $1) AS c`,
      [r.id],
    );
    return {
      kind,
      selectionMs: t1 - t0,
      outboxMs: t2 - t1,
      targets: selection.targets.length,
      messages: r.messages,
      written: written?.m ?? 0,
      codes: written?.c ?? 0,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await store.drop();
  }
}

if (values.child) {
  process.stdout.write(`${JSON.stringify(await draft(values.child))}\n`);
} else {
  await ensureAnalysedCase(scale);
  const store = await openCase(caseDir);
  const [row] = await queryRows<{ n: bigint }>(
    store.conn,
    `SELECT count(*) AS n FROM victims WHERE tier IN ('harmed', 'likely') AND NOT needs_review`,
  );
  store.close();
  const selectable = Number(row?.n ?? 0);
  log(
    `bench:draft — scale ${scale}: ${selectable.toLocaleString('en-GB')} likely and harmed victims, a campaign of ${victims.toLocaleString('en-GB')}`,
  );
  if (selectable < victims) throw new Error(`too few victims at scale ${scale}: try --scale 1.5`);
  const kinds = process.env.DATABASE_URL ? ['PGlite', 'PostgreSQL'] : ['PGlite'];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  for (let run = 1; run <= runs; run++) {
    for (const kind of kinds) {
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          import.meta.filename,
          '--child',
          kind,
          '--scale',
          scale,
          '--victims',
          String(victims),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const m = JSON.parse(out.trim().split('\n').at(-1) as string) as Measured;
      const total = m.selectionMs + m.outboxMs;
      log(
        `  ${kind.padEnd(10)} run ${run}: ${s(total)} for ${m.messages.toLocaleString('en-GB')} victims ` +
          `(selection ${s(m.selectionMs)} of ${m.targets.toLocaleString('en-GB')} targets, outbox ${s(m.outboxMs)}; ` +
          `peak RSS ${m.maxRssMb.toFixed(0)} MB); ratio to the 30 s target ${(total / TARGET_MS).toFixed(2)}` +
          ` (target ≤ 1: ${total <= TARGET_MS ? 'met' : 'NOT met'})`,
      );
      if (m.messages !== victims || m.written !== victims || m.codes !== victims) {
        log(`    wrong outbox: ${m.messages} drafted, ${m.written} messages, ${m.codes} codes`);
        process.exitCode = 1;
      }
      if (total > TARGET_MS) process.exitCode = 1;
    }
  }
}
