/** The campaigns pages and the phone, over HTTP: roles, four eyes, CSRF, progress, masking. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { analysedCase, asRead, testConsole, type TestConsole } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import { content, madeUpTargets } from '../../../test/outreach-fixtures.ts';
import type { OpsDb } from '../../ops/db.ts';
import { createCampaign, getCampaign } from '../../outreach/campaigns.ts';
import { refKeys } from '../../outreach/keys.ts';
import { smscLog } from '../../smsc/log.ts';
import type { Role } from '../../users/roles.ts';
import { listUsers } from '../../users/users.ts';

const ROLES: Role[] = ['analyst', 'outreach', 'supervisor', 'partner', 'admin'];

for (const backend of backends) {
  let c: TestConsole;
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let id: number;

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    c = await testConsole(ops);
    const author = (await listUsers(ops)).find((u) => u.name === 't-outreach');
    assert.ok(author);
    ({ id } = await createCampaign(
      ops,
      author,
      { content: content(), filter: {} },
      { targets: madeUpTargets(12), synthetic: true },
      await refKeys(ops),
      new Date(),
    ));
  });
  after(async () => {
    await c.close();
    await drop();
  });

  const get = (url: string, role: Role) =>
    c.app.inject({ url, headers: { cookie: c.cookies[role] } });
  async function post(url: string, role: Role, body = '') {
    const page = await get(`/campaigns/${id}`, role);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const csrfCookie = String(page.headers['set-cookie'] ?? '').match(/unspoof_csrf=[^;]+/)?.[0];
    return c.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: `${c.cookies[role]}; ${csrfCookie}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(csrf)}${body ? `&${body}` : ''}`,
    });
  }

  test(`${backend.name}: campaigns are for outreach and supervisors only`, async () => {
    for (const url of ['/campaigns', `/campaigns/${id}`, `/campaigns/${id}/progress`, '/phone']) {
      for (const role of ROLES) {
        const res = await get(url, role);
        const allowed = role === 'outreach' || role === 'supervisor';
        assert.equal(res.statusCode, allowed ? 200 : 403, `${role} ${url}`);
      }
    }
  });

  test(`${backend.name}: a campaign's page shows its texts with the code masked, and only the steps the role allows`, async () => {
    const sup = await get(`/campaigns/${id}`, 'supervisor');
    assert.match(sup.body, /XXXX-XXXX-XXXX/);
    assert.match(asRead(sup.body), /\+44 7700 9•• •/);
    assert.doesNotMatch(sup.body, /\+4477009000/);
    assert.match(sup.body, /GSM-7, 2\s+segments/);
    assert.match(sup.body, /Approve \(four eyes\)/);
    const own = await get(`/campaigns/${id}`, 'outreach');
    assert.doesNotMatch(own.body, /Approve \(four eyes\)/);
    assert.match(own.body, /another supervisor must approve it/);
  });

  test(`${backend.name}: approval by a supervisor, with CSRF; refused to outreach; audited`, async () => {
    assert.equal((await post(`/campaigns/${id}/approve`, 'outreach')).statusCode, 403);
    const bad = await c.app.inject({
      method: 'POST',
      url: `/campaigns/${id}/approve`,
      headers: {
        cookie: c.cookies.supervisor,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: '_csrf=forged',
    });
    assert.equal(bad.statusCode, 403, 'no CSRF token, no approval');
    assert.equal((await getCampaign(ops, id)).state, 'draft');
    const ok = await post(`/campaigns/${id}/approve`, 'supervisor');
    assert.equal(ok.statusCode, 303);
    assert.equal((await getCampaign(ops, id)).approver, 't-supervisor');
    const audit = await ops.query<{ actor: string }>(
      `SELECT actor FROM audit WHERE action = 'campaign_approve' AND target = $1`,
      [`campaign:${id}`],
    );
    assert.deepEqual(
      audit.map((a) => a.actor),
      ['t-supervisor'],
    );
    assert.equal(
      (await post(`/campaigns/${id}/cancel`, 'outreach')).statusCode,
      400,
      'a cancel needs a reason',
    );
    const progress = JSON.parse((await get(`/campaigns/${id}/progress`, 'outreach')).body) as {
      state: string;
      total: number;
      queued: number;
    };
    assert.deepEqual([progress.state, progress.total, progress.queued], ['approved', 12, 12]);
  });

  test(`${backend.name}: the phone shows what the simulator delivered, numbers masked`, async () => {
    const log = smscLog(await analysedCase());
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(
      log,
      `${JSON.stringify({ at: new Date().toISOString(), id: '1', system_id: 'unspoof', source: 'MetPolice', destination: '+447700900123', text: 'Metropolitan Police: hello <b>there</b>, reference K7QM-4XD2-9VW*.', encoding: 'GSM-7' })}\n`,
    );
    const res = await get('/phone', 'outreach');
    assert.match(res.body, /reference K7QM-4XD2-9VW\*/);
    assert.match(res.body, /hello &lt;b&gt;there&lt;\/b&gt;/);
    // Masked, with the last four digits the phone's owner types on the portal.
    assert.match(asRead(res.body), /To \+44 7700 9•• •23 \(ends 0123\) from MetPolice/);
    assert.doesNotMatch(res.body, /447700900123/);
  });
}
