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
    // `amount` of `currency` (ISO 4217 or a crypto asset); `amount_btc` alone is bitcoin; `ip`
    // the address it was paid from (docs/money.md).
    optional: [
      'amount_btc',
      'value_gbp',
      'btc_address',
      'txid',
      'plan',
      'amount',
      'currency',
      'ip',
      'processor',
    ],
  },
  logins: { required: ['account_id', 'at'], optional: ['ip', 'user_agent'] },
  captures: { required: ['call_id', 'captured_at', 'kind'], optional: [] },
  brands: { required: ['number', 'brand'], optional: ['country', 'inbound_only'] },
  // GBP for one unit of a currency on a day (docs/money.md).
  rates: { required: ['date', 'currency', 'gbp'], optional: ['source'] },
  // A block-explorer export: one row per input (`in`) or output (`out`) (docs/wallets.md).
  transactions: {
    required: ['txid', 'io'],
    optional: ['n', 'address', 'value_btc', 'at', 'entity'],
  },
} as const;

export type Kind = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** Load order: what a row refers to is loaded before it (calls need accounts, …). */
export const LOAD_ORDER: Kind[] = [
  'brands',
  'rates',
  'accounts',
  'calls',
  'payments',
  'logins',
  'captures',
  'transactions',
];

export function columnsOf(kind: Kind): readonly string[] {
  return [...KINDS[kind].required, ...KINDS[kind].optional];
}

export function isKind(s: string): s is Kind {
  return s in KINDS;
}
