/**
 * A confirmed reading end to end: the console's form → the operations store → the audit log →
 * `analyzeCase` with the confirmations → the victim no longer needs review, and stays so when
 * the next analysis is given none (it keeps the last). On PGlite, and PostgreSQL when set.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asRead } from '../../test/console-case.ts';
import { backends } from '../../test/ops-backends.ts';
import {
  postAs,
  READINGS,
  reviewCase,
  reviewConsole,
  victimPath,
  victimRows,
  type ReviewConsole,
} from '../../test/review-case.ts';
import { analyzeCase } from '../analyze/analyze.ts';
import { listAudit } from '../audit/audit.ts';
import { openAnalysis } from '../readout/analysis.ts';
import type { OpsDb } from '../ops/db.ts';
import { openOps } from '../ops/open.ts';
import { memoryEffects } from '../shared/effects.ts';
import { addUser } from '../users/users.ts';
import { ConfirmInput, confirmReading } from './confirmations.ts';
import { confirmationsForAnalysis, confirmedReadings } from '../analyze/confirmations.ts';

const { conflictA, conflictB, weak, certain } = READINGS;

for (const backend of backends) {
  let c: ReviewConsole;
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let caseDir: string;

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    caseDir = await reviewCase();
    c = await reviewConsole(ops, caseDir);
  });
  after(async () => {
    await c.close();
    await drop();
  });

  test(`${backend.name}: confirmed in the console, recorded and audited, applied by the next analysis and kept by the one after`, async () => {
    // The rival reading of B, first by an analyst, then replaced by a supervisor's choice.
    const b = await victimPath(ops, conflictB.number);
    let res = await postAs(c, 'analyst', `${b}/confirm`, { reading: 'listed', note: 'first look' });
    assert.equal(res.statusCode, 303);
    res = await postAs(c, 'supervisor', `${b}/confirm`, {
      reading: 'rival',
      note: 'the victim called from the Netherlands',
    });
    assert.equal(res.statusCode, 303);
    const a = await victimPath(ops, conflictA.number);
    assert.equal(
      (await postAs(c, 'analyst', `${a}/confirm`, { reading: 'listed' })).statusCode,
      303,
    );
    const w = await victimPath(ops, weak);
    assert.equal(
      (await postAs(c, 'analyst', `${w}/confirm`, { reading: 'listed' })).statusCode,
      303,
    );

    // One row per pair: the later choice replaced the earlier.
    const stored = await ops.query<Record<string, unknown>>(
      `SELECT r.number, r.alt_number, r.chosen, r.chosen_country, u.name AS by, r.note
         FROM number_reviews r JOIN users u ON u.id = r.confirmed_by ORDER BY r.number`,
    );
    assert.deepEqual(stored, [
      {
        number: weak,
        alt_number: '',
        chosen: weak,
        chosen_country: 'GB',
        by: 'r-analyst',
        note: '',
      },
      {
        number: conflictB.number,
        alt_number: conflictB.alt,
        chosen: conflictB.alt,
        chosen_country: 'NL',
        by: 'r-supervisor',
        note: 'the victim called from the Netherlands',
      },
      {
        number: conflictA.number,
        alt_number: conflictA.alt,
        chosen: conflictA.number,
        chosen_country: 'AU',
        by: 'r-analyst',
        note: '',
      },
    ]);

    // Every confirmation is in the audit log, the victim named by a keyed hash, never a number.
    const audit = (await listAudit(ops)).filter((r) => r.action === 'number_confirm');
    assert.equal(audit.length, 4);
    const onB = audit.filter((r) => r.target === audit[0]?.target);
    assert.deepEqual(
      onB.map((r) => [r.actor, r.detail.reading, r.detail.replaces ?? null, r.reason]),
      [
        ['r-analyst', 'listed', null, 'first look'],
        ['r-supervisor', 'rival', 'listed', 'the victim called from the Netherlands'],
      ],
    );
    assert.match(audit[0]?.target ?? '', /^victim:[A-Za-z0-9_-]{43}$/);
    assert.equal(onB[1]?.detail.chosen_country, 'NL');
    const text = JSON.stringify(audit);
    for (const n of [conflictA.number, conflictA.alt, conflictB.number, conflictB.alt, weak])
      assert.ok(!text.includes(n.slice(1)), 'no audit row holds a number');

    // The next analysis applies them: nobody needs review any more; B is the Dutch number.
    await c.close();
    const confirmed = await confirmedReadings(ops);
    assert.deepEqual(
      confirmed.find((r) => r.number === weak),
      { number: weak, alt_number: null, chosen: weak, chosen_country: 'GB' },
    );
    const expect = (v: Awaited<ReturnType<typeof victimRows>>) => {
      assert.deepEqual(
        Object.keys(v).sort(),
        [conflictB.alt, weak, certain, conflictA.number].sort(),
      );
      assert.ok(Object.values(v).every((r) => !r.needs_review && r.alt_number === null));
      assert.equal(v[conflictB.alt]?.country, 'NL');
      assert.equal(v[conflictA.number]?.country, 'AU');
    };
    await analyzeCase(caseDir, memoryEffects(), undefined, confirmed);
    expect(await victimRows(caseDir));
    const summary = await analyzeCase(caseDir, memoryEffects());
    assert.equal(summary.needs_review, 0);
    expect(await victimRows(caseDir));

    // The console over the new analysis shows the confirmation as applied.
    c = await reviewConsole(ops, caseDir);
    const page = asRead(
      (
        await c.app.inject({
          url: await victimPath(ops, conflictB.alt),
          headers: { cookie: c.cookies.analyst },
        })
      ).body,
    );
    assert.match(page, /Reading confirmed/);
    assert.match(page, /confirmed by r-supervisor/);
    assert.match(page, /applied by the analysis/);
    assert.doesNotMatch(page, /name="reading"/, 'nothing left to confirm');
  });

  test(`${backend.name}: the domain command checks the choice against the readings the analysis lists`, async () => {
    const analysis = await openAnalysis(caseDir);
    try {
      const [user] = await ops.query<{ id: number; name: string }>(
        `SELECT id::int AS id, name FROM users WHERE name = 'r-analyst'`,
      );
      const as = {
        ...(user as { id: number; name: string }),
        role: 'analyst' as const,
        country: null,
      };
      const code = (raw: unknown, who = as) =>
        confirmReading(ops, analysis, who, raw, new Date(), (n) => `h${n.length}`).then(
          () => 'ok',
          (e: { code?: string }) => e.code,
        );
      // Every victim is settled after the first test's analysis: none needs review.
      assert.equal(
        await code({ number: conflictA.number, chosen: conflictA.number }),
        'REVIEW_INVALID',
      );
      assert.equal(
        await code({ number: '+15555550100', chosen: '+15555550100' }),
        'REVIEW_INVALID',
      );
      assert.equal(await code({ number: 'not a number', chosen: weak }), 'REVIEW_INVALID');
      assert.equal(
        await code({ number: weak, chosen: weak }, {
          ...as,
          role: 'partner',
          country: 'GB',
        } as never),
        'FORBIDDEN',
      );
    } finally {
      analysis.close();
    }
  });

  test(`${backend.name}: a number is E.164: at most 15 digits, in the input and in the store`, async () => {
    const fifteen = '+123456789012345';
    const sixteen = '+1234567890123456';
    assert.ok(ConfirmInput.safeParse({ number: fifteen, chosen: fifteen }).success);
    for (const bad of [sixteen, '+0123456789', '123456789', '+1'])
      assert.ok(!ConfirmInput.safeParse({ number: bad, chosen: fifteen }).success, bad);
    assert.ok(!ConfirmInput.safeParse({ number: fifteen, chosen: sixteen }).success);
    const [user] = await ops.query<{ id: number }>(
      `SELECT id::int AS id FROM users WHERE name = 'r-analyst'`,
    );
    const insert = (number: string, alt: string) =>
      ops.query(
        `INSERT INTO number_reviews (number, alt_number, chosen, chosen_country, confirmed_by, confirmed_at)
         VALUES ($1, $2, $1, NULL, $3, now())`,
        [number, alt, user?.id],
      );
    await assert.rejects(insert(sixteen, ''), /check constraint/);
    await assert.rejects(insert(fifteen, sixteen), /check constraint/);
    await insert(fifteen, '');
    await ops.query('DELETE FROM number_reviews WHERE number = $1', [fifteen]);
  });
}

test('analyze reads the confirmations from the case’s own operations store, when there is one', async () => {
  const caseDir = await reviewCase();
  const fx = memoryEffects();
  assert.equal(await confirmationsForAnalysis(caseDir, fx), undefined, 'no store yet');
  const ops = await openOps(caseDir);
  try {
    assert.deepEqual(await confirmationsForAnalysis(caseDir, fx), undefined, 'busy: kept');
    assert.match(fx.notes.join('\n'), /confirmed readings not refreshed/);
  } finally {
    await ops.close();
  }
  assert.deepEqual(await confirmationsForAnalysis(caseDir, fx), []);
  const again = await openOps(caseDir);
  try {
    const { user } = await addUser(
      again,
      { name: 'x-analyst', role: 'analyst' },
      'test',
      new Date(),
    );
    await again.query(
      `INSERT INTO number_reviews (number, alt_number, chosen, chosen_country, confirmed_by, confirmed_at)
       VALUES ($1, $2, $2, 'NL', $3, now())`,
      [conflictA.number, conflictA.alt, user.id],
    );
  } finally {
    await again.close();
  }
  assert.deepEqual(await confirmationsForAnalysis(caseDir, fx), [
    {
      number: conflictA.number,
      alt_number: conflictA.alt,
      chosen: conflictA.alt,
      chosen_country: 'NL',
    },
  ]);
});
