/**
 * The calls in a victim's record are those that count for their number, as the analysis counts
 * them: a victim whose number is the rival reading an analyst confirmed sees the call dialled as
 * the other reading (the review case, through the real ingest and analysis).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backends } from '../../../test/ops-backends.ts';
import { confirmedRivalCase, READINGS } from '../../../test/review-case.ts';
import { SettingsSchema } from '../../case/settings.ts';
import { openAnalysis, type Analysis } from '../../readout/analysis.ts';
import type { OpsDb } from '../../ops/db.ts';
import { memoryEffects } from '../../shared/effects.ts';
import type { AccessDeps } from '../access.ts';
import { recordText } from '../record.ts';
import type { Report } from '../reports.ts';
import type { PortalCtx } from './context.ts';
import { victimRecord } from './finish.ts';

const { conflictB, certain } = READINGS;

for (const backend of backends) {
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let analysis: Analysis;

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    analysis = await openAnalysis(await confirmedRivalCase());
  });
  after(async () => {
    analysis.close();
    await drop();
  });

  const ctx = (): PortalCtx => ({
    ops,
    analysis,
    fx: memoryEffects(),
    settings: SettingsSchema.parse({}).portal,
    access: {} as AccessDeps,
    secure: false,
  });
  const report = (number: string, country: string, zones: string): Report => ({
    id: 0,
    messageId: 0,
    state: 'submitted',
    lang: 'en',
    answers: {},
    crimeRef: 'UNS-TEST-0000-0',
    submittedAt: '2026-03-12T10:00:00.000Z',
    updatedAt: '2026-03-12T10:00:00.000Z',
    number,
    country,
    zones,
    brand: 'ING',
    callDate: '2021-03-02',
  });

  test(`${backend.name}: the record of a confirmed rival reading shows the call dialled as the other reading`, async () => {
    const r = await victimRecord(ctx(), report(conflictB.alt, 'NL', 'Europe/Amsterdam'));
    assert.deepEqual(r.calls, [
      { at: '2021-03-02T10:00:00Z', connectedSeconds: 90, shown: '+31202288888' },
    ]);
    assert.match(recordText(r), /\+31202288888/);
    // The reading dialled is nobody's now: a record for it would show no call.
    const dialled = await victimRecord(ctx(), report(conflictB.number, 'AU', 'Australia/Sydney'));
    assert.deepEqual(dialled.calls, []);
    // A number no confirmation touches keeps its own call.
    const own = await victimRecord(ctx(), report(certain, 'GB', 'Europe/London'));
    assert.deepEqual(
      own.calls.map((c) => c.at),
      ['2021-03-04T10:00:00Z'],
    );
  });
}
