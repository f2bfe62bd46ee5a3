/**
 * Wallets (docs/wallets.md): addresses checked against the BIP 173 and BIP 350 test vectors;
 * common-input ownership joins the addresses spent together and links the accounts that paid
 * from one wallet, with the transactions as proof; a CoinJoin-shaped transaction joins nothing;
 * an address with a typo is listed, never clustered.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { rows } from '../../test/analysis-case.ts';
import { withPeopleCase, W } from '../../test/people-case.ts';
import { typo } from '../synth/btc.ts';
import { checkAddress } from './address.ts';
import { clusterAddresses } from './cluster.ts';

test('addresses are checked as bitcoin checks them (BIP 173 and BIP 350 vectors)', () => {
  const valid = {
    BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3:
      'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
    bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0:
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2': '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy': '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  };
  for (const [written, canonical] of Object.entries(valid)) {
    const c = checkAddress(written);
    assert.ok(c.valid, written);
    assert.equal(c.canonical, canonical);
  }
  for (const bad of [
    // BIP 173: invalid checksum; BIP 350: a v1+ program with a Bech32 (not Bech32m) checksum
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
    // a test-net address, a mixed-case Bech32, an address of the pattern with no checksum
    'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    'bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
    'bc1qa1',
    '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3',
    typo(W.g1a),
  ])
    assert.equal(checkAddress(bad).valid, false, bad);
});

test('addresses spent together are one wallet, named by its first address', () => {
  const w = clusterAddresses(
    ['d', 'a', 'c', 'b', 'e'],
    [
      ['c', 'd'],
      ['a', 'b'],
      ['b', 'c'],
    ],
  );
  assert.deepEqual(Object.fromEntries(w), { a: 'a', b: 'a', c: 'a', d: 'a', e: 'e' });
});

const pc = withPeopleCase();

test('accounts paying from one wallet are linked with the transactions as proof; CoinJoins are not', async () => {
  const links = await rows<{ account_a: string; account_b: string; type: string; value: string }>(
    pc.caseDir,
    `SELECT account_a, account_b, type, value FROM links WHERE type LIKE 'wallet%' ORDER BY ALL`,
  );
  const wallet = [W.g1a, W.g1b, W.g3a].sort()[0]!;
  assert.deepEqual(links, [
    { account_a: 'g1', account_b: 'g3', type: 'wallet_cluster', value: wallet },
  ]);
  const proof = await rows<{ txid: string }>(
    pc.caseDir,
    `SELECT txid FROM wallet_transactions WHERE wallet = '${wallet}' ORDER BY txid`,
  );
  assert.deepEqual(
    proof.map((p) => p.txid),
    ['ta', 'tb'],
  );
  const shapes = await rows<{ txid: string; coinjoin: boolean }>(
    pc.caseDir,
    'SELECT txid, coinjoin FROM tx_shapes ORDER BY txid',
  );
  assert.deepEqual(
    shapes.map((s) => [s.txid, s.coinjoin]),
    [
      ['cj', true],
      ['ta', false],
      ['tb', false],
      ['tc', false],
    ],
  );
  // u1's coins went into the CoinJoin with g1's: no wallet of theirs is one.
  const [u] = await rows<{ wallet: string }>(
    pc.caseDir,
    `SELECT wallet FROM wallet_addresses WHERE address = '${W.u1a}'`,
  );
  assert.equal(u?.wallet, W.u1a);
});

test('addresses that fail their checksum are listed, and the row that is no input or output quarantined', async () => {
  const bad = await rows<{ address: string; error: string }>(
    pc.caseDir,
    'SELECT address, error FROM btc_addresses WHERE NOT valid ORDER BY address',
  );
  assert.deepEqual(
    bad.map((b) => [b.address, b.error]),
    [typo(W.u1a), typo(W.x[0]!)].sort().map((a) => [a, 'bad checksum']),
  );
  const q = await rows<{ reason: string; detail: string }>(
    pc.caseDir,
    `SELECT q.reason, q.detail FROM quarantine q JOIN files f USING (file_id) WHERE f.kind = 'transactions'`,
  );
  assert.deepEqual(q, [{ reason: 'bad_value', detail: 'io' }]);
});
