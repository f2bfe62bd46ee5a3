/**
 * Every error a user can meet, with a stable code and the process exit code the CLI uses.
 * Codes never change meaning once released: scripts and partner tools match on them.
 */
export const ERRORS = {
  USAGE: { exit: 2, summary: 'the command line is not valid' },
  CONFIG_INVALID: { exit: 2, summary: 'a configuration or mapping file is not valid' },
  EXPORT_NOT_FOUND: { exit: 3, summary: 'the seized export folder does not exist' },
  EXPORT_EMPTY: { exit: 3, summary: 'the seized export holds no data files' },
  FILE_UNREADABLE: { exit: 3, summary: 'a file cannot be read' },
  UNKNOWN_FORMAT: { exit: 4, summary: 'a file is in no known format and no mapping covers it' },
  TIMEZONE_REQUIRED: { exit: 4, summary: 'switch records need the seized server’s time zone' },
  TIMEZONE_INVALID: { exit: 4, summary: 'the time zone is not a known IANA zone' },
  MISSING_COLUMNS: { exit: 4, summary: 'a file lacks columns its format requires' },
  QUARANTINE_THRESHOLD: {
    exit: 15,
    summary: 'an ingest quarantined more of a file than --max-quarantine allows (all loaded)',
  },
  CASE_NOT_FOUND: { exit: 5, summary: 'the case folder holds no case' },
  NOT_ANALYSED: { exit: 5, summary: 'the case has not been analysed yet' },
  OUTPUT_EXISTS: { exit: 6, summary: 'the output already exists' },
  OPS_OTHER_CASE: { exit: 7, summary: 'DATABASE_URL holds the operations store of another case' },
  OPS_BUSY: { exit: 7, summary: 'the case’s embedded operations store is open in another process' },
  OPS_UNREACHABLE: { exit: 7, summary: 'the operations database cannot be reached' },
  USER_EXISTS: { exit: 8, summary: 'a user with that name exists' },
  USER_NOT_FOUND: { exit: 8, summary: 'no such user' },
  ENROLMENT_INVALID: { exit: 8, summary: 'the enrolment secret is wrong, used or expired' },
  PASSWORD_WEAK: { exit: 8, summary: 'the password is too short or too common' },
  TOTP_INVALID: { exit: 8, summary: 'the one-time code is wrong' },
  LOGIN_FAILED: { exit: 8, summary: 'the name, password or one-time code is wrong' },
  PORT_IN_USE: { exit: 11, summary: 'the port is in use by another program' },
  FORBIDDEN: { exit: 9, summary: 'the role does not allow this' },
  REASON_REQUIRED: { exit: 9, summary: 'this action needs a reason for the audit log' },
  AUDIT_BROKEN: { exit: 10, summary: 'the audit log’s hash chain does not verify' },
  CAMPAIGN_INVALID: { exit: 12, summary: 'the campaign is not valid' },
  CAMPAIGN_NOT_FOUND: { exit: 12, summary: 'no such campaign' },
  CAMPAIGN_STATE: { exit: 12, summary: 'the campaign is not in a state that allows this' },
  CAMPAIGN_NOT_APPROVED: { exit: 12, summary: 'the campaign is not approved (or changed since)' },
  FOUR_EYES: { exit: 12, summary: 'a campaign is approved by a supervisor who did not draft it' },
  TEMPLATE_UNSAFE: { exit: 12, summary: 'the message template breaks the message-safety rules' },
  OUTSIDE_WINDOW: { exit: 12, summary: 'the campaign’s window is closed' },
  MESSAGES_UNCONFIRMED: {
    exit: 17,
    summary: 'messages the gateway took never got a final receipt (unconfirmed)',
  },
  GATEWAY_REFUSED: { exit: 13, summary: 'the gateway may not carry this case (synthetic data)' },
  GATEWAY_UNREACHABLE: { exit: 13, summary: 'the SMS gateway cannot be reached' },
  REPORT_NOT_FOUND: { exit: 14, summary: 'no such victim report' },
  REPORT_SENT: { exit: 14, summary: 'the report has been sent and cannot be changed' },
  REPORT_INCOMPLETE: { exit: 14, summary: 'the report lacks answers it needs before sending' },
  EVIDENCE_REFUSED: { exit: 14, summary: 'an evidence file was refused' },
  REVIEW_INVALID: {
    exit: 16,
    summary: 'a confirmed reading is not one of the flagged victim’s readings',
  },
  INTERNAL: { exit: 70, summary: 'an unexpected internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

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
