/**
 * The provider worklist in the console (docs/requests.md): analysts see it by country and
 * provider type and page through it; a country's list downloads as CSV, audited; a partner, an
 * outreach officer and an admin are refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testConsole, type TestConsole } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import type { OpsDb } from '../../ops/db.ts';
import type { Role } from '../../users/roles.ts';

const backend = backends[0]!;
let c: TestConsole;
let ops: OpsDb;
let drop: () => Promise<void>;

before(async () => {
  ({ db: ops, drop } = await backend.open());
  c = await testConsole(ops);
});
after(async () => {
  await c.close();
  await drop();
});

const get = (url: string, role: Role) =>
  c.app.inject({ url, headers: { cookie: c.cookies[role] } });

test('analysts see what to ask each provider, by country and type, and page through it', async () => {
  const page = await get('/requests', 'analyst');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="request-counts"/);
  for (const type of ['email', 'isp', 'phone', 'vpn'])
    assert.match(page.body, new RegExp(`&amp;type=${type}"`), `${type} requests are listed`);
  const gb = await get('/requests?country=GB&type=isp', 'analyst');
  assert.equal(gb.statusCode, 200);
  assert.match(gb.body, /subscriber assigned this address at these times/);
  assert.equal((await get('/requests?country=gb', 'analyst')).statusCode, 400);
  assert.equal((await get('/requests?page=9999', 'analyst')).statusCode, 404);
});

test("a country's list downloads as CSV, and the export is audited", async () => {
  const csv = await get('/requests.csv?country=GB', 'supervisor');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(
    lines[0],
    'country,provider_type,provider,identifier_type,identifier,accounts,first_seen,last_seen,reason',
  );
  assert.ok(lines.length > 10);
  assert.ok(lines.slice(1).every((l) => l.startsWith('GB,')));
  const audit = await ops.query<{ action: string; target: string }>(
    `SELECT action, target FROM audit WHERE target = 'requests:GB'`,
  );
  assert.deepEqual(audit, [{ action: 'export', target: 'requests:GB' }]);
});

test('partners, outreach officers and admins are refused', async () => {
  for (const role of ['partner', 'outreach', 'admin'] as const) {
    assert.equal((await get('/requests', role)).statusCode, 403, role);
    assert.equal((await get('/requests.csv?country=US', role)).statusCode, 403, role);
  }
});
