/**
 * Every error a user can meet, with a stable code, the HTTP status the console and the portal
 * answer it with, and the process exit code the CLI uses. Codes never change meaning once
 * released: scripts and partner tools match on them.
 *
 * HTTP statuses: 400 the request (address, query or form) is not valid; 401 the sign-in
 * failed; 403 not allowed; 404 no such thing; 409 it exists, but its state does not allow
 * this; 429 too many requests; 500 a fault of ours; 503 a service we need is unavailable.
 */
export const ERRORS = {
  USAGE: { http: 400, exit: 2, summary: 'the command line is not valid' },
  CONFIG_INVALID: { http: 400, exit: 2, summary: 'a configuration or mapping file is not valid' },
  EXPORT_NOT_FOUND: { http: 404, exit: 3, summary: 'the seized export folder does not exist' },
  EXPORT_EMPTY: { http: 400, exit: 3, summary: 'the seized export holds no data files' },
  FILE_UNREADABLE: { http: 500, exit: 3, summary: 'a file cannot be read' },
  UNKNOWN_FORMAT: {
    http: 400,
    exit: 4,
    summary: 'a file is in no known format and no mapping covers it',
  },
  TIMEZONE_REQUIRED: {
    http: 400,
    exit: 4,
    summary: 'switch records need the seized server’s time zone',
  },
  TIMEZONE_INVALID: { http: 400, exit: 4, summary: 'the time zone is not a known IANA zone' },
  MISSING_COLUMNS: { http: 400, exit: 4, summary: 'a file lacks columns its format requires' },
  QUARANTINE_THRESHOLD: {
    http: 400,
    exit: 15,
    summary: 'an ingest quarantined more of a file than --max-quarantine allows (all loaded)',
  },
  CASE_NOT_FOUND: { http: 404, exit: 5, summary: 'the case folder holds no case' },
  NOT_ANALYSED: { http: 409, exit: 5, summary: 'the case has not been analysed yet' },
  OUTPUT_EXISTS: { http: 409, exit: 6, summary: 'the output already exists' },
  OPS_OTHER_CASE: {
    http: 500,
    exit: 7,
    summary: 'DATABASE_URL holds the operations store of another case',
  },
  OPS_BUSY: {
    http: 503,
    exit: 7,
    summary: 'the case’s embedded operations store is open in another process',
  },
  OPS_UNREACHABLE: { http: 503, exit: 7, summary: 'the operations database cannot be reached' },
  USER_EXISTS: { http: 409, exit: 8, summary: 'a user with that name exists' },
  USER_NOT_FOUND: { http: 404, exit: 8, summary: 'no such user' },
  ENROLMENT_INVALID: {
    http: 400,
    exit: 8,
    summary: 'the enrolment secret is wrong, used or expired',
  },
  PASSWORD_WEAK: { http: 400, exit: 8, summary: 'the password is too short or too common' },
  TOTP_INVALID: { http: 400, exit: 8, summary: 'the one-time code is wrong' },
  LOGIN_FAILED: { http: 401, exit: 8, summary: 'the name, password or one-time code is wrong' },
  PORT_IN_USE: { http: 500, exit: 11, summary: 'the port is in use by another program' },
  FORBIDDEN: { http: 403, exit: 9, summary: 'the role does not allow this' },
  REASON_REQUIRED: { http: 400, exit: 9, summary: 'this action needs a reason for the audit log' },
  AUDIT_BROKEN: {
    http: 500,
    exit: 10,
    summary: 'the audit log does not verify (its hash chain, or against a checkpoint)',
  },
  NOTE_INVALID: {
    http: 400,
    exit: 10,
    summary: 'a signed note, checkpoint or proof is malformed or its signature does not verify',
  },
  KEY_INVALID: { http: 400, exit: 2, summary: 'a verifier key is not valid' },
  CAMPAIGN_INVALID: { http: 400, exit: 12, summary: 'the campaign is not valid' },
  CAMPAIGN_NOT_FOUND: { http: 404, exit: 12, summary: 'no such campaign' },
  CAMPAIGN_STATE: {
    http: 409,
    exit: 12,
    summary: 'the campaign is not in a state that allows this',
  },
  CAMPAIGN_NOT_APPROVED: {
    http: 409,
    exit: 12,
    summary: 'the campaign is not approved (or changed since)',
  },
  FOUR_EYES: {
    http: 403,
    exit: 12,
    summary: 'a campaign is approved by a supervisor who did not draft it',
  },
  TEMPLATE_UNSAFE: {
    http: 400,
    exit: 12,
    summary: 'the message template breaks the message-safety rules',
  },
  OUTSIDE_WINDOW: { http: 409, exit: 12, summary: 'the campaign’s window is closed' },
  MESSAGES_UNCONFIRMED: {
    http: 409,
    exit: 17,
    summary: 'messages the gateway took never got a final receipt (unconfirmed)',
  },
  GATEWAY_REFUSED: {
    http: 403,
    exit: 13,
    summary: 'the gateway may not carry this case (synthetic data)',
  },
  GATEWAY_UNREACHABLE: { http: 503, exit: 13, summary: 'the SMS gateway cannot be reached' },
  REPORT_NOT_FOUND: { http: 404, exit: 14, summary: 'no such victim report' },
  REPORT_SENT: { http: 409, exit: 14, summary: 'the report has been sent and cannot be changed' },
  REPORT_INCOMPLETE: {
    http: 400,
    exit: 14,
    summary: 'the report lacks answers it needs before sending',
  },
  EVIDENCE_REFUSED: { http: 400, exit: 14, summary: 'an evidence file was refused' },
  REVIEW_INVALID: {
    http: 400,
    exit: 16,
    summary: 'a confirmed reading is not one of the flagged victim’s readings',
  },
  TEXT_UNSAFE: {
    http: 400,
    exit: 12,
    summary: 'a text or the force’s name holds markup or control characters',
  },
  // Evidence packages for partners (docs/package.md).
  PARTNER_NOT_FOUND: { http: 404, exit: 19, summary: 'no partner is registered for the country' },
  PACKAGE_NOT_FOUND: { http: 404, exit: 19, summary: 'no such evidence package' },
  PACKAGE_NOT_APPROVED: {
    http: 409,
    exit: 19,
    summary: 'the package has not been approved by a second person',
  },
  PACKAGE_INVALID: {
    http: 400,
    exit: 20,
    summary: 'the package does not verify: a file, the manifest, its signature or a proof',
  },
  // Refusals of a web request (the console and the portal), before any domain rule is met.
  REQUEST_INVALID: { http: 400, exit: 18, summary: 'the address, query or form is not valid' },
  CSRF_INVALID: {
    http: 403,
    exit: 18,
    summary: 'the form’s anti-forgery token is missing or stale',
  },
  NOT_FOUND: { http: 404, exit: 18, summary: 'there is nothing at this address' },
  CONFLICT: { http: 409, exit: 18, summary: 'the request conflicts with the current state' },
  RATE_LIMITED: { http: 429, exit: 18, summary: 'too many requests: wait and try again' },
  INTERNAL: { http: 500, exit: 70, summary: 'an unexpected internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** The HTTP status a code is answered with (the table above). */
export const httpStatus = (code: ErrorCode): number => ERRORS[code].http;

export class UnspoofError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnspoofError';
    this.code = code;
    this.exitCode = ERRORS[code].exit;
  }
}

export function isUnspoofError(e: unknown): e is UnspoofError {
  return e instanceof UnspoofError;
}
