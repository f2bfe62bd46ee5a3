/**
 * A small, wholly made-up slice of a case for one partner country (NL), as the partner-format
 * writers (CASE/UCO, MISP, FollowTheMoney) are given it: three suspects, their payments, a crew,
 * links (one to another country's account, by pseudonym), three seized files and the audit
 * steps that made the package. Its package id and creation time are constants, so what is
 * written from it can be compared with golden files. Numbers are unallocated-looking, addresses
 * are documentation ranges (RFC 5737) and example.org.
 */
import type { SliceData } from '../src/package/slice-types.ts';

export const FIXTURE_PACKAGE_ID = '3f9d2c64-8a1e-4b7f-9c25-6d0e1a4b7c83';
export const FIXTURE_CREATED = '2026-12-07T10:00:00.000Z';

const SHA_ACCOUNTS = '8dfd7ee93ab34a7d8f2297f4435274719082f0a930051df04d09535a7e787179';
const SHA_CALLS = '0fc2a478fad2fa1edb7878e4779d3f6c146aeeb3e52d9380b1dad54432785f79';
const SHA_PAYMENTS = '3123bcdba90b0efdbd547dd383b7a50610b8428fd7e2823034d8f0a7b5349af7';

export function sliceFixture(): SliceData {
  return {
    caseId: '7d1e4b2a-0c93-4f5e-b8a6-2e9f1c3d5a70',
    country: 'NL',
    partner: 'Politie NL (test)',
    packageId: FIXTURE_PACKAGE_ID,
    created: FIXTURE_CREATED,
    suspects: [
      {
        account_id: 'acct-001',
        username: 'tulip_caller',
        email: 'tulip@example.org',
        phone: '+31600000001',
        telegram: '@tulip_test',
        declared_country: 'NL',
        jurisdiction_basis: 'declared',
        jurisdiction_strength: 'weak',
        created_at: '2025-01-10T08:00:00.000Z',
        plan: 'pro',
        score: 92,
        priority: 'bank_spoof;high_volume',
        calls: 1840,
        victims: 312,
        ips: ['192.0.2.10', '198.51.100.7'],
      },
      {
        account_id: 'acct-002',
        username: 'windmill',
        email: 'windmill@example.org',
        phone: null,
        telegram: null,
        declared_country: 'NL',
        jurisdiction_basis: 'declared',
        jurisdiction_strength: 'weak',
        created_at: '2025-02-03T12:30:00.000Z',
        plan: 'basic',
        score: 41,
        priority: '',
        calls: 95,
        victims: 12,
        ips: ['192.0.2.10'],
      },
      {
        account_id: 'acct-003',
        username: null,
        email: 'canal@example.org',
        phone: '+31600000003',
        telegram: null,
        declared_country: 'NL',
        jurisdiction_basis: 'declared',
        jurisdiction_strength: 'weak',
        created_at: null,
        plan: null,
        score: 12,
        priority: '',
        calls: 3,
        victims: 0,
        ips: [],
      },
    ],
    payments: [
      {
        payment_id: 'pay-001',
        account_id: 'acct-001',
        paid_at: '2025-01-11T09:15:00.000Z',
        amount_btc: '0.01500000',
        value_gbp: '412.50',
        btc_address: 'bc1qtest0000000000000000000000000000fixture1',
        txid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
      },
      {
        payment_id: 'pay-002',
        account_id: 'acct-002',
        paid_at: '2025-02-04T17:40:00.000Z',
        amount_btc: null,
        value_gbp: '50.00',
        btc_address: null,
        txid: null,
      },
    ],
    crews: [
      { crew_id: 'crew-001', account_id: 'acct-001', crew_size: 3 },
      { crew_id: 'crew-001', account_id: 'acct-002', crew_size: 3 },
    ],
    links: [
      {
        account_a: 'acct-001',
        account_b: 'acct-002',
        other_country: null,
        type: 'ip',
        value: '192.0.2.10',
        first_seen: '2025-02-03T12:31:00.000Z',
        last_seen: '2025-06-30T22:05:00.000Z',
      },
      {
        account_a: 'acct-001',
        account_b: 'p-5e0c9a71',
        other_country: 'BE',
        type: 'btc_address',
        value: 'bc1qtest0000000000000000000000000000fixture1',
        first_seen: '2025-01-11T09:15:00.000Z',
        last_seen: null,
      },
    ],
    files: [
      {
        file_id: 1,
        name: 'accounts.csv',
        kind: 'accounts',
        sha256: SHA_ACCOUNTS,
        bytes: 48213,
        rows_loaded: 412,
        rows_quarantined: 0,
        ingested_at: '2026-11-30T09:02:11.000Z',
      },
      {
        file_id: 2,
        name: 'calls.csv',
        kind: 'calls',
        sha256: SHA_CALLS,
        bytes: 9127734,
        rows_loaded: 88120,
        rows_quarantined: 37,
        ingested_at: '2026-11-30T09:02:11.000Z',
      },
      {
        file_id: 3,
        name: 'payments.csv',
        kind: 'payments',
        sha256: SHA_PAYMENTS,
        bytes: 20480,
        rows_loaded: 230,
        rows_quarantined: 1,
        ingested_at: '2026-11-30T09:02:11.000Z',
      },
    ],
    steps: [
      {
        entry: 3,
        at: '2026-11-30T09:02:11.000Z',
        actor: 'cli:analyst',
        action: 'ingest',
        target: 'case',
        detail: {
          export: 'seized-export',
          files: [
            { file: 'accounts.csv', sha256: SHA_ACCOUNTS, kind: 'accounts', rows: 412 },
            { file: 'calls.csv', sha256: SHA_CALLS, kind: 'calls', rows: 88157 },
            { file: 'payments.csv', sha256: SHA_PAYMENTS, kind: 'payments', rows: 231 },
          ],
        },
      },
      {
        entry: 4,
        at: '2026-11-30T09:10:45.500Z',
        actor: 'cli:analyst',
        action: 'analysis',
        target: 'case',
        detail: { suspects: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      },
      {
        entry: 21,
        at: '2026-12-06T14:00:00.000Z',
        actor: 'ana',
        action: 'package_request',
        target: 'package:1',
        detail: { country: 'NL', partner: 'Politie NL (test)', partner_version: 1 },
      },
      {
        entry: 22,
        at: '2026-12-07T09:30:00.000Z',
        actor: 'bert',
        action: 'package_approve',
        target: 'package:1',
        detail: { country: 'NL' },
      },
      {
        entry: 23,
        at: '2026-12-07T09:59:58.000Z',
        actor: 'bert',
        action: 'package_build',
        target: 'package:1',
        detail: { uuid: FIXTURE_PACKAGE_ID, country: 'NL', partner: 'Politie NL (test)' },
      },
    ],
    counts: { victims: 324, calls: 1938, reports: 5 },
  };
}
