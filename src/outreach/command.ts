/** `unspoof campaign create|edit|preview|approve|send|pause|resume|cancel|status|list`. */
import fs from 'node:fs';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import { demand, maskNumber, type Action } from '../authz/policy.ts';
import { openCase } from '../case/store.ts';
import { openAnalysis } from '../readout/analysis.ts';
import { requireAnalysis } from '../readout/analysed.ts';
import { list } from '../readout/export.ts';
import { openOps } from '../ops/open.ts';
import type { OpsDb } from '../ops/db.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { table } from '../shared/table.ts';
import { withCliUser } from '../users/cli-login.ts';
import type { User } from '../users/roles.ts';
import {
  approveCampaign,
  campaignStatus,
  createCampaign,
  editCampaign,
  flaggedIn,
  getCampaign,
  listCampaigns,
  moveCampaign,
  type Campaign,
  type CampaignStatus,
} from './campaigns.ts';
import { iso, reviewLine, statusText, summary } from './status-text.ts';
import { refKeys } from './keys.ts';
import { previewMessages } from './preview.ts';
import { VictimsFilter } from './schemas.ts';
import { selectTargets } from './targets.ts';
import { DEFAULT_TEMPLATE } from './template.ts';
import { isLang, LANGS, type Lang } from './languages.ts';
import type { Translations } from './texts.ts';
import { followCampaign } from './follow.ts';
import { approveResend, requestResend } from './resend.ts';
import { readOutreachSettings } from './settings.ts';
import { settleCampaigns, sweepLate } from './unconfirmed.ts';

const Auth = {
  case: z.string().min(1),
  as: z.string().optional(),
  totp: z.string().optional(),
  json: z.boolean().optional(),
};

/** Runs `fn` as the signed-in user, refused before it starts without `need` (withCliUser). */
const withUser = <T>(
  o: { case: string; as?: string; totp?: string },
  fx: Effects,
  fn: (db: OpsDb, user: User) => Promise<T>,
  need?: Action,
): Promise<T> => withCliUser(o, fx.now(), fn, need ? (u) => demand(u, need) : undefined);

const day = (v: string | undefined, name: string) => {
  if (!v) return {};
  const m = v.match(/^(\d\d:\d\d)-(\d\d:\d\d)$/);
  if (!m)
    throw new UnspoofError('USAGE', `--${name}: local daytime is HH:MM-HH:MM, e.g. 09:00-20:00`);
  return { dayStart: m[1], dayEnd: m[2] };
};

/** `--template-file-cy|nl|fr`: the campaign's text in Welsh, Dutch, French. */
const TranslationFiles = {
  templateFileCy: z.string().optional(),
  templateFileNl: z.string().optional(),
  templateFileFr: z.string().optional(),
};

// A text file as written on any system: Windows' CRLF line ends read as plain line breaks.
const readText = (file: string) => fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').trim();

function translationsOf(o: {
  templateFileCy?: string;
  templateFileNl?: string;
  templateFileFr?: string;
}): Translations {
  return Object.fromEntries(
    (
      [
        ['cy', o.templateFileCy],
        ['nl', o.templateFileNl],
        ['fr', o.templateFileFr],
      ] as const
    )
      .filter(([, f]) => f)
      .map(([l, f]) => [l, readText(f as string)]),
  );
}

/** `--language GB=cy,BE=fr`: the language of a country's victims, where not its default. */
function languageOverrides(spec: string | undefined): Record<string, Lang> {
  const out: Record<string, Lang> = {};
  for (const part of (spec ?? '').split(',').filter((p) => p.trim())) {
    const m = part.trim().match(/^([A-Za-z]{2})=([a-z]{2})$/);
    if (!m || !isLang(m[2]))
      throw new UnspoofError(
        'USAGE',
        `--language: COUNTRY=LANGUAGE pairs, e.g. GB=cy,BE=fr (languages: ${LANGS.join(', ')})`,
      );
    out[(m[1] as string).toUpperCase()] = m[2];
  }
  return out;
}

const CreateOptions = z.object({
  ...Auth,
  name: z.string(),
  country: z.string().optional(),
  tier: z.string().optional(),
  brand: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  limit: z.coerce.number().int().min(1).optional(),
  templateFile: z.string().optional(),
  ...TranslationFiles,
  language: z.string().optional(),
  force: z.string(),
  site: z.string(),
  sender: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  day: z.string().optional(),
  includeTexted: z.boolean().optional(),
  includeReview: z.boolean().optional(),
});

export async function campaignCreateCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(CreateOptions, raw);
  const filter = VictimsFilter.safeParse({
    countries: list(o.country, true),
    tiers: o.tier ? list(o.tier) : undefined,
    brands: o.brand
      ? o.brand
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean)
      : [],
    from: o.from ?? null,
    to: o.to ?? null,
    limit: o.limit ?? null,
    includeReview: o.includeReview ?? false,
  });
  if (!filter.success) throw new UnspoofError('USAGE', z.prettifyError(filter.error));
  const template = o.templateFile ? readText(o.templateFile) : DEFAULT_TEMPLATE;
  const translations = translationsOf(o);
  const languages = languageOverrides(o.language);
  const daytime = day(o.day, 'day');
  // Signed in and allowed to draft first, then the selection (a whole country's victims) and
  // the outbox: a one-time code is checked while it is fresh, and a refusal costs no work.
  const { r, selection } = await withUser(
    o,
    fx,
    async (db, user) => {
      const store = await openCase(o.case);
      let selection;
      try {
        await requireAnalysis(store.conn);
        selection = await selectTargets(store.conn, filter.data);
      } finally {
        store.close();
      }
      const r = await createCampaign(
        db,
        user,
        {
          content: {
            name: o.name,
            template,
            translations,
            languages,
            forceName: o.force,
            officialSite: o.site,
            senderId: o.sender,
            windowStart: o.windowStart as unknown as Date,
            windowEnd: o.windowEnd as unknown as Date,
            ...daytime,
          },
          filter: filter.data,
          includeTexted: o.includeTexted ?? false,
        },
        selection,
        await refKeys(db),
        fx.now(),
      );
      return { r, selection };
    },
    'campaigns:draft',
  );
  const left_out = selection.left_out;
  if (o.json) return fx.out(JSON.stringify({ ...r, left_out }));
  fx.out(
    [
      `Campaign ${r.id} drafted: ${r.messages.toLocaleString('en-GB')} victims to text.`,
      `Left out: ${r.excluded.opted_out} opted out, ${r.excluded.texted_by_another_campaign} texted by another campaign, ` +
        `${left_out.no_time_zone} with no known time zone, ${left_out.no_brand} with no brand to name.`,
      reviewLine(filter.data.includeReview, r.excluded.needs_review),
      `Next: unspoof campaign preview ${r.id}, then a supervisor who did not draft it runs unspoof campaign approve ${r.id}.`,
    ].join('\n'),
  );
}

const EditOptions = z.object({
  ...Auth,
  name: z.string().optional(),
  templateFile: z.string().optional(),
  ...TranslationFiles,
  force: z.string().optional(),
  site: z.string().optional(),
  sender: z.string().optional(),
  windowStart: z.string().optional(),
  windowEnd: z.string().optional(),
  day: z.string().optional(),
});

export async function campaignEditCommand(id: string, raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(EditOptions, raw);
  const patch = Object.fromEntries(
    Object.entries({
      name: o.name,
      template: o.templateFile ? readText(o.templateFile) : undefined,
      translations: Object.keys(translationsOf(o)).length ? translationsOf(o) : undefined,
      forceName: o.force,
      officialSite: o.site,
      senderId: o.sender,
      windowStart: o.windowStart,
      windowEnd: o.windowEnd,
      ...day(o.day, 'day'),
    }).filter(([, v]) => v !== undefined),
  );
  const c = await withUser(o, fx, (db, user) =>
    editCampaign(db, user, campaignId(id), patch, fx.now()),
  );
  if (o.json) return fx.out(JSON.stringify(summary(c)));
  fx.out(`Campaign ${c.id} edited: it is a draft and needs approval again.`);
}

const PreviewOptions = z.object({
  ...Auth,
  limit: z.coerce.number().int().min(1).max(1000).default(5),
});

export async function campaignPreviewCommand(id: string, raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(PreviewOptions, raw);
  let campaign: Campaign | undefined;
  const p = await withUser(o, fx, async (db, user) => {
    const rows = await previewMessages(db, user, campaignId(id), o.limit);
    campaign = await getCampaign(db, campaignId(id));
    await recordAudit(
      db,
      {
        actor: user.name,
        action: 'campaign_preview',
        target: `campaign:${id}`,
        detail: { rows: rows.length },
      },
      fx.now(),
    );
    return rows;
  });
  if (o.json) return fx.out(JSON.stringify(p));
  for (const r of p) {
    fx.out(
      `${maskNumber(r.number)}  ${r.encoding}, ${r.segments} segment${r.segments === 1 ? '' : 's'}, ${r.characters} characters` +
        `${r.ucs2Characters.length ? ` (UCS-2 because of: ${r.ucs2Characters.join(' ')})` : ''}\n  ${r.text}\n`,
    );
  }
  fx.out(
    'The reference code is shown as XXXX-XXXX-XXXX: each victim’s own code appears only in their text.',
  );
  if (campaign) fx.out(reviewLine(campaign.include_review, campaign.review_left_out));
}

const MoveOptions = z.object({
  ...Auth,
  reason: z.string().optional(),
  follow: z.boolean().optional(),
});

export function campaignMoveCommand(move: 'approve' | 'send' | 'pause' | 'resume' | 'cancel') {
  return async (id: string, raw: unknown, fx: Effects): Promise<void> => {
    const o = parseOptions(MoveOptions, raw);
    const cid = campaignId(id);
    const c = await withUser(o, fx, async (db, user) => {
      if (move === 'pause' || move === 'cancel')
        return moveCampaign(db, user, cid, move, fx.now(), o.reason);
      // Approving, sending and resuming leave out the texts to numbers that need review in the
      // case's analysis now (read-only: the console may have it open).
      const analysis = await openAnalysis(o.case);
      try {
        const flagged = flaggedIn(analysis);
        return move === 'approve'
          ? await approveCampaign(db, user, cid, fx.now(), flagged)
          : await moveCampaign(db, user, cid, move, fx.now(), o.reason, flagged);
      } finally {
        analysis.close();
      }
    });
    if (move === 'send' && o.follow)
      return followCampaign(o.case, cid, fx, { json: o.json ?? false });
    if (o.json) return fx.out(JSON.stringify(summary(c)));
    fx.out(`Campaign ${c.id} is ${c.state}.`);
  };
}

const StatusOptions = z.object({ case: z.string().min(1), json: z.boolean().optional() });

/**
 * A campaign's state and counts, brought up to date first: messages past the gateway's receipt
 * timeout become unconfirmed even when no dispatcher runs. `--check` exits MESSAGES_UNCONFIRMED
 * (17) when any message is unconfirmed, for a monitor to raise the alarm.
 */
export async function campaignStatusCommand(id: string, raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(StatusOptions.extend({ check: z.boolean().optional() }), raw);
  const settings = readOutreachSettings(o.case);
  const db = await openOps(o.case);
  let s: CampaignStatus;
  try {
    await sweepLate(db, settings.gateway.receiptTimeoutSeconds * 1000);
    await settleCampaigns(db, 'system:receipt-timeout', fx.now());
    s = await campaignStatus(db, campaignId(id));
  } finally {
    await db.close();
  }
  if (o.json) fx.out(JSON.stringify({ ...summary(s.campaign), counts: s.counts, total: s.total }));
  else fx.out(statusText(s));
  const unconfirmed = s.counts.unconfirmed ?? 0;
  if (o.check && unconfirmed > 0) {
    throw new UnspoofError(
      'MESSAGES_UNCONFIRMED',
      `campaign ${s.campaign.id}: ${unconfirmed} of ${s.total} messages were taken by the gateway but never confirmed; ` +
        `they are not counted as reached (unspoof campaign resend ${s.campaign.id} asks for them to go again)`,
    );
  }
}

const ResendOptions = z.object({
  ...Auth,
  approve: z.boolean().optional(),
  reason: z.string().optional(),
});

/** `campaign resend ID` asks for the unconfirmed messages to go again; `--approve` approves. */
export async function campaignResendCommand(id: string, raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(ResendOptions, raw);
  const cid = campaignId(id);
  if (o.approve) {
    const r = await withUser(o, fx, (db, user) => approveResend(db, user, cid, fx.now()));
    if (o.json) return fx.out(JSON.stringify({ ...summary(r.campaign), queued: r.queued }));
    return fx.out(
      `Resend approved: ${r.queued} unconfirmed messages of campaign ${cid} are queued again; it is ${r.campaign.state}.\n` +
        `Next: unspoof send --case … (a dispatcher sends them).`,
    );
  }
  const r = await withUser(o, fx, (db, user) => requestResend(db, user, cid, fx.now(), o.reason));
  if (o.json) return fx.out(JSON.stringify({ ...summary(r.campaign), unconfirmed: r.unconfirmed }));
  fx.out(
    `Resend of ${r.unconfirmed} unconfirmed messages of campaign ${cid} requested.\n` +
      `Next: a supervisor other than you runs unspoof campaign resend ${cid} --approve.`,
  );
}

export async function campaignListCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(StatusOptions, raw);
  const db = await openOps(o.case);
  try {
    const cs = await listCampaigns(db);
    if (o.json) return fx.out(JSON.stringify(cs.map(summary)));
    fx.out(
      table(
        ['id', 'name', 'state', 'author', 'approved by', 'window'],
        cs.map((c) => [
          String(c.id),
          c.name,
          c.state,
          c.author,
          c.approver ?? '',
          `${iso(c.window_start)} – ${iso(c.window_end)}`,
        ]),
      ),
    );
  } finally {
    await db.close();
  }
}

function campaignId(id: string): number {
  if (!/^\d{1,12}$/.test(id))
    throw new UnspoofError('USAGE', `a campaign id is a number, not “${id.slice(0, 20)}”`);
  return Number(id);
}

export { getCampaign };
