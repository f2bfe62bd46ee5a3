/**
 * A small made-up slice (NL) for the partner-format writers' tests (src/package/misp.test.ts,
 * ftm.test.ts): three suspects, four payments, two crews and two links, one of them to another
 * country's account that the slice names only by its pseudonym. `FOREIGN` is what that
 * pseudonym stands for: never in the slice, so never in anything written from it.
 */
import type { SliceData } from '../src/package/slice-types.ts';

/** The GB account behind `p-3f2a9c0d1e2b4a5c6d7e`: must appear in no partner format. */
export const FOREIGN = {
  account_id: 'acct-gb-417',
  username: 'londoncaller',
  email: 'lc@example.co.uk',
  phone: '+447700900417',
} as const;

export const FOREIGN_PSEUDONYM = 'p-3f2a9c0d1e2b4a5c6d7e';

const WALLET_1 = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
const WALLET_2 = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

export function formatsFixture(): SliceData {
  return {
    caseId: 'case-test-0001',
    country: 'NL',
    partner: 'Politie NL (test)',
    packageId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    created: '2026-03-12T09:30:00.000Z',
    suspects: [
      {
        account_id: 'acct-001',
        username: 'dutchcaller',
        email: 'dc@example.nl',
        phone: '+31612345678',
        telegram: '@dc_tg',
        declared_country: 'NL',
        jurisdiction_basis: 'declared',
        jurisdiction_strength: 'weak',
        created_at: '2025-01-05T10:00:00.000Z',
        plan: 'gold',
        score: 87,
        priority: 'victims>=50;captures',
        calls: 1200,
        victims: 340,
        ips: ['192.0.2.10', '198.51.100.7'],
      },
      {
        account_id: 'acct-002',
        username: 'nlspoof',
        email: 'nl2@example.nl',
        phone: '+31687654321',
        telegram: null,
        declared_country: 'NL',
        jurisdiction_basis: 'declared',
        jurisdiction_strength: 'weak',
        created_at: '2025-02-01T08:15:00.000Z',
        plan: 'silver',
        score: 55,
        priority: '',
        calls: 410,
        victims: 95,
        ips: ['192.0.2.10', '2001:db8::5'],
      },
      {
        account_id: 'acct-003',
        username: null,
        email: null,
        phone: null,
        telegram: '@ams3',
        declared_country: 'NL',
        jurisdiction_basis: 'declared',
        jurisdiction_strength: 'weak',
        created_at: null,
        plan: null,
        score: 12,
        priority: '',
        calls: 30,
        victims: 4,
        ips: ['203.0.113.9'],
      },
    ],
    payments: [
      {
        payment_id: 'pay-0001',
        account_id: 'acct-001',
        paid_at: '2025-01-05T10:30:00.000Z',
        amount_btc: '0.00312000',
        value_gbp: '150.00',
        btc_address: WALLET_1,
        txid: 'a1'.repeat(32),
      },
      {
        payment_id: 'pay-0002',
        account_id: 'acct-001',
        paid_at: '2025-02-05T11:00:00.000Z',
        amount_btc: '0.00290000',
        value_gbp: '150.00',
        btc_address: WALLET_1,
        txid: 'b2'.repeat(32),
      },
      {
        payment_id: 'pay-0003',
        account_id: 'acct-002',
        paid_at: '2025-02-10T12:00:00.000Z',
        amount_btc: '0.00150000',
        value_gbp: '75.00',
        btc_address: WALLET_2,
        txid: 'c3'.repeat(32),
      },
      {
        payment_id: 'pay-0004',
        account_id: 'acct-003',
        paid_at: '2025-03-01T09:45:00.000Z',
        amount_btc: '0.00148000',
        value_gbp: '75.00',
        btc_address: WALLET_2,
        txid: 'd4'.repeat(32),
      },
    ],
    crews: [
      { crew_id: 'crew-7', account_id: 'acct-002', crew_size: 2 },
      { crew_id: 'crew-7', account_id: 'acct-003', crew_size: 2 },
      { crew_id: 'crew-9', account_id: 'acct-001', crew_size: 2 },
    ],
    links: [
      {
        account_a: 'acct-001',
        account_b: FOREIGN_PSEUDONYM,
        other_country: 'GB',
        type: 'phone',
        value: '+31612345678',
        first_seen: '2025-01-05T10:00:00.000Z',
        last_seen: '2025-04-20T18:00:00.000Z',
      },
      {
        account_a: 'acct-002',
        account_b: 'acct-003',
        other_country: null,
        type: 'wallet',
        value: WALLET_2,
        first_seen: '2025-02-10T12:00:00.000Z',
        last_seen: '2025-03-01T09:45:00.000Z',
      },
    ],
    files: [
      {
        file_id: 1,
        name: 'accounts.csv',
        kind: 'accounts',
        sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        bytes: 1024,
        rows_loaded: 3,
        rows_quarantined: 0,
        ingested_at: '2026-03-01T08:00:00.000Z',
      },
    ],
    steps: [
      {
        entry: 1,
        at: '2026-03-01T08:00:00.000Z',
        actor: 'analyst',
        action: 'ingest',
        target: null,
        detail: { files: 1 },
      },
    ],
    counts: { victims: 120, calls: 1640, reports: 3 },
  };
}
