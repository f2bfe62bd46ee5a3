/**
 * A small analysed case for console tests (synthetic, ~6,000 calls), with the console built on
 * a given operations store and one signed-in session per role.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { analyzeCase } from '../src/analyze/analyze.ts';
import { loadInputs } from '../src/analyze/inputs.ts';
import { intelInputs } from '../src/synth/intel.ts';
import { openAnalysis, type Analysis } from '../src/readout/analysis.ts';
import { buildConsole } from '../src/console/server.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import type { OpsDb } from '../src/ops/db.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { synthCommand } from '../src/synth/command.ts';
import { createSession } from '../src/users/sessions.ts';
import { addUser } from '../src/users/users.ts';
import { createDemoUsers, type DemoLogin } from '../src/demo/users.ts';
import type { Role } from '../src/users/roles.ts';
import { tempDir } from './fixtures.ts';

let built: Promise<string> | undefined;

/** The case folder, built once per test process. */
export function analysedCase(): Promise<string> {
  built ??= (async () => {
    const dir = tempDir('unspoof-console-');
    const fx = memoryEffects(new Date());
    await synthCommand(
      { out: path.join(dir, 'export'), calls: '6000', seed: '3', callsFormat: 'canonical' },
      fx,
    );
    await ingestExport(
      { exportDir: path.join(dir, 'export'), caseDir: path.join(dir, 'case') },
      fx,
    );
    // With the export's block-explorer transactions and IP lists, as the demo analyses it.
    await loadInputs(path.join(dir, 'case'), intelInputs(path.join(dir, 'export'))!, fx);
    await analyzeCase(path.join(dir, 'case'), fx);
    return path.join(dir, 'case');
  })();
  return built;
}

export interface TestConsole {
  app: FastifyInstance;
  analysis: Analysis;
  /** `role` → the cookie header of a signed-in user of that role (the partner is scoped to US). */
  cookies: Record<Role, string>;
  close(): Promise<void>;
}

/** The analysed case's console over `ops`, with the real clock; `close` closes both. */
async function analysedConsole(ops: OpsDb) {
  const caseDir = await analysedCase();
  const analysis = await openAnalysis(caseDir);
  const app = await buildConsole({
    ops,
    analysis,
    fx: { ...memoryEffects(), now: () => new Date() },
    synthetic: true,
    caseDir,
  });
  return {
    app,
    analysis,
    caseDir,
    async close() {
      await app.close();
      analysis.close();
    },
  };
}

export async function testConsole(ops: OpsDb): Promise<TestConsole> {
  const { app, analysis, close } = await analysedConsole(ops);
  const cookies = {} as Record<Role, string>;
  for (const role of ['analyst', 'outreach', 'supervisor', 'partner', 'admin'] as const) {
    const { user } = await addUser(
      ops,
      { name: `t-${role}`, role, country: role === 'partner' ? 'US' : undefined },
      'test',
      new Date(),
    );
    const { token } = await createSession(ops, user, new Date());
    cookies[role] = `unspoof_session=${token}`;
  }
  return { app, analysis, cookies, close };
}

export interface ServedConsole {
  app: FastifyInstance;
  analysis: Analysis;
  caseDir: string;
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** The demo's users by name (one per role), with their passwords and TOTP secrets. */
  logins: Record<string, DemoLogin>;
  close(): Promise<void>;
}

/** The analysed case's console (and portal) listening on a free port, for browser tests. */
export async function servedConsole(ops: OpsDb): Promise<ServedConsole> {
  const served = await analysedConsole(ops);
  const { app } = served;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const logins = Object.fromEntries(
    (await createDemoUsers(ops, new Date())).map((l) => [l.name, l]),
  );
  return {
    ...served,
    base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    logins,
  };
}

/**
 * A console page's text as a reader gets it: the console writes every character beyond ASCII
 * as a character reference (`&#8226;` for `•`, layout.ts), which a browser reads as the
 * character.
 */
export const asRead = (page: string): string =>
  page.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

/**
 * A form posted from a console page as a browser would: the page's CSRF token in the form, its
 * CSRF cookie beside the session's (`cookie`).
 */
export function postFrom(
  app: FastifyInstance,
  cookie: string,
  page: { body: string; headers: Record<string, unknown> },
  url: string,
  form: Record<string, string> = {},
) {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
  return app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: `${cookie}; ${String(page.headers['set-cookie'] ?? '').split(';')[0]}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ ...form, _csrf: token }).toString(),
  });
}
