/**
 * Per-case settings: `CASE_DIR/case.json`, validated once, every field with a documented default
 * (docs/analysis.md lists them). A missing file means all defaults; a wrong one is an error that
 * names the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UnspoofError } from '../shared/errors.ts';

export const SETTINGS_FILE = 'case.json';

const Rule = z.object({
  /** The jurisdiction that the rule flags for (shown in `priority`). */
  jurisdiction: z.string().min(1),
  /**
   * Only accounts whose user is likely in this country (ISO 3166 alpha-2), by the evidence
   * (docs/jurisdiction.md), not the country typed at sign-up; absent: any country.
   */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  /** Flag accounts that paid at least this much in GBP. */
  min_paid_gbp: z.number().nonnegative().optional(),
  /** Flag accounts with at least this many likely or harmed victims. */
  min_likely_victims: z.number().int().nonnegative().optional(),
});

const Weights = z.object({
  paid_gbp: z.number().nonnegative().default(10),
  calls: z.number().nonnegative().default(5),
  likely_victims: z.number().nonnegative().default(20),
  harmed_victims: z.number().nonnegative().default(40),
  captures: z.number().nonnegative().default(10),
  brands: z.number().nonnegative().default(2),
  peak_calls_per_minute: z.number().nonnegative().default(1),
  linked_accounts: z.number().nonnegative().default(3),
  reported_loss_gbp: z.number().nonnegative().default(10),
});

/** Where victims of each country of iSpoof's footprint report fraud nationally (their own sites). */
const NATIONAL_ROUTES: Record<string, string> = {
  GB: 'Report Fraud: www.reportfraud.police.uk or call 0300 123 2040',
  IE: 'An Garda Síochána: www.garda.ie or your local Garda station',
  NL: 'Politie: www.politie.nl/aangifte, and the Fraudehelpdesk: www.fraudehelpdesk.nl',
  FR: 'Ministère de l’Intérieur: www.internet-signalement.gouv.fr (PHAROS)',
  US: 'Federal Trade Commission: reportfraud.ftc.gov',
  CA: 'Canadian Anti-Fraud Centre: www.antifraudcentre-centreantifraude.ca',
  AU: 'ReportCyber: www.cyber.gov.au/report',
};

/** The victim portal: who the victim is talking to, how to reach them, the guessing alarm. */
const Portal = z
  .object({
    /** The force's own name, shown on every portal page and in the victim's record. */
    force_name: z.string().min(1).max(80).default('Cyber Crime Unit'),
    /** The official site the texts name (plain text, no scheme). */
    official_site: z.string().min(1).max(80).default('police.example'),
    /** How a victim reaches the investigation (shown on the confirmation and in the record). */
    contact: z.string().min(1).max(300).default('Call 101 and give your crime reference.'),
    /** The national reporting route, shown after a report is sent (when the victim's country has none below). */
    national_route: z
      .string()
      .min(1)
      .max(300)
      .default('Report Fraud: www.reportfraud.police.uk or call 0300 123 2040'),
    /** The national reporting route per victim country (ISO 3166 alpha-2), by the number's country. */
    national_routes: z
      .record(z.string().regex(/^[A-Z]{2}$/), z.string().min(1).max(300))
      .default(NATIONAL_ROUTES),
    /** The force's colour for the portal's header and buttons. */
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .default('#1d3b6f'),
    /** Distinct codes failing within an hour that raise the guessing alarm in the console. */
    alarm_codes: z.number().int().min(2).default(50),
  })
  .strict();
export type PortalSettings = z.infer<typeof Portal>;

/** The national reporting route for a victim of `country`. */
export const nationalRoute = (p: PortalSettings, country: string): string =>
  p.national_routes[country] ?? p.national_route;

export const SettingsSchema = z
  .object({
    /** The case's name (e.g. "Operation Nightjar"): the title of its report. */
    name: z.string().trim().min(1).max(120).optional(),
    /**
     * The case's time zone (IANA), in which the console's timeline counts and shows times. By
     * default the zone the seized server's files were in, else UTC.
     */
    time_zone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'not a known IANA time zone')
      .optional(),
    /** Connected seconds (billsec) from which an answered call makes its number `likely`. */
    likely_seconds: z.number().int().positive().default(60),
    /** An identifier used by more accounts than this is infrastructure, not a link. */
    infrastructure_accounts: z.number().int().min(2).default(10),
    /** Two accounts are linked by an IP when both used it within this many hours. */
    ip_window_hours: z.number().positive().default(24),
    /** How many days back a payment's rate may be (a weekend, a holiday) before it is not valued. */
    rate_max_days: z.number().int().min(0).max(31).default(7),
    /** Connected groups larger than this are split into Louvain communities. */
    max_crew_size: z.number().int().min(2).default(50),
    /** Seed of the Louvain split, so a case's crews are the same on every run. */
    louvain_seed: z.number().int().default(1),
    /** Jurisdiction rules that flag priority suspects. */
    priority_rules: z
      .array(Rule)
      .default([{ jurisdiction: 'GB', country: 'GB', min_paid_gbp: 100 }]),
    /** Weights of the suspect score (each applied to log10(1 + component), see docs). */
    score_weights: Weights.default(Weights.parse({})),
    /** The victim portal (`/report`). */
    portal: Portal.default(Portal.parse({})),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;
export type PriorityRule = z.infer<typeof Rule>;

export function readSettings(caseDir: string): Settings {
  const file = path.join(caseDir, SETTINGS_FILE);
  if (!fs.existsSync(file)) return SettingsSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UnspoofError('CONFIG_INVALID', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UnspoofError('CONFIG_INVALID', `${file}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
