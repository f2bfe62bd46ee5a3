/**
 * The canonical record kinds of a seized export and their columns (docs/seized-export.md,
 * "Canonical files").
 * Required columns must be present in a file's layout; optional ones may be absent.
 */
export const KINDS = {
  accounts: {
    required: ['account_id'],
    optional: ['username', 'email', 'phone', 'telegram', 'country', 'created_at', 'plan'],
  },
  calls: {
    required: ['call_id', 'dialed_number', 'started_at'],
    optional: [
      // Without one, a call is the export's unknown account's (docs/switch-records.md §3).
      'account_id',
      'presented_number',
      'route',
      'answered_at',
      'ended_at',
      'duration',
      'billsec',
      'disposition',
      // The dial string (Asterisk `lastdata` of a Dial) and a leg's order within its call
      // (docs/switch-records.md §1, §7).
      'dial_string',
      'leg_sequence',
      // The callee's channel (Asterisk dstchannel): an answer without one was the switch's own
      // (an IVR, Congestion, Hangup), not the callee's (docs/switch-records.md §2).
      'peer_channel',
    ],
  },
  payments: {
    required: ['payment_id', 'account_id', 'paid_at'],
    optional: ['amount_btc', 'value_gbp', 'btc_address', 'txid', 'plan'],
  },
  logins: { required: ['account_id', 'at'], optional: ['ip', 'user_agent'] },
  captures: { required: ['call_id', 'captured_at', 'kind'], optional: [] },
  brands: { required: ['number', 'brand'], optional: ['country', 'inbound_only'] },
} as const;

export type Kind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** Load order: what a row refers to is loaded before it (calls need accounts, …). */
export const LOAD_ORDER: Kind[] = ['brands', 'accounts', 'calls', 'payments', 'logins', 'captures'];

export function columnsOf(kind: Kind): readonly string[] {
  return [...KINDS[kind].required, ...KINDS[kind].optional];
}

export function isKind(s: string): s is Kind {
  return s in KINDS;
}
