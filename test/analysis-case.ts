/**
 * A small hand-written seized export for the analysis rules (docs/analysis.md), where every figure
 * is known: one victim of each tier, a registered phone, the real bank, an IVR extension, links
 * through a handle, an email and an IP within the window, a VPN exit that is infrastructure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzeCase } from '../src/analyze/analyze.ts';
import { openCase, queryRows } from '../src/case/store.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { tempDir, writeExport } from './fixtures.ts';

const ACCOUNTS = [
  'account_id,username,email,phone,telegram,country,created_at,plan',
  'a1,one,a1@example.org,+447400100001,@crewA,GB,2021-01-01T00:00:00Z,basic',
  'a2,two,a2@example.org,+447400100002,@CrewA,GB,2021-01-01T00:00:00Z,basic',
  'a3,three,shared@example.org,,,US,2021-01-01T00:00:00Z,basic',
  'a4,four,Shared@Example.org,,,GB,2021-01-01T00:00:00Z,basic',
  'a5,five,a5@example.org,,,GB,2021-01-01T00:00:00Z,basic',
  'a6,six,a6@example.org,,,NL,2021-01-01T00:00:00Z,basic',
].join('\n');

const BARCLAYS = '+443457345345';
const CALLS = [
  'call_id,account_id,presented_number,dialed_number,route,started_at,answered_at,ended_at,billsec,disposition',
  // harmed: a capture on this call (120 s)
  `c1,a1,${BARCLAYS},07400 200001,out-gb,2021-03-01T10:00:00Z,2021-03-01T10:00:05Z,2021-03-01T10:02:05Z,120,ANSWERED`,
  // likely: exactly 60 s
  `c2,a1,${BARCLAYS},+44 7400 200002,,2021-03-02T10:00:00Z,2021-03-02T10:00:05Z,2021-03-02T10:01:05Z,60,ANSWERED`,
  // contacted: 59 s, and a second unanswered call from another account
  `c3,a2,anonymous,07400 200003,out-gb,2021-03-03T10:00:00Z,2021-03-03T10:00:05Z,2021-03-03T10:01:04Z,59,ANSWERED`,
  `c4,a4,anonymous,0044 7400 200003,,2021-03-04T10:00:00Z,,2021-03-04T10:00:30Z,0,NO ANSWER`,
  // attempted: never answered (national US number, resolved by the route)
  `c5,a3,anonymous,(212) 555-0100,out-us,2021-03-05T10:00:00Z,,2021-03-05T10:00:30Z,0,NO ANSWER`,
  // not victims: a registered phone (a lead), the real bank, an IVR extension
  `c6,a2,anonymous,+447400100001,,2021-03-06T10:00:00Z,2021-03-06T10:00:01Z,2021-03-06T10:05:01Z,300,ANSWERED`,
  `c7,a1,anonymous,${BARCLAYS},,2021-03-07T10:00:00Z,2021-03-07T10:00:01Z,2021-03-07T10:03:21Z,200,ANSWERED`,
  `c8,a1,anonymous,1001,gb,2021-03-08T10:00:00Z,2021-03-08T10:00:01Z,2021-03-08T10:01:41Z,100,ANSWERED`,
].join('\n');

const PAYMENTS = [
  'payment_id,account_id,paid_at,amount_btc,value_gbp,btc_address,txid,plan',
  'p1,a1,2021-02-01T00:00:00Z,0.00300000,150.00,bc1qa1,t1,basic',
  'p2,a2,2021-02-01T00:00:00Z,0.00100000,50.00,bc1qa2,t2,basic',
  'p3,a4,2021-02-01T00:00:00Z,0.00200000,100.00,bc1qa4,t3,basic',
  'p4,a6,2021-02-01T00:00:00Z,0.01000000,500.00,bc1qa6,t4,basic',
].join('\n');

const login = (a: string, at: string, ip: string) =>
  JSON.stringify({ account_id: a, at, ip, user_agent: `agent-${a}` });
const LOGINS = [
  // a VPN exit used by four accounts: infrastructure at the threshold of 3
  ...['a3', 'a4', 'a5', 'a6'].map((a) => login(a, '2021-03-01T12:00:00Z', '198.51.100.9')),
  // the same home IP within two hours: a link
  login('a4', '2021-03-02T08:00:00Z', '203.0.113.7'),
  login('a5', '2021-03-02T10:00:00Z', '203.0.113.7'),
  // the same IP three days apart: no link
  login('a5', '2021-03-01T08:00:00Z', '203.0.113.5'),
  login('a6', '2021-03-04T08:00:00Z', '203.0.113.5'),
].join('\n');

const CAPTURES = 'call_id,captured_at,kind\nc1,2021-03-01T10:01:00Z,otp\n';

export async function analysedCase(settings?: object) {
  const exportDir = writeExport({
    'accounts.csv': ACCOUNTS,
    'calls.csv': CALLS,
    'payments.csv': PAYMENTS,
    'logins.jsonl': LOGINS,
    'captures.csv': CAPTURES,
  });
  const caseDir = tempDir('unspoof-case-');
  await ingestExport({ exportDir, caseDir }, memoryEffects());
  fs.writeFileSync(
    path.join(caseDir, 'case.json'),
    JSON.stringify({ infrastructure_accounts: 3, ...settings }),
  );
  const summary = await analyzeCase(caseDir, memoryEffects());
  return { caseDir, summary };
}

export async function rows<T>(caseDir: string, sql: string): Promise<T[]> {
  const store = await openCase(caseDir);
  try {
    return (await queryRows(store.conn, sql)) as T[];
  } finally {
    store.close();
  }
}
