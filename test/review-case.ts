/**
 * A hand-written case whose victims' numbers need review (docs/numbers.md), through the real
 * ingest and analysis: two numbers with two readings (the route says Australia, the spoofed
 * Dutch bank's caller ID says the Netherlands), one read only from the account's country (a
 * guess), and one without doubt. With the console over it and one session per role.
 */
import type { FastifyInstance } from 'fastify';
import { analyzeCase, type ConfirmedReading } from '../src/analyze/analyze.ts';
import { openCase, queryRows } from '../src/case/store.ts';
import { openAnalysis, type Analysis } from '../src/readout/analysis.ts';
import { consoleKey } from '../src/ops/keys.ts';
import { sealer } from '../src/shared/seal.ts';
import { buildConsole } from '../src/console/server.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import type { OpsDb } from '../src/ops/db.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import type { Role } from '../src/users/roles.ts';
import { createSession } from '../src/users/sessions.ts';
import { addUser } from '../src/users/users.ts';
import { tempDir, writeExport } from './fixtures.ts';

export const ING = '+31202288888';
export const READINGS = {
  /** Route AU against the ING caller ID (NL): listed as the Australian reading. */
  conflictA: { number: '+61412345678', alt: '+31412345678' },
  conflictB: { number: '+61412345677', alt: '+31412345677' },
  /** Only the account's country (GB). */
  weak: '+447026080160',
  /** Written with its +. */
  certain: '+447400200002',
};

const CALLS = [
  'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition',
  `c1,a1,${ING},0412345678,out-au,2021-03-01T10:00:00Z,2021-03-01T10:00:05Z,2021-03-01T10:01:35Z,90,ANSWERED`,
  `c2,a1,${ING},0412345677,out-au,2021-03-02T10:00:00Z,2021-03-02T10:00:05Z,2021-03-02T10:01:35Z,90,ANSWERED`,
  `c3,a1,anonymous,7026080160,from-internal,2021-03-03T10:00:00Z,,2021-03-03T10:00:30Z,0,NO ANSWER`,
  `c4,a1,+443457345345,+44 7400 200002,,2021-03-04T10:00:00Z,2021-03-04T10:00:05Z,2021-03-04T10:02:05Z,120,ANSWERED`,
].join('\n');

const ACCOUNTS =
  'account_id,username,email,phone,telegram,country,created_at,plan\n' +
  'a1,one,a1@example.org,,,GB,2021-01-01T00:00:00Z,basic\n';

/** A new case folder, ingested and analysed (no confirmations yet). */
export async function reviewCase(): Promise<string> {
  const exportDir = writeExport({ 'accounts.csv': ACCOUNTS, 'calls.csv': CALLS });
  const caseDir = tempDir('unspoof-review-');
  await ingestExport({ exportDir, caseDir }, memoryEffects());
  await analyzeCase(caseDir, memoryEffects());
  return caseDir;
}

/** B's rival reading (the Dutch number), as an analyst would confirm it in the console. */
export const RIVAL_OF_B: ConfirmedReading = {
  number: READINGS.conflictB.number,
  alt_number: READINGS.conflictB.alt,
  chosen: READINGS.conflictB.alt,
  chosen_country: 'NL',
};

/**
 * A review case analysed with B's rival reading confirmed: B is listed as its Dutch number, with
 * the call dialled as the Australian one (c2, account a1, 90 s answered: a likely victim).
 */
export async function confirmedRivalCase(
  losses?: Array<{ number: string; lost_gbp: number }>,
): Promise<string> {
  const caseDir = await reviewCase();
  await analyzeCase(caseDir, memoryEffects(), losses, [RIVAL_OF_B]);
  return caseDir;
}

/**
 * Makes the case's analysis look like one made before numbers could need review: the victims
 * table without its review columns.
 */
export async function withoutReviewColumns(caseDir: string): Promise<void> {
  const store = await openCase(caseDir);
  try {
    await store.conn.run(
      'CREATE TABLE old_victims AS SELECT * EXCLUDE (needs_review, review_reason, alt_number) FROM victims',
    );
    await store.conn.run('DROP TABLE victims');
    await store.conn.run('ALTER TABLE old_victims RENAME TO victims');
  } finally {
    store.close();
  }
}

export interface VictimRow {
  number: string;
  country: string;
  needs_review: boolean;
  review_reason: string | null;
  alt_number: string | null;
}

export async function victimRows(caseDir: string): Promise<Record<string, VictimRow>> {
  const store = await openCase(caseDir);
  try {
    const rows = await queryRows<VictimRow>(
      store.conn,
      'SELECT number, country, needs_review, review_reason, alt_number FROM victims ORDER BY number',
    );
    return Object.fromEntries(rows.map((r) => [r.number, r]));
  } finally {
    store.close();
  }
}

export interface ReviewConsole {
  app: FastifyInstance;
  analysis: Analysis;
  /** `role` → the cookie header of a signed-in user of that role (the partner's country: AU). */
  cookies: Record<Role, string>;
  close(): Promise<void>;
}

/** The console over `caseDir` (read-only, as served) and `ops`; users are made once per store. */
export async function reviewConsole(ops: OpsDb, caseDir: string): Promise<ReviewConsole> {
  const analysis = await openAnalysis(caseDir);
  const app = await buildConsole({
    ops,
    analysis,
    fx: { ...memoryEffects(), now: () => new Date() },
    synthetic: false,
    caseDir,
  });
  const cookies = {} as Record<Role, string>;
  for (const role of ['analyst', 'outreach', 'supervisor', 'partner', 'admin'] as const) {
    const name = `r-${role}`;
    const [known] = await ops.query<{ id: number }>(
      'SELECT id::int AS id FROM users WHERE name = $1',
      [name],
    );
    const user = known
      ? { id: known.id, name, role, country: role === 'partner' ? 'AU' : null }
      : (
          await addUser(
            ops,
            { name, role, country: role === 'partner' ? 'AU' : undefined },
            'test',
            new Date(),
          )
        ).user;
    const { token } = await createSession(ops, user, new Date());
    cookies[role] = `unspoof_session=${token}`;
  }
  return {
    app,
    analysis,
    cookies,
    async close() {
      await app.close();
      analysis.close();
    },
  };
}

/** Posts a form as `role`, with the CSRF token and secret a page of the console gave it. */
export async function postAs(
  c: ReviewConsole,
  role: Role,
  url: string,
  fields: Record<string, string>,
) {
  const page = await c.app.inject({ url: '/case', headers: { cookie: c.cookies[role] } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const secret = String(page.headers['set-cookie'] ?? '').match(/unspoof_csrf=[^;]+/)?.[0] ?? '';
  return c.app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: `${c.cookies[role]}; ${secret}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
}

/** The console's path of a victim's page (the number sealed under the case's key). */
export async function victimPath(ops: OpsDb, number: string): Promise<string> {
  return `/victims/${sealer(await consoleKey(ops, 'seal_key')).seal(number)}`;
}
