/**
 * Victims' reports in the console over HTTP: who may read them, every free-text field escaped,
 * evidence shown from its re-encoded copy and downloaded as the original with its hash, each
 * view audited, and the portal's alarms (guessing; a victim's code failing) shown to analysts and
 * acted on by a supervisor.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { asRead, postFrom, testConsole, type TestConsole } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import { caseTargets } from '../../../test/outreach-fixtures.ts';
import { Visitor } from '../../../test/portal-client.ts';
import { textedVictims, type TextedVictim } from '../../../test/portal-fixtures.ts';
import type { OpsDb } from '../../ops/db.ts';
import { raiseAlarms } from '../../portal/guard.ts';

const XSS = `"><img src=x onerror=alert(1)><script>alert('x')</script>`;

for (const backend of backends) {
  let c: TestConsole;
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let v: TextedVictim;
  let photo: Buffer;

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    c = await testConsole(ops);
    [v] = (await textedVictims(ops, 1, 0, (await caseTargets()).slice(0, 1))) as [TextedVictim];
    photo = await sharp({ create: { width: 50, height: 40, channels: 3, background: '#888' } })
      .withExif({ IFD0: { Artist: 'someone' } })
      .jpeg()
      .toBuffer();
    // The victim reports, with markup in every field they type.
    const b = new Visitor(c.app, '198.51.100.77');
    await b.get('/report/start');
    await b.post('/report/start', { code: v.code, digits: v.digits });
    await b.post('/report/q/when', {
      'when-day': '1',
      'when-month': '3',
      'when-year': '2026',
      time: '10:00',
    });
    await b.post('/report/q/organisation', { organisation: `Bank ${XSS}` });
    await b.post('/report/q/asked', { asked: 'pin' });
    await b.post('/report/q/given', { given: 'pin' });
    await b.post('/report/q/money', { lostMoney: 'true' });
    await b.post('/report/q/transactions', {
      'txdate-day': '2',
      'txdate-month': '3',
      'txdate-year': '2026',
      amount: '999.99',
      currency: 'GBP',
      payee: XSS,
      action: 'add',
    });
    await b.post('/report/q/paid-by', { paidBy: 'card' });
    await b.post('/report/q/story', { story: `Story ${XSS}` });
    await b.get('/report/q/evidence');
    // A browser writes a quote in a file name as %22: the name keeps the rest of the markup.
    const up = await b.upload('<img src=x onerror=alert(1)>.jpg', 'image/jpeg', photo);
    assert.equal(up.status, 303, up.body);
    const contact = await b.post('/report/q/contact', {
      way: 'email',
      email: `a"onmouseover=alert(1)@ex.com`,
      consent: 'yes',
    });
    assert.equal(contact.location, '/report/check-answers');
    const sent = await b.post('/report/submit', {});
    assert.equal(sent.location, '/report/done');
  });
  after(async () => {
    await c.close();
    await drop();
  });

  const get = (url: string, role: 'analyst' | 'supervisor' | 'outreach' | 'partner' | 'admin') =>
    c.app.inject({ url, headers: { cookie: c.cookies[role] } });

  /** A supervisor's form post from `page` to `url`. */
  const supervisorPosts = (page: Awaited<ReturnType<typeof get>>, url: string) =>
    postFrom(c.app, c.cookies.supervisor, page, url);

  test(`${backend.name}: a report in the console is joined to its victim and callers, every typed field escaped`, async () => {
    const list = await get('/reports', 'analyst');
    assert.equal(list.statusCode, 200);
    const id = /href="\/reports\/(\d+)"/.exec(list.body)?.[1];
    assert.ok(id);
    assert.match(asRead(list.body), /£999\.99/);
    for (const role of ['outreach', 'partner', 'admin'] as const)
      assert.equal((await get(`/reports/${id}`, role)).statusCode, 403, role);
    const page = await get(`/reports/${id}`, 'analyst');
    // The facts grid holds pairs: each term with its value in one cell, none alone.
    const facts = /<dl class="facts">([\s\S]*?)<\/dl>/.exec(page.body)?.[1] ?? '';
    assert.ok(facts.includes('Crime reference'));
    assert.doesNotMatch(facts, /<\/dd>\s*<dt>|<dl class="facts">\s*<dt>/);
    assert.equal(facts.match(/<div>/g)?.length, facts.match(/<dt>/g)?.length);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<img src=x'), 'no markup from the victim');
    assert.ok(!page.body.includes("<script>alert('x')"));
    assert.ok(page.body.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(page.body.includes('a&quot;onmouseover=alert(1)@ex.com'), 'the email is escaped');
    assert.match(page.body, /id="callers"[\s\S]*href="\/suspects\//, 'the accounts that called');
    assert.ok(!page.body.includes(v.number), 'the number is masked');
    const audit = await ops.query<{ action: string; target: string }>(
      `SELECT action, target FROM audit WHERE actor = 't-analyst' AND action = 'report_view'`,
    );
    assert.deepEqual(
      audit.map((a) => a.target),
      [`report:${id}`],
    );

    const eid = new RegExp(`/reports/${id}/evidence/(\\d+)"`).exec(page.body)?.[1];
    assert.ok(eid);
    const shown = await get(`/reports/${id}/evidence/${eid}`, 'analyst');
    assert.equal(shown.headers['content-type'], 'image/jpeg');
    assert.equal(
      (await sharp(shown.rawPayload).metadata()).exif,
      undefined,
      'shown without metadata',
    );
    const original = await get(`/reports/${id}/evidence/${eid}/original`, 'supervisor');
    assert.deepEqual(original.rawPayload, photo, 'the original, byte for byte');
    assert.equal(original.headers['content-type'], 'application/octet-stream');
    assert.match(
      String(original.headers['content-disposition']),
      /^attachment; filename="[\w.-]+"$/,
    );
    const sha = crypto.createHash('sha256').update(photo).digest();
    assert.equal(original.headers['repr-digest'], `sha-256=:${sha.toString('base64')}:`);
    assert.ok(page.body.includes(sha.toString('hex')));
    const views = await ops.query<{ action: string }>(
      `SELECT action FROM audit WHERE action IN ('evidence_view', 'evidence_download') ORDER BY id`,
    );
    assert.deepEqual(
      views.map((r) => r.action),
      ['evidence_view', 'evidence_download'],
    );
  });

  test(`${backend.name}: guessing across many codes raises an alarm a supervisor acknowledges`, async () => {
    const now = new Date();
    // Fifty codes failed within the hour, from three addresses.
    for (let i = 0; i < 50; i++)
      await ops.query(
        `INSERT INTO portal_attempts (key, failures, last_at, blocked_until) VALUES ($1, 1, $2, $2), ($3, 1, $2, $2)
         ON CONFLICT (key) DO UPDATE SET failures = portal_attempts.failures + 1`,
        [`c:guess${i}`, now.toISOString(), `a:guess${i % 3}`],
      );
    await raiseAlarms(ops, now, 50, { codeKey: 'c:guess0', messageId: null });
    const analyst = await get('/reports', 'analyst');
    assert.match(analyst.body, /Guessing seen on the victim portal: 50 different codes/);
    assert.ok(!analyst.body.includes('/ack'), 'an analyst sees it but cannot acknowledge');
    const sup = await get('/reports', 'supervisor');
    const alarm = /action="\/reports\/alarms\/(\d+)\/ack"/.exec(sup.body)?.[1];
    assert.ok(alarm);
    const ack = await supervisorPosts(sup, `/reports/alarms/${alarm}/ack`);
    assert.equal(ack.statusCode, 303, ack.body);
    assert.doesNotMatch((await get('/reports', 'analyst')).body, /Guessing seen/);
    const audit = await ops.query<{ action: string }>(
      `SELECT action FROM audit WHERE action IN ('portal_guessing', 'portal_alarm_ack')`,
    );
    assert.deepEqual(audit.map((r) => r.action).sort(), ['portal_alarm_ack', 'portal_guessing']);
  });

  test(`${backend.name}: a victim's code failing from many addresses raises an alarm; a supervisor clears its wait`, async () => {
    const [w] = (await textedVictims(ops, 1, 1, (await caseTargets()).slice(1, 2))) as [
      TextedVictim,
    ];
    // Someone holding the code fails with it from eight addresses: the code now waits.
    for (let i = 0; i < 8; i++) {
      const h = new Visitor(c.app, `203.0.113.${40 + i}`);
      await h.get('/report/start');
      await h.post('/report/start', {
        code: w.code,
        digits: w.digits === '0000' ? '1111' : '0000',
      });
    }
    const victim = new Visitor(c.app, '203.0.113.90');
    await victim.get('/report/start');
    assert.equal(
      (await victim.post('/report/start', { code: w.code, digits: w.digits })).status,
      429,
    );
    const analyst = await get('/reports', 'analyst');
    assert.match(analyst.body, /reference code keeps failing on the portal/);
    assert.ok(!analyst.body.includes('/release'), 'an analyst sees it but cannot clear the wait');
    assert.ok(!analyst.body.includes(w.code), 'the code itself is never shown');
    assert.ok(!analyst.body.includes(w.number), 'the number is masked');
    const sup = await get('/reports', 'supervisor');
    const alarm = /action="\/reports\/alarms\/(\d+)\/release"/.exec(sup.body)?.[1];
    assert.ok(alarm, 'a supervisor may clear the wait');
    const release = await supervisorPosts(sup, `/reports/alarms/${alarm}/release`);
    assert.equal(release.statusCode, 303, release.body);
    assert.doesNotMatch((await get('/reports', 'analyst')).body, /keeps failing/);
    // The victim gets in now.
    assert.equal(
      (await victim.post('/report/start', { code: w.code, digits: w.digits })).status,
      303,
    );
    const audit = await ops.query<{ action: string; target: string }>(
      `SELECT action, target FROM audit WHERE action IN ('portal_code_failing', 'portal_code_release') ORDER BY id`,
    );
    assert.deepEqual(
      audit.map((r) => r.action),
      ['portal_code_failing', 'portal_code_release'],
    );
    assert.ok(audit.every((r) => /^message:\d+$/.test(r.target)));
    // A second release of the same alarm finds nothing to do.
    const again = await supervisorPosts(sup, `/reports/alarms/${alarm}/release`);
    assert.equal(again.statusCode, 404);
  });
}
