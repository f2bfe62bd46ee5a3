/**
 * Victims whose number needs review are kept out of a campaign unless it includes them
 * explicitly; the campaign, its audit entry and its status say which, and how many were left
 * out. An analysis made before numbers could need review is refused: it cannot tell guesses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import { analysedCase } from '../../test/console-case.ts';
import { backends } from '../../test/ops-backends.ts';
import { content, outreachUsers } from '../../test/outreach-fixtures.ts';
import { READINGS, reviewCase, withoutReviewColumns } from '../../test/review-case.ts';
import { listAudit } from '../audit/audit.ts';
import { openCase, queryRows } from '../case/store.ts';
import { campaignStatus, createCampaign } from './campaigns.ts';
import { reviewLine, statusText } from './status-text.ts';
import { refKeys } from './keys.ts';
import { VictimsFilter } from './schemas.ts';
import { selectTargets, type Selection, type Target } from './targets.ts';
import { localDate } from './window.ts';

const { conflictA, conflictB, certain } = READINGS;
let caseDir: string;

async function select(filter: object): Promise<Selection> {
  const store = await openCase(caseDir);
  try {
    return await selectTargets(store.conn, VictimsFilter.parse(filter));
  } finally {
    store.close();
  }
}

before(async () => {
  caseDir = await reviewCase();
});

describe('targets', () => {
  it('leaves out victims whose number needs review, and counts them', async () => {
    const s = await select({});
    assert.deepEqual(
      s.targets.map((t) => t.number),
      [certain],
    );
    assert.deepEqual(s.left_out, { no_time_zone: 0, no_brand: 0, needs_review: 2 });
  });

  it('includes them when the filter says so explicitly', async () => {
    const s = await select({ includeReview: true });
    assert.deepEqual(s.targets.map((t) => t.number).sort(), [
      certain,
      conflictB.number,
      conflictA.number,
    ]);
    assert.equal(s.left_out.needs_review, 0);
  });

  it(
    'selects in bulk exactly what the number-by-number lookup selected',
    { timeout: 120_000 },
    async () => {
      const store = await openCase(await analysedCase());
      try {
        const filter = VictimsFilter.parse({
          tiers: ['harmed', 'likely', 'contacted', 'attempted'],
          includeReview: true,
          limit: 5,
        });
        const s = await selectTargets(store.conn, filter);
        // As the selection was made before: each row's zones from libphonenumber-geo-carrier's
        // timezones() (its map read for each number), its date from the time as text.
        const rows = await queryRows<{
          number: string;
          country: string;
          brand: string | null;
          call_at: string;
        }>(
          store.conn,
          `SELECT number, country,
                coalesce(first_long_call_brand, nullif(split_part(brands, ';', 1), '')) AS brand,
                strftime(coalesce(first_long_call_at, first_call_at), '%Y-%m-%dT%H:%M:%SZ') AS call_at
           FROM victims
          ORDER BY CASE tier WHEN 'harmed' THEN 0 WHEN 'likely' THEN 1 WHEN 'contacted' THEN 2 ELSE 3 END, number`,
        );
        const expected: Target[] = [];
        let noZone = 0;
        for (const r of rows) {
          if (!r.brand) continue;
          const parsed = parsePhoneNumberFromString(r.number);
          const zones = parsed
            ? [...new Set((await timezones(parsed)) ?? [])].sort().join(',')
            : '';
          if (!zones) {
            noZone++;
            continue;
          }
          const zone = zones.split(',')[0] as string;
          expected.push({
            number: r.number,
            country: r.country,
            brand: r.brand,
            zones,
            callDate: localDate(new Date(r.call_at), zone),
          });
        }
        assert.ok(expected.length > 100);
        assert.deepEqual(s.targets, expected, 'every victim: the limit is the campaign’s to apply');
        assert.equal(s.left_out.no_time_zone, noZone);
        assert.equal(s.left_out.no_brand, rows.filter((r) => !r.brand).length);
      } finally {
        store.close();
      }
    },
  );

  it('refuses an analysis made before numbers could need review: analyze again', async () => {
    await withoutReviewColumns(caseDir);
    await assert.rejects(select({}), { code: 'NOT_ANALYSED' });
    caseDir = await reviewCase();
  });
});

for (const backend of backends) {
  describe(`a campaign and the victims that need review (${backend.name})`, () => {
    let db: Awaited<ReturnType<typeof backend.open>>;
    before(async () => {
      db = await backend.open();
    });
    after(() => db.drop());

    it('shows on the campaign, in its audit entry and in its status', async () => {
      const { outreach } = await outreachUsers(db.db);
      const draft = async (includeReview: boolean) => {
        const filter = { includeReview };
        return createCampaign(
          db.db,
          outreach,
          { content: content(), filter, includeTexted: true },
          await select(filter),
          await refKeys(db.db),
          new Date(),
        );
      };
      const left = await draft(false);
      assert.equal(left.messages, 1);
      assert.equal(left.excluded.needs_review, 2);
      const with_ = await draft(true);
      assert.equal(with_.messages, 3);
      assert.equal(with_.excluded.needs_review, 0);

      const a = await campaignStatus(db.db, left.id);
      assert.deepEqual([a.campaign.include_review, a.campaign.review_left_out], [false, 2]);
      assert.match(statusText(a), /needs review: 2 left out until an analyst confirms/);
      const b = await campaignStatus(db.db, with_.id);
      assert.deepEqual([b.campaign.include_review, b.campaign.review_left_out], [true, 0]);
      assert.match(statusText(b), /needs review: included \(--include-review\)/);
      assert.match(reviewLine(false, null), /not counted/);

      const audit = (await listAudit(db.db)).filter((r) => r.action === 'campaign_create');
      const detail = (id: number) =>
        audit.find((r) => r.target === `campaign:${id}`)?.detail as {
          filter: { includeReview: boolean };
          excluded: { needs_review: number };
        };
      assert.deepEqual(
        [detail(left.id).filter.includeReview, detail(left.id).excluded.needs_review],
        [false, 2],
      );
      assert.deepEqual(
        [detail(with_.id).filter.includeReview, detail(with_.id).excluded.needs_review],
        [true, 0],
      );
    });
  });
}
