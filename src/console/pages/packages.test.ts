/**
 * Evidence packages in the console over HTTP: an admin registers a partner; an analyst asks for
 * its package; the asker may not approve, a supervisor does; the package is built in the
 * background; the partner of that country alone sees and downloads it (audited); roles without
 * the right are refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { postFrom, testConsole, type TestConsole } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import type { OpsDb } from '../../ops/db.ts';
import type { Role } from '../../users/roles.ts';

for (const backend of backends) {
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
  /** A form post as `role` from the page at `page`. */
  const post = async (role: Role, page: string, url: string, form: Record<string, string> = {}) =>
    postFrom(c.app, c.cookies[role], await get(page, role), url, form);

  test(
    `${backend.name}: a package is asked for, approved by another, built and downloaded by its partner`,
    {
      timeout: 120_000,
    },
    async () => {
      assert.equal((await get('/partners', 'analyst')).statusCode, 403);
      assert.equal((await get('/packages', 'outreach')).statusCode, 403);
      const recipient = await identityToRecipient(await generateIdentity());
      const added = await post('admin', '/partners', '/partners', {
        country: 'us',
        name: 'US partner <b>unit</b>',
        recipients: recipient,
      });
      assert.equal(added.statusCode, 303, added.body);
      const partners = await get('/partners', 'admin');
      assert.match(partners.body, /US partner &lt;b&gt;unit&lt;\/b&gt;/);

      const asked = await post('analyst', '/packages', '/packages', {
        country: 'US',
        reason: 'the US suspects',
      });
      assert.equal(asked.statusCode, 303, asked.body);
      const list = await get('/packages', 'analyst');
      const id = /<td class="num">(\d+)<\/td>\s*<td>US<\/td>/.exec(list.body)?.[1];
      assert.ok(id, list.body);
      assert.doesNotMatch(list.body, /Approve/, 'the asker sees no approval');
      // A partner sees nothing until it is built.
      assert.doesNotMatch((await get('/packages', 'partner')).body, /the US suspects/);
      assert.equal((await get(`/packages/${id}/download`, 'partner')).statusCode, 404);

      const refused = await post('analyst', '/packages', `/packages/${id}/approve`);
      assert.equal(refused.statusCode, 403);
      const approved = await post('supervisor', '/packages', `/packages/${id}/approve`);
      assert.equal(approved.statusCode, 303, approved.body);
      const build = await post('analyst', '/packages', `/packages/${id}/build`);
      assert.equal(build.statusCode, 303, build.body);
      // Claimed before the answer: a second click is refused, whatever the build has reached.
      assert.equal((await post('analyst', '/packages', `/packages/${id}/build`)).statusCode, 409);
      let page = '';
      for (let i = 0; i < 600 && !/Download \(\.age\)/.test(page); i++) {
        await new Promise((r) => setTimeout(r, 100));
        page = (await get('/packages', 'partner')).body;
      }
      assert.match(page, /Download \(\.age\)/, 'the partner sees its built package');
      const file = await get(`/packages/${id}/download`, 'partner');
      assert.equal(file.statusCode, 200);
      assert.equal(file.rawPayload.subarray(0, 21).toString(), 'age-encryption.org/v1');
      const audit = await ops.query<{ action: string }>(
        `SELECT action FROM audit WHERE target = $1 ORDER BY id`,
        [`package:${id}`],
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        [
          'package_request',
          'package_approve',
          'package_build',
          'package_built',
          'package_download',
        ],
      );
      // Malformed: no 500.
      assert.equal(
        (await post('supervisor', '/packages', '/packages/abc/approve')).statusCode,
        400,
      );
      assert.equal(
        (await post('supervisor', '/packages', `/packages/${id}/approve`)).statusCode,
        409,
      );
    },
  );
}
