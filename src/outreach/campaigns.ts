/**
 * Campaigns, the domain commands: create from a victims filter, edit, approve (four eyes),
 * send, pause, resume, cancel. Every transition is checked here, written with its audit row in
 * one transaction, and refused with a stable error code when it is not allowed.
 *
 *   draft → approved → sending ⇄ paused → awaiting_receipts → completed | completed_unconfirmed
 *   draft, approved, sending, paused → cancelled
 *   an edit of an approved campaign voids the approval (back to draft); an approved resend
 *   (resend.ts) takes completed_unconfirmed back to sending; the dispatcher's heartbeat and
 *   `campaign status` move sending campaigns on (unconfirmed.ts)
 */
import crypto from 'node:crypto';
import { recordAuditIn } from '../audit/audit.ts';
import { writeCheckpoint } from '../audit/tree.ts';
import { demand } from '../authz/policy.ts';
import type { Analysis } from '../readout/analysis.ts';
import { victimsTable } from '../readout/victims-table.ts';
import type { OpsDb, OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import type { User } from '../users/roles.ts';
import type { Lang } from './languages.ts';
import { refHash, referenceCode, type RefKeys } from './refcode.ts';
import { checkTexts, languagesOf, type Translations } from './texts.ts';
import { CampaignContent, CampaignDraft } from './schemas.ts';
import { CODE_STAND_IN, LONGEST_CALL_DATE, safetyProblems, type Values } from './template.ts';
import type { Selection } from './targets.ts';

export const STATES = [
  'draft',
  'approved',
  'sending',
  'paused',
  'awaiting_receipts',
  'completed',
  'completed_unconfirmed',
  'cancelled',
] as const;
export type CampaignState = (typeof STATES)[number];

/** A campaign's state as the CLI and console write it. */
export const STATE_WORDS: Readonly<Record<string, string>> = {
  awaiting_receipts: 'awaiting receipts',
  completed_unconfirmed: 'completed with unconfirmed messages',
};

export interface Campaign {
  id: number;
  name: string;
  state: CampaignState;
  filter: unknown;
  template: string;
  translations: Translations;
  languages: Record<string, Lang>;
  force_name: string;
  official_site: string;
  sender_id: string;
  window_start: Date;
  window_end: Date;
  day_start: string;
  day_end: string;
  include_texted: boolean;
  /** Victims whose number needs review were included explicitly (the filter's `includeReview`). */
  include_review: boolean;
  /** How many such victims the filter selected and the campaign left out; null before reviews. */
  review_left_out: number | null;
  synthetic: boolean;
  author_id: number;
  author: string;
  approved_by: number | null;
  approver: string | null;
  approved_at: Date | null;
  approved_digest: string | null;
  /** Who asked for the unconfirmed messages to go again, awaiting another's approval. */
  resend_requested_by: number | null;
}

const COLS = `c.id::int AS id, c.name, c.state, c.filter, c.template, c.translations, c.languages,
  c.force_name, c.official_site,
  c.sender_id, c.window_start, c.window_end, c.day_start, c.day_end, c.include_texted,
  coalesce((c.filter->>'includeReview')::boolean, false) AS include_review, c.review_left_out,
  c.synthetic,
  c.author_id::int AS author_id, a.name AS author, c.approved_by::int AS approved_by,
  p.name AS approver, c.approved_at, c.approved_digest,
  c.resend_requested_by::int AS resend_requested_by`;

/**
 * The numbers that need review (docs/numbers.md) in the analysis a campaign is approved, sent or
 * resumed against: read when it is, because a victim can become flagged after the campaign was
 * drafted (a later ingest and analysis). A campaign that does not include such victims
 * (`includeReview`) leaves its queued texts to them out then (leaveOutFlagged).
 */
export type FlaggedNumbers = () => Promise<readonly string[]>;

/** The numbers that need review in analysis `a` (none in one made before numbers could). */
export function flaggedIn(a: Analysis): FlaggedNumbers {
  return async () =>
    (await a.rows(`SELECT number FROM ${await victimsTable(a)} WHERE needs_review`)).map((r) =>
      String(r.number),
    );
}

/** No analysis to check against: made-up victims (tests, benches). */
export const NONE_FLAGGED: FlaggedNumbers = async () => [];

/** Why a left-out text was left out (its `error`). */
export const NEEDS_REVIEW_ERROR = 'left out: the number needs review in the current analysis';

/**
 * Leaves out of campaign `c`'s outbox its queued texts to numbers that need review now (state
 * `needs_review`: never sent, the number free for a later campaign once confirmed), and adds
 * them to the campaign's count of victims left out for review: one update, in the caller's
 * transaction. How many; null when the campaign includes such victims (nothing checked).
 */
async function leaveOutFlagged(
  tx: OpsQuery,
  c: Campaign,
  flagged: FlaggedNumbers,
  now: Date,
): Promise<number | null> {
  if (c.include_review) return null;
  const numbers = await flagged();
  if (numbers.length === 0) return 0;
  const [r] = await tx.query<{ n: number }>(
    `WITH d AS (
       UPDATE messages SET state = 'needs_review', done_at = $3, error = $4
        WHERE campaign_id = $1 AND state = 'queued' AND number = ANY ($2::text[])
       RETURNING 1
     )
     UPDATE campaigns c
        SET review_left_out = CASE WHEN d.n = 0 THEN c.review_left_out
                                   ELSE coalesce(c.review_left_out, 0) + d.n END
       FROM (SELECT count(*)::int AS n FROM d) d
      WHERE c.id = $1
     RETURNING d.n`,
    [c.id, numbers, now, NEEDS_REVIEW_ERROR],
  );
  return r?.n ?? 0;
}

export async function getCampaign(db: OpsQuery, id: number, lock = false): Promise<Campaign> {
  const [c] = await db.query<Campaign>(
    `SELECT ${COLS} FROM campaigns c JOIN users a ON a.id = c.author_id
     LEFT JOIN users p ON p.id = c.approved_by WHERE c.id = $1 ${lock ? 'FOR UPDATE OF c' : ''}`,
    [id],
  );
  if (!c) throw new UnspoofError('CAMPAIGN_NOT_FOUND', `there is no campaign ${id}`);
  return c;
}

export async function listCampaigns(db: OpsQuery): Promise<Campaign[]> {
  return db.query<Campaign>(
    `SELECT ${COLS} FROM campaigns c JOIN users a ON a.id = c.author_id
     LEFT JOIN users p ON p.id = c.approved_by ORDER BY c.id DESC`,
  );
}

/** What an approval covers: the content, the filter and the exact set of numbers. */
async function digest(tx: OpsQuery, c: Campaign): Promise<string> {
  const [m] = await tx.query<{ h: string | null; n: number }>(
    `SELECT md5(string_agg(number, ',' ORDER BY number)) AS h, count(*)::int AS n FROM messages WHERE campaign_id = $1`,
    [c.id],
  );
  const content = [
    c.name,
    c.template,
    c.force_name,
    c.official_site,
    c.sender_id,
    new Date(c.window_start).toISOString(),
    new Date(c.window_end).toISOString(),
    c.day_start,
    c.day_end,
    JSON.stringify(c.filter),
    m?.h ?? '',
    m?.n ?? 0,
    // Only when there are any: an approval given before campaigns had languages still holds.
    ...(Object.keys(c.translations ?? {}).length || Object.keys(c.languages ?? {}).length
      ? [JSON.stringify(c.translations), JSON.stringify(c.languages)]
      : []),
  ];
  return crypto.createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The longest value of each placeholder the campaign will fill in: what the safety check renders. */
export function longestValues(
  content: { forceName: string; officialSite: string },
  brands: string[],
): Values {
  return {
    force: content.forceName,
    site: content.officialSite,
    brand: brands.reduce((a, b) => (b.length > a.length ? b : a), ''),
    call_date: LONGEST_CALL_DATE,
    reference: CODE_STAND_IN,
  };
}

/** The safety check of a campaign whose outbox exists (edit, approval): its longest brand. */
async function checkOutboxSafety(
  tx: OpsQuery,
  id: number,
  c: { template: string; translations: Translations; forceName: string; officialSite: string },
): Promise<void> {
  // English is always checked (with no brand when the outbox is empty); each other language
  // its texts are in, with that language's longest brand.
  const rows = await tx.query<{ lang: Lang; brand: string | null }>(
    `SELECT DISTINCT ON (lang) lang, brand FROM messages WHERE campaign_id = $1
     ORDER BY lang, length(coalesce(brand, '')) DESC`,
    [id],
  );
  const longest = new Map<Lang, string>([['en', '']]);
  for (const r of rows) longest.set(r.lang, r.brand ?? '');
  checkTexts(c, longest);
}

export function checkSafety(template: string, officialSite: string, longest: Values): void {
  const problems = safetyProblems(template, officialSite, longest);
  if (problems.length) {
    throw new UnspoofError(
      'TEMPLATE_UNSAFE',
      `the template is refused:\n${problems.map((p) => `  - ${p.rule}: ${p.detail}`).join('\n')}`,
    );
  }
}

export interface CreatedCampaign {
  id: number;
  messages: number;
  excluded: { opted_out: number; texted_by_another_campaign: number; needs_review: number };
}

/**
 * Creates a campaign and its whole outbox (one row per victim, each with the keyed hash of its
 * reference code) in one transaction. `targets` are the victims the filter selected
 * (targets.ts), without opted-out numbers and — unless `includeTexted` — numbers another
 * campaign of the case has texted or will text; then the filter's `limit` takes the first so
 * many of those left (a second pilot with the same filter takes the next ones). The counts of
 * victims left out are of the whole selection. The selection left out the victims whose
 * number needs review unless its filter included them: how many is kept with the campaign.
 *
 * In bulk: the numbers to leave out are read in two statements, and the outbox is written
 * 5,000 rows (with their reference codes' hashes) a statement.
 */
export async function createCampaign(
  db: OpsDb,
  user: User,
  raw: CampaignDraft,
  selection: Pick<Selection, 'targets' | 'synthetic'> & {
    left_out?: Pick<Selection['left_out'], 'needs_review'>;
  },
  keys: RefKeys,
  now: Date,
): Promise<CreatedCampaign> {
  const targets = selection.targets;
  demand(user, 'campaigns:draft');
  const input = parse(CampaignDraft, raw);
  const c = input.content;
  const reviewLeftOut = input.filter.includeReview ? 0 : (selection.left_out?.needs_review ?? 0);
  // Refused before anything is read when no brand could make the template safe.
  checkSafety(c.template, c.officialSite, longestValues(c, []));
  return db.transaction(async (tx) => {
    const optedOut = new Set(
      (await tx.query<{ number: string }>('SELECT number FROM opt_outs')).map((r) => r.number),
    );
    const texted = input.includeTexted
      ? new Set<string>()
      : new Set(
          (
            await tx.query<{ number: string }>(
              `SELECT DISTINCT m.number FROM messages m JOIN campaigns c ON c.id = m.campaign_id
               WHERE c.state <> 'cancelled' AND m.state NOT IN ('failed', 'opted_out', 'needs_review')`,
            )
          ).map((r) => r.number),
        );
    const textable = targets.filter((t) => !optedOut.has(t.number) && !texted.has(t.number));
    const limit = input.filter.limit;
    const keep = limit === null ? textable : textable.slice(0, limit);
    // Each victim's language, and a safe text in every language the victims kept need.
    const langs = languagesOf(keep, c);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO campaigns (name, filter, template, force_name, official_site, sender_id, window_start,
         window_end, day_start, day_end, include_texted, synthetic, author_id, created_at, updated_at,
         review_left_out, translations, languages)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17)
       RETURNING id::int AS id`,
      [
        c.name,
        JSON.stringify(input.filter),
        c.template,
        c.forceName,
        c.officialSite,
        c.senderId,
        c.windowStart,
        c.windowEnd,
        c.dayStart,
        c.dayEnd,
        input.includeTexted,
        selection.synthetic,
        user.id,
        now,
        reviewLeftOut,
        JSON.stringify(c.translations),
        JSON.stringify(c.languages),
      ],
    );
    const id = (row as { id: number }).id;
    // Each chunk's rows and reference codes' hashes (two keyed HMACs a row, the dearest part of
    // the rows) are made while the store writes the chunk before it.
    const rows = 5000;
    let writing: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < keep.length; i += rows) {
      const chunk = keep.slice(i, i + rows);
      const params = [
        id,
        chunk.map((t) => t.number),
        chunk.map((t) => t.country),
        chunk.map((t) => t.zones),
        chunk.map((t) => t.brand),
        chunk.map((t) => t.callDate),
        chunk.map((t) => refHash(keys, referenceCode(keys, id, t.number))),
        langs.slice(i, i + rows),
      ];
      await writing;
      writing = tx.query(
        `WITH m AS (
           INSERT INTO messages (campaign_id, number, country, zones, brand, first_long_call, lang)
           SELECT $1::bigint, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $8::text[])
           RETURNING id, number
         )
         INSERT INTO reference_codes (ref_hash, message_id)
         SELECT c.ref_hash, m.id FROM m JOIN unnest($2::text[], $7::text[]) AS c (number, ref_hash) USING (number)`,
        params,
      );
      // Awaited before the next chunk or below; never an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    }
    await writing;
    const excluded = {
      opted_out: targets.filter((t) => optedOut.has(t.number)).length,
      texted_by_another_campaign: targets.filter(
        (t) => !optedOut.has(t.number) && texted.has(t.number),
      ).length,
      needs_review: reviewLeftOut,
    };
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'campaign_create',
        target: `campaign:${id}`,
        detail: { name: c.name, filter: input.filter, messages: keep.length, excluded },
      },
      now,
    );
    return { id, messages: keep.length, excluded };
  });
}

/** Edits the content; an approved campaign goes back to draft (its approval is void). */
export async function editCampaign(
  db: OpsDb,
  user: User,
  id: number,
  patch: Partial<CampaignContent>,
  now: Date,
): Promise<Campaign> {
  demand(user, 'campaigns:draft');
  return db.transaction(async (tx) => {
    const c = await getCampaign(tx, id, true);
    if (c.state !== 'draft' && c.state !== 'approved') {
      throw new UnspoofError(
        'CAMPAIGN_STATE',
        `campaign ${id} is ${c.state}: only a draft or an approved campaign can be edited`,
      );
    }
    const next = parse(CampaignContent, {
      name: c.name,
      template: c.template,
      // Each text's language was decided at drafting: the overrides stay as they were.
      languages: c.languages,
      forceName: c.force_name,
      officialSite: c.official_site,
      senderId: c.sender_id,
      windowStart: c.window_start,
      windowEnd: c.window_end,
      dayStart: c.day_start,
      dayEnd: c.day_end,
      ...patch,
      // A text given in one language leaves the others as they were.
      translations: { ...c.translations, ...patch.translations },
    });
    await checkOutboxSafety(tx, id, next);
    await tx.query(
      `UPDATE campaigns SET name = $2, template = $3, force_name = $4, official_site = $5, sender_id = $6,
         window_start = $7, window_end = $8, day_start = $9, day_end = $10, updated_at = $11,
         translations = $12, state = 'draft', approved_by = NULL, approved_at = NULL, approved_digest = NULL
       WHERE id = $1`,
      [
        id,
        next.name,
        next.template,
        next.forceName,
        next.officialSite,
        next.senderId,
        next.windowStart,
        next.windowEnd,
        next.dayStart,
        next.dayEnd,
        now,
        JSON.stringify(next.translations),
      ],
    );
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'campaign_edit',
        target: `campaign:${id}`,
        detail: { fields: Object.keys(patch), approval_voided: c.state === 'approved' },
      },
      now,
    );
    return getCampaign(tx, id);
  });
}

/**
 * Approves a draft (four eyes). Its queued texts to numbers that need review in the current
 * analysis (`flagged`) are left out first, unless it includes them; the approval covers what is
 * left.
 */
export async function approveCampaign(
  db: OpsDb,
  user: User,
  id: number,
  now: Date,
  flagged: FlaggedNumbers,
): Promise<Campaign> {
  demand(user, 'campaigns:approve');
  return db.transaction(async (tx) => {
    const c = await getCampaign(tx, id, true);
    if (c.state !== 'draft') {
      throw new UnspoofError(
        'CAMPAIGN_STATE',
        `campaign ${id} is ${c.state}: only a draft can be approved`,
      );
    }
    if (c.author_id === user.id) {
      throw new UnspoofError(
        'FOUR_EYES',
        `campaign ${id} was drafted by ${user.name}: another supervisor must approve it`,
      );
    }
    await checkOutboxSafety(tx, id, {
      template: c.template,
      translations: c.translations,
      forceName: c.force_name,
      officialSite: c.official_site,
    });
    const leftOut = await leaveOutFlagged(tx, c, flagged, now);
    const d = await digest(tx, c);
    await tx.query(
      `UPDATE campaigns SET state = 'approved', approved_by = $2, approved_at = $3, approved_digest = $4, updated_at = $3 WHERE id = $1`,
      [id, user.id, now, d],
    );
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: 'campaign_approve',
        target: `campaign:${id}`,
        detail: { digest: d, ...(leftOut === null ? {} : { needs_review_left_out: leftOut }) },
      },
      now,
    );
    // An approval is a change of state that matters: the log is checkpointed with it.
    await writeCheckpoint(tx, `campaign ${id} approved`, now);
    return getCampaign(tx, id);
  });
}

const MOVES: Record<
  'send' | 'pause' | 'resume' | 'cancel',
  { from: CampaignState[]; to: CampaignState }
> = {
  send: { from: ['approved'], to: 'sending' },
  pause: { from: ['sending'], to: 'paused' },
  resume: { from: ['paused'], to: 'sending' },
  cancel: { from: ['draft', 'approved', 'sending', 'paused'], to: 'cancelled' },
};

/**
 * send, pause, resume, cancel. Sending needs an approval that still covers the campaign as it
 * is, and a window that has not closed. Sending and resuming leave out the queued texts to
 * numbers that need review in the current analysis (`flagged`), unless the campaign includes
 * them: a victim flagged after the approval is not texted.
 */
export async function moveCampaign(
  db: OpsDb,
  user: User,
  id: number,
  move: 'pause' | 'cancel',
  now: Date,
  reason?: string,
): Promise<Campaign>;
export async function moveCampaign(
  db: OpsDb,
  user: User,
  id: number,
  move: keyof typeof MOVES,
  now: Date,
  reason: string | undefined,
  flagged: FlaggedNumbers,
): Promise<Campaign>;
export async function moveCampaign(
  db: OpsDb,
  user: User,
  id: number,
  move: keyof typeof MOVES,
  now: Date,
  reason?: string,
  flagged?: FlaggedNumbers,
): Promise<Campaign> {
  demand(user, 'campaigns:send');
  return db.transaction(async (tx) => {
    const c = await getCampaign(tx, id, true);
    const m = MOVES[move];
    if (!m.from.includes(c.state)) {
      throw new UnspoofError(
        c.state === 'draft' && (move === 'send' || move === 'resume')
          ? 'CAMPAIGN_NOT_APPROVED'
          : 'CAMPAIGN_STATE',
        c.state === 'draft'
          ? `campaign ${id} is not approved: a supervisor who did not draft it must approve it first`
          : `campaign ${id} is ${c.state}: cannot ${move} (only from ${m.from.join(' or ')})`,
      );
    }
    if (move === 'send' || move === 'resume') {
      if ((await digest(tx, c)) !== c.approved_digest) {
        throw new UnspoofError(
          'CAMPAIGN_NOT_APPROVED',
          `campaign ${id} changed after its approval: it must be approved again`,
        );
      }
      if (now >= new Date(c.window_end)) {
        throw new UnspoofError(
          'OUTSIDE_WINDOW',
          `campaign ${id}'s window closed at ${new Date(c.window_end).toISOString()}`,
        );
      }
    }
    let leftOut: number | null = null;
    if (move === 'send' || move === 'resume') {
      if (!flagged) throw new UnspoofError('INTERNAL', `${move}: no analysis to check numbers in`);
      leftOut = await leaveOutFlagged(tx, c, flagged, now);
    }
    await tx.query(`UPDATE campaigns SET state = $2, updated_at = $3 WHERE id = $1`, [
      id,
      m.to,
      now,
    ]);
    await recordAuditIn(
      tx,
      {
        actor: user.name,
        action: `campaign_${move}`,
        target: `campaign:${id}`,
        reason: reason ?? null,
        ...(leftOut === null ? {} : { detail: { needs_review_left_out: leftOut } }),
      },
      now,
    );
    return getCampaign(tx, id);
  });
}

export interface CampaignStatus {
  campaign: Campaign;
  counts: Record<string, number>;
  total: number;
}

export async function campaignStatus(db: OpsQuery, id: number): Promise<CampaignStatus> {
  return { campaign: await getCampaign(db, id), ...(await messageCounts(db, id)) };
}

/** A campaign's messages by state, and in all. */
export async function messageCounts(
  db: OpsQuery,
  id: number,
): Promise<Omit<CampaignStatus, 'campaign'>> {
  const rows = await db.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY state`,
    [id],
  );
  const counts = Object.fromEntries(rows.map((r) => [r.state, r.n]));
  return { counts, total: rows.reduce((s, r) => s + r.n, 0) };
}

function parse<T extends import('zod').ZodType>(schema: T, raw: unknown): import('zod').output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    throw new UnspoofError(
      'CAMPAIGN_INVALID',
      r.error.issues.map((i) => `${i.path.join('.') || 'campaign'}: ${i.message}`).join('; '),
    );
  }
  return r.data;
}
