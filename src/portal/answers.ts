/**
 * What a victim tells us, one question page at a time. Each page has its own schema (what the
 * form posts, validated with zod); the report keeps the answers given so far as one object.
 * A passcode, PIN or password the caller obtained is recorded only as its kind, never its
 * value: the forms never ask for one and the free text warns not to type one.
 */
import { z } from 'zod';

/** What the caller asked for, and what was given: kinds only. */
export const SECRET_KINDS = ['otp', 'pin', 'card', 'banking_login', 'nothing'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export const PAYMENT_METHODS = [
  'bank_transfer',
  'card',
  'cash',
  'gift_cards',
  'crypto',
  'other',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const CONTACT_WAYS = ['phone', 'email', 'none'] as const;

/** A calendar date (YYYY-MM-DD) that is real and not in the future of `today`. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const Transaction = z.object({
  date: IsoDate,
  /** Minor units (pence, cents) of `currency`. */
  amountMinor: z.number().int().positive().max(100_000_000_00),
  currency: z.enum(['GBP', 'EUR', 'USD', 'AUD', 'CAD']),
  /** The account the money went to, as the victim has it (sort code and account, IBAN…). */
  payee: z.string().max(80),
});
export type Transaction = z.infer<typeof Transaction>;

export const Answers = z.object({
  when: z.object({ date: IsoDate, time: z.string().max(5).optional() }).optional(),
  organisation: z.string().min(1).max(120).optional(),
  asked: z.array(z.enum(SECRET_KINDS)).optional(),
  given: z.array(z.enum(SECRET_KINDS)).optional(),
  lostMoney: z.boolean().optional(),
  transactions: z.array(Transaction).max(20).optional(),
  paidBy: z.array(z.enum(PAYMENT_METHODS)).optional(),
  story: z.string().max(5000).optional(),
  contact: z
    .object({
      way: z.enum(CONTACT_WAYS),
      email: z.string().max(254).optional(),
      consent: z.boolean(),
    })
    .optional(),
});
export type Answers = z.infer<typeof Answers>;

/** A report's stored answers (jsonb: an object from pg, text from some drivers), validated. */
export const parseAnswers = (stored: unknown): Answers =>
  Answers.parse(typeof stored === 'string' ? JSON.parse(stored) : stored);

/** One piece of evidence as the report lists it (the bytes live in `report_evidence`). */
export interface EvidenceItem {
  id: number;
  /** The name the victim's device gave the file (shown, never trusted). */
  name: string;
  /** What the content is, by sniffing: image/jpeg, image/png, image/webp, application/pdf. */
  type: string;
  bytes: number;
  sha256: string;
}

/** The calls that reached the victim, as the seized records show them. */
export interface RecordCall {
  /** UTC instant the call started (ISO 8601). */
  at: string;
  connectedSeconds: number;
  /** The number the victim's phone showed (the spoofed caller ID), E.164, or null. */
  shown: string | null;
}

/** Everything a victim's record (PDF and plain text) is made of. */
export interface VictimRecord {
  lang: string;
  forceName: string;
  officialSite: string;
  /** How to reach the investigation (from the case's portal settings). */
  contact: string;
  /** The national reporting route (e.g. "Report Fraud: www.reportfraud.police.uk, 0300 123 2040"). */
  nationalRoute: string;
  crimeReference: string;
  /** When the report was sent (ISO 8601), or null while it is a draft. */
  submittedAt: string | null;
  /** The victim's time zone, for showing call times (IANA). */
  timeZone: string;
  brand: string | null;
  calls: RecordCall[];
  answers: Answers;
  evidence: EvidenceItem[];
}
