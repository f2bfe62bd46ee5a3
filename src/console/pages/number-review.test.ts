/**
 * Victims whose number needs review, over HTTP: the marker and filter in the list (masked, a
 * partner told no rival reading), the Confirm form only for analysts and supervisors, refusals
 * with their codes (403 FORBIDDEN, 400 REVIEW_INVALID, never 500).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asRead } from '../../../test/console-case.ts';
import { backends } from '../../../test/ops-backends.ts';
import {
  postAs,
  READINGS,
  reviewCase,
  reviewConsole,
  victimPath,
  withoutReviewColumns,
  type ReviewConsole,
} from '../../../test/review-case.ts';
import { listAudit } from '../../audit/audit.ts';
import { maskNumber } from '../../authz/policy.ts';
import type { OpsDb } from '../../ops/db.ts';
import { consoleKey } from '../../ops/keys.ts';
import { sealer } from '../../shared/seal.ts';

const { conflictA, weak, certain } = READINGS;

for (const backend of backends) {
  let c: ReviewConsole;
  let ops: OpsDb;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    c = await reviewConsole(ops, await reviewCase());
  });
  after(async () => {
    await c.close();
    await drop();
  });

  const get = (url: string, role: 'analyst' | 'partner' | 'outreach' = 'analyst') =>
    c.app.inject({ url, headers: { cookie: c.cookies[role] } });

  test(`${backend.name}: the list marks victims whose number needs review, in words, and filters them`, async () => {
    const all = asRead((await get('/victims')).body);
    assert.equal([...all.matchAll(/href="\/victims\/(?!lookup")/g)].length, 4);
    const flagged = await get('/victims?review=1');
    assert.equal(flagged.statusCode, 200);
    const page = asRead(flagged.body);
    assert.equal(
      [...page.matchAll(/href="\/victims\/(?!lookup")/g)].length,
      3,
      'only the three flagged',
    );
    assert.equal([...page.matchAll(/needs review<\/strong>/g)].length, 3);
    assert.ok(page.includes(`(or ${maskNumber(conflictA.alt)})`), 'the rival reading, masked');
    assert.match(page, /\(weak evidence\)/);
    assert.ok(!page.includes(maskNumber(certain)), 'the certain victim is filtered out');
    assert.match(page, /name="review" type="checkbox" value="1" checked/);
    for (const n of [conflictA.number, conflictA.alt, weak])
      assert.ok(!flagged.body.includes(n.slice(1)), 'no full number on the list');
    // A partner (AU) sees its country's flagged victims, never the rival (a Dutch number).
    const partner = asRead((await get('/victims?review=1', 'partner')).body);
    assert.equal([...partner.matchAll(/needs review<\/strong>/g)].length, 2);
    assert.ok(!partner.includes(maskNumber(conflictA.alt)));
  });

  test(`${backend.name}: the Confirm form is for analysts and supervisors; others are refused with 403 FORBIDDEN`, async () => {
    const url = await victimPath(ops, conflictA.number);
    const analyst = asRead((await get(url)).body);
    assert.match(analyst, /Number needs review/);
    assert.match(analyst, /name="reading" value="listed"/);
    assert.match(analyst, /name="reading" value="rival"/);
    assert.ok(analyst.includes(`${maskNumber(conflictA.alt)} (the rival reading)`));
    for (const role of ['outreach', 'partner'] as const) {
      const page = asRead((await get(url, role)).body);
      assert.match(page, /Number needs review/, `${role} sees the flag`);
      assert.doesNotMatch(page, /action="\/victims\/[^"]+\/confirm"/, `${role} has no form`);
    }
    assert.ok(
      !asRead((await get(url, 'partner')).body).includes(maskNumber(conflictA.alt)),
      'a partner is not told the rival reading',
    );
    for (const role of ['outreach', 'partner', 'admin'] as const) {
      // Refused for the role, whatever the form holds: never told the form is malformed.
      const forms: Array<Record<string, string>> = [
        { reading: 'listed' },
        {},
        { reading: 'bogus' },
      ];
      for (const form of forms) {
        const res = await postAs(c, role, `${url}/confirm`, form);
        assert.equal(res.statusCode, 403, `${role} ${JSON.stringify(form)}`);
        assert.match(res.body, /FORBIDDEN/, role);
        assert.doesNotMatch(res.body, /REVIEW_INVALID/, role);
      }
    }
    const rows = await ops.query('SELECT * FROM number_reviews');
    assert.equal(rows.length, 0, 'nothing recorded');
  });

  test(`${backend.name}: unmasking a flagged victim shows the rival reading in full and audits it too, by its keyed hash`, async () => {
    const key = await consoleKey(ops, 'seal_key');
    const id = (n: string) => `victim:${sealer(key).stableId(n)}`;
    const url = await victimPath(ops, conflictA.number);
    const res = await postAs(c, 'analyst', `${url}/unmask`, { reason: 'calling the victim back' });
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(`the rival reading is ${conflictA.alt}`), 'shown in full');
    const plain = await postAs(c, 'analyst', `${await victimPath(ops, certain)}/unmask`, {
      reason: 'calling the victim back',
    });
    assert.equal(plain.statusCode, 200);
    const entries = (await listAudit(ops)).filter((r) => r.action === 'unmask').slice(-2);
    assert.deepEqual(
      entries.map((r) => [r.target, r.detail]),
      [
        [id(conflictA.number), { rival: id(conflictA.alt) }],
        [id(certain), {}],
      ],
    );
    const text = JSON.stringify(entries);
    for (const n of [conflictA.number, conflictA.alt, certain])
      assert.ok(!text.includes(n.slice(1)), 'no audit entry holds a number');
  });

  test(`${backend.name}: a malformed or impossible confirmation is 400 REVIEW_INVALID, an unknown victim 404`, async () => {
    const url = await victimPath(ops, conflictA.number);
    const cases: Array<[string, string, Record<string, string>]> = [
      ['no reading', url, {}],
      ['an unknown reading', url, { reading: conflictA.alt }],
      ['a note too long', url, { reading: 'listed', note: 'x'.repeat(501) }],
      ['a rival the weak number has not', await victimPath(ops, weak), { reading: 'rival' }],
      ['a number that needs no review', await victimPath(ops, certain), { reading: 'listed' }],
    ];
    for (const [why, to, fields] of cases) {
      const res = await postAs(c, 'analyst', `${to}/confirm`, fields);
      assert.equal(res.statusCode, 400, why);
      assert.match(res.body, /REVIEW_INVALID/, why);
    }
    const unknown = await postAs(c, 'analyst', '/victims/not-a-token/confirm', {
      reading: 'listed',
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal((await ops.query('SELECT * FROM number_reviews')).length, 0);
  });

  test(`${backend.name}: a weak reading is confirmed as it is; the page then says it is recorded and pending`, async () => {
    const url = await victimPath(ops, weak);
    const page = asRead((await get(url)).body);
    assert.match(page, /Confirm this reading/);
    assert.doesNotMatch(page, /name="reading" value="rival"/);
    const res = await postAs(c, 'supervisor', `${url}/confirm`, { reading: 'listed' });
    assert.equal(res.statusCode, 303);
    const next = String(res.headers.location);
    assert.match(next, /^\/victims\/[A-Za-z0-9_-]+\?confirmed=1$/);
    const after = asRead((await get(next)).body);
    assert.match(after, /Your confirmation is recorded\. It applies at the next analysis/);
    assert.match(after, /confirmed by r-supervisor/);
    assert.match(after, /pending: applies at the next analysis/);
    const list = asRead((await get('/victims?review=1')).body);
    assert.match(list, /1 confirmed reading pending/);
  });

  test(`${backend.name}: an analysis made before numbers could need review lists its victims without a marker`, async () => {
    await c.close();
    const caseDir = await reviewCase();
    await withoutReviewColumns(caseDir);
    c = await reviewConsole(ops, caseDir);
    const all = await get('/victims');
    assert.equal(all.statusCode, 200);
    assert.equal([...all.body.matchAll(/href="\/victims\/(?!lookup")/g)].length, 4);
    assert.doesNotMatch(all.body, /needs review<\/strong>/);
    const flagged = await get('/victims?review=1');
    assert.equal([...flagged.body.matchAll(/href="\/victims\/(?!lookup")/g)].length, 0);
    const page = await get(await victimPath(ops, conflictA.number));
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Number needs review/);
  });
}
