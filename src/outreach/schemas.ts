/** The inputs of campaign commands (zod): one schema each, their types inferred. */
import { z } from 'zod';
import { LANGS } from './languages.ts';
import { TIERS } from '../readout/victims.ts';

const hhmm = z
  .string()
  .regex(
    /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/,
    'a time is HH:MM (24-hour; 24:00 is the end of the day)',
  );
const instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'not a date');

export const VictimsFilter = z.object({
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'a country is an ISO 3166 alpha-2 code'))
    .default([]),
  tiers: z.array(z.enum(TIERS)).default(['harmed', 'likely']),
  brands: z.array(z.string().min(1).max(100)).default([]),
  /** First call on or after / before (ISO dates). */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .default(null),
  /** At most this many victims (a pilot campaign), harmed before likely, then by number. */
  limit: z.number().int().min(1).nullable().default(null),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .default(null),
  /**
   * Text victims whose number needs review as well (docs/numbers.md): left out by default, since
   * a wrong reading texts a stranger; included only when the campaign says so explicitly.
   */
  includeReview: z.boolean().default(false),
});
export type VictimsFilter = z.infer<typeof VictimsFilter>;

export const CampaignContent = z
  .object({
    name: z.string().trim().min(1).max(120),
    /** The English text; the others in `translations` (texts.ts). */
    template: z.string().min(1).max(2000),
    translations: z
      .object({
        cy: z.string().min(1).max(2000).optional(),
        nl: z.string().min(1).max(2000).optional(),
        fr: z.string().min(1).max(2000).optional(),
      })
      .strict()
      .default({}),
    /** Per-country language overrides (e.g. GB → cy), else languageOf's default. */
    languages: z.record(z.string().regex(/^[A-Z]{2}$/), z.enum(LANGS)).default({}),
    forceName: z.string().trim().min(2).max(60),
    officialSite: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:\/[a-z0-9/_-]*)?$/,
        'the official site is a domain written as plain text, e.g. met.police.uk/check',
      ),
    /** One registered sender id: up to 11 letters and digits, or a number of up to 15 digits. */
    senderId: z
      .string()
      .regex(
        /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$|^\d{3,15}$/,
        'a sender id is up to 11 letters/digits, or up to 15 digits',
      ),
    windowStart: instant,
    windowEnd: instant,
    dayStart: hhmm.default('09:00'),
    dayEnd: hhmm.default('20:00'),
  })
  .refine((c) => c.windowEnd > c.windowStart, {
    message: 'the window must end after it starts',
    path: ['windowEnd'],
  })
  .refine((c) => c.dayEnd > c.dayStart, {
    message: 'the local day must end after it starts',
    path: ['dayEnd'],
  });
export type CampaignContent = z.infer<typeof CampaignContent>;

export const CampaignDraft = z.object({
  content: CampaignContent,
  filter: VictimsFilter,
  /** Text victims already texted by another campaign of the case as well. */
  includeTexted: z.boolean().default(false),
});
export type CampaignDraft = z.input<typeof CampaignDraft>;
