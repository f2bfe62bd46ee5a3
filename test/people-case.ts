/**
 * A small seized export for what turns accounts into people (docs/money.md,
 * docs/ip-intelligence.md, docs/wallets.md, docs/jurisdiction.md, docs/requests.md), where every
 * figure is known. Addresses are real ones whose country and network the pinned offline
 * databases give (86.1.2.3: GB, Virgin Media; 82.76.1.1: RO; 2a02:c7f:1234::1: GB, Sky;
 * 51.140.0.10: GB, Microsoft, on the hosting list; 5.2.64.1 on the VPN list; 185.220.101.1 a
 * Tor exit). Bitcoin addresses are valid ones of made-up keys (synth/btc.ts).
 *
 * - g1 (GB): pays 0.005 BTC with no GBP value on a Sunday (the Friday's rate: £150.00), from a
 *   wallet it shares, through a second transaction, with g3; its wallet is at an exchange.
 * - g3 (GB): pays 0.0033 BTC on a Friday (£99.00): below the £100 line.
 * - g2 (GB): £40 in pounds, and a payment the export valued at £50.
 * - r1 declared GB, logs in from Romania; pays €200 on Easter Monday (the Thursday's rate),
 *   something in XYZ, and a EUR payment with no amount.
 * - u1 (GB) logs in only through a VPN exit; pays in BTC 12 days after the last rate (with a
 *   typo'd address), and in yen, for which there are no rates.
 * - h1 (US) logs in from a server, through Tor, from a private address and from no address:
 *   nothing locates it. It pays £10.
 */
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { analyzeCase } from '../src/analyze/analyze.ts';
import { loadInputs } from '../src/analyze/inputs.ts';
import { ingestExport } from '../src/ingest/ingest.ts';
import { memoryEffects } from '../src/shared/effects.ts';
import { addressOf, typo } from '../src/synth/btc.ts';
import { tempDir, writeExport } from './fixtures.ts';

export const W = {
  g1a: addressOf('g1a'),
  g1b: addressOf('g1b'),
  g2a: addressOf('g2a'),
  g3a: addressOf('g3a'),
  u1a: addressOf('u1a'),
  x: [addressOf('x1'), addressOf('x2'), addressOf('x3')],
  deposit: addressOf('deposit'),
};

const ACCOUNTS = [
  'account_id,username,email,phone,telegram,country,created_at,plan',
  'g1,one,g1@gmail.com,+447400100001,@gone,GB,2021-01-01T00:00:00Z,basic',
  'g2,two,g2@protonmail.com,,,GB,2021-01-01T00:00:00Z,basic',
  'g3,three,g3@example.org,,,GB,2021-01-01T00:00:00Z,basic',
  'r1,four,r1@yahoo.co.uk,+447400100003,,GB,2021-01-01T00:00:00Z,basic',
  'u1,five,u1@outlook.com,+447400100004,,GB,2021-01-01T00:00:00Z,basic',
  'h1,six,h1@example.com,,,US,2021-01-01T00:00:00Z,basic',
].join('\n');

const PAYMENTS = [
  'payment_id,account_id,paid_at,amount_btc,value_gbp,btc_address,txid,plan,amount,currency,processor,ip',
  `p1,g1,2021-02-07T12:00:00Z,0.00500000,,${W.g1a},TA,basic,,,,`,
  `p9,g3,2021-02-05T12:00:00Z,0.00330000,,${W.g3a},tb,basic,,,,`,
  'p6,g2,2021-03-01T12:00:00Z,,,,,basic,40.00,GBP,Stripe,86.1.2.3',
  `p7,g2,2021-03-02T12:00:00Z,0.00200000,50.00,${W.g2a},,basic,,,,`,
  'p2,r1,2021-04-05T12:00:00Z,,,,,basic,200.00,eur,PayPal,82.76.1.1',
  'p3,r1,2021-04-06T12:00:00Z,,,,,basic,50,XYZ,,',
  'p8,r1,2021-04-07T12:00:00Z,,,,,basic,,EUR,,',
  `p4,u1,2021-06-01T12:00:00Z,0.00100000,,${typo(W.u1a)},,basic,,,,`,
  'p5,u1,2021-06-01T12:00:00Z,,,,,basic,1000,JPY,,',
  'p10,h1,2021-05-01T12:00:00Z,,,,,basic,10.00,GBP,,',
].join('\n');

export const RATES = [
  'date,currency,gbp,source',
  '2021-02-05,BTC,30000,test close',
  '2021-04-01,EUR,0.85,test reference',
  '2021-05-20,BTC,40000,test close',
  '2021-02-06,XYZ,1.0,test',
  '2021-02-06,EUR,-1,test',
  '2021-02-30,EUR,0.8,test',
  '2021-02-05,BTC,31000,test again',
].join('\n');

const login = (a: string, at: string, ip: string) =>
  JSON.stringify({ account_id: a, at, ip, user_agent: `agent-${a}` });
const LOGINS = [
  login('g1', '2021-02-01T08:00:00Z', '86.1.2.3'),
  login('g1', '2021-02-02T08:00:00Z', '86.1.2.3'),
  login('g1', '2021-02-03T08:00:00Z', '2a02:c7f:1234::1'),
  login('g1', '2021-02-03T09:00:00Z', '[2A02:C7F:1234:0:0:0:0:1]:443'),
  login('r1', '2021-04-01T08:00:00Z', '82.76.1.1'),
  login('r1', '2021-04-02T08:00:00Z', '82.76.1.1'),
  login('r1', '2021-04-03T08:00:00Z', '::ffff:82.76.1.1'),
  login('u1', '2021-05-01T08:00:00Z', '5.2.64.1'),
  login('u1', '2021-05-02T08:00:00Z', '5.2.64.1'),
  login('h1', '2021-05-01T08:00:00Z', '51.140.0.10'),
  login('h1', '2021-05-02T08:00:00Z', '185.220.101.1'),
  login('h1', '2021-05-03T08:00:00Z', '10.0.0.1'),
  login('h1', '2021-05-04T08:00:00Z', '1.2.3'),
].join('\n');

const TRANSACTIONS = [
  'txid,io,n,address,value_btc,at,entity',
  // g1's payment: two of its addresses spent together; change back to the first.
  `ta,in,0,${W.g1a},0.004,2021-02-07T12:00:00Z,Kraken`,
  `ta,in,1,${W.g1b},0.004,2021-02-07T12:00:00Z,Kraken`,
  `ta,out,0,${W.deposit},0.005,2021-02-07T12:00:00Z,`,
  `ta,out,1,${W.g1a},0.0029,2021-02-07T12:00:00Z,Kraken`,
  // g3's payment spends g3's address with one of g1's: one wallet.
  `TB,in,0,${W.g3a},0.002,2021-02-05T12:00:00Z,`,
  `TB,in,1,${W.g1b},0.002,2021-02-05T12:00:00Z,`,
  `TB,out,0,${W.deposit},0.0033,2021-02-05T12:00:00Z,`,
  // A CoinJoin of g1's, u1's and three strangers' coins: says nothing of one owner.
  `cj,in,0,${W.g1a},0.11,2021-03-01T00:00:00Z,`,
  `cj,in,1,${W.u1a},0.12,2021-03-01T00:00:00Z,`,
  ...W.x.map((x, i) => `cj,in,${i + 2},${x},0.13,2021-03-01T00:00:00Z,`),
  ...[0, 1, 2, 3, 4].map((i) => `cj,out,${i},${addressOf(`mix${i}`)},0.1,2021-03-01T00:00:00Z,`),
  `cj,out,5,${addressOf('mixchange')},0.0123,2021-03-01T00:00:00Z,`,
  // An address with a typo, and a row that is no input or output.
  `tc,in,0,${typo(W.x[0]!)},0.1,2021-03-02T00:00:00Z,`,
  `tc,sideways,1,${W.x[1]},0.1,2021-03-02T00:00:00Z,`,
].join('\n');

export const LISTS = {
  vpn: '# exits\n5.2.64.1\nnot an address\n',
  hosting: '51.140.0.0/16\n2001:db8::/32\n',
  tor: [
    'ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E',
    'Published 2021-05-01 10:12:33',
    'LastStatus 2021-05-01 11:00:00',
    'ExitAddress 185.220.101.1 2021-05-01 11:06:15',
    '',
  ].join('\n'),
};

/** Ingests the export (with rates.csv), loads the lists and transactions, and analyses it. */
export async function peopleCase(): Promise<{ caseDir: string; inputDir: string }> {
  const exportDir = writeExport({
    'accounts.csv': ACCOUNTS,
    'payments.csv': PAYMENTS,
    'logins.jsonl': LOGINS,
    'rates.csv': RATES,
  });
  const inputDir = tempDir('unspoof-intel-');
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(inputDir, name), text);
    return path.join(inputDir, name);
  };
  const caseDir = tempDir('unspoof-case-');
  const fx = memoryEffects();
  await ingestExport({ exportDir, caseDir }, fx);
  await loadInputs(
    caseDir,
    {
      transactions: [file('transactions.csv', TRANSACTIONS)],
      ipList: [
        `vpn=${file('vpn.txt', LISTS.vpn)}`,
        `hosting=${file('hosting.txt', LISTS.hosting)}`,
        `tor=${file('exit-addresses', LISTS.tor)}`,
      ],
    },
    fx,
  );
  await analyzeCase(caseDir, fx);
  fs.rmSync(exportDir, { recursive: true, force: true });
  return { caseDir, inputDir };
}

/** The case, built before a test file's tests and removed after them. */
export function withPeopleCase(): { caseDir: string; inputDir: string } {
  const c = { caseDir: '', inputDir: '' };
  before(async () => Object.assign(c, await peopleCase()));
  after(() => {
    for (const d of [c.caseDir, c.inputDir]) fs.rmSync(d, { recursive: true, force: true });
  });
  return c;
}
