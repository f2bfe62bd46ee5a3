/**
 * intel/transactions.csv: the block-explorer export of the payments' transactions and the
 * wallets' other spends (docs/wallets.md), one row per input (`in`) or output (`out`):
 * - each bitcoin payment spends one address of the payer's wallet, pays the service's deposit
 *   address and sends its change to another address of the same wallet;
 * - each wallet of two or more addresses consolidates them once (all its addresses in one
 *   spend), so common-input ownership can find the whole wallet;
 * - CoinJoins (five wallets of unrelated accounts, five equal outputs and five change outputs)
 *   join coins of different people: the heuristic must leave them out;
 * - a few wallets are held at an exchange, which the explorer names on their rows (`entity`).
 * truth/wallets.csv maps every address spent from to its wallet (named by its first address).
 */
import { addressOf, walletAddress, walletSize } from './btc.ts';
import { Rng } from './rng.ts';
import { csvLine, LineWriter } from './writers.ts';

export const TRANSACTIONS_HEADER = 'txid,io,n,address,value_btc,at,entity';
const EXCHANGES = ['Binance', 'Coinbase', 'Kraken'];

export interface PaymentTx {
  txid: string;
  primary: string;
  from: string;
  btc: string;
  at: string;
  deposit: string;
}

export class Transactions {
  private readonly r: Rng;
  /** Spent address → its wallet. */
  readonly walletOf = new Map<string, string>();
  private readonly consolidated = new Set<string>();
  private readonly entity = new Map<string, string>();
  private readonly wallets: string[] = [];
  private readonly owner = new Map<string, number>();
  private mixes = 0;

  constructor(
    seed: number,
    private readonly w: LineWriter,
  ) {
    this.r = new Rng(seed, 'transactions');
  }

  async open(): Promise<void> {
    await this.w.add(TRANSACTIONS_HEADER);
  }

  private entityOf(primary: string): string {
    let e = this.entity.get(primary);
    if (e === undefined) {
      e = this.r.chance(0.08) ? this.r.pick(EXCHANGES) : '';
      this.entity.set(primary, e);
    }
    return e;
  }

  private async row(
    txid: string,
    io: 'in' | 'out',
    n: number,
    address: string,
    btc: string,
    at: string,
    entity = '',
  ) {
    const wallet = io === 'in' ? this.addressWallet.get(address) : undefined;
    if (wallet) this.walletOf.set(address, wallet);
    await this.w.add(csvLine([txid, io, String(n), address, btc, at, entity]));
  }

  /** Every address of every wallet seen → the wallet. */
  private readonly addressWallet = new Map<string, string>();

  private txid(): string {
    return this.r.chars('0123456789abcdef', 64);
  }

  /** A payment from `from` (an address of wallet `primary`), and the wallet's consolidation. */
  async payment(p: PaymentTx, account: number): Promise<void> {
    const size = walletSize(p.primary);
    for (let i = 0; i < size; i++) this.addressWallet.set(walletAddress(p.primary, i), p.primary);
    const entity = this.entityOf(p.primary);
    if (!this.owner.has(p.primary)) {
      this.owner.set(p.primary, account);
      this.wallets.push(p.primary);
    }
    const paid = Number(p.btc);
    const input = (paid + 0.001 + this.r.float() * 0.01).toFixed(8);
    const change = (Number(input) - paid - 0.0001).toFixed(8);
    await this.row(p.txid, 'in', 0, p.from, input, p.at, entity);
    await this.row(p.txid, 'out', 0, addressOf(`deposit/${p.deposit}`), p.btc, p.at);
    const back = walletAddress(p.primary, walletSize(p.primary) > 1 ? 1 : 0);
    await this.row(p.txid, 'out', 1, back, change, p.at, entity);
    if (size > 1 && !this.consolidated.has(p.primary)) {
      this.consolidated.add(p.primary);
      const txid = this.txid();
      for (let i = 0; i < size; i++) {
        await this.row(txid, 'in', i, walletAddress(p.primary, i), '0.00500000', p.at, entity);
      }
      await this.row(
        txid,
        'out',
        0,
        addressOf(`cold/${p.primary}`),
        `${(0.005 * size - 0.0001).toFixed(8)}`,
        p.at,
      );
    }
    if (this.wallets.length >= 5 && this.r.chance(0.04)) await this.coinjoin(p.at);
  }

  /** Five wallets of different accounts, five equal outputs, five change outputs. */
  private async coinjoin(at: string): Promise<void> {
    const picked = new Map<number, string>();
    for (let tries = 0; picked.size < 5 && tries < 50; tries++) {
      const wallet = this.r.pick(this.wallets);
      const owner = this.owner.get(wallet) ?? -1;
      if (![...picked.values()].includes(wallet) && !picked.has(owner)) picked.set(owner, wallet);
    }
    if (picked.size < 5) return;
    const txid = this.txid();
    const mix = ++this.mixes;
    let n = 0;
    for (const wallet of picked.values()) {
      const address = walletAddress(wallet, this.r.int(0, walletSize(wallet) - 1));
      await this.row(
        txid,
        'in',
        n++,
        address,
        (0.05 + this.r.float() * 0.02).toFixed(8),
        at,
        this.entityOf(wallet),
      );
    }
    n = 0;
    for (let j = 0; j < 5; j++)
      await this.row(txid, 'out', n++, addressOf(`mix/${mix}/${j}`), '0.05000000', at);
    for (let j = 0; j < 5; j++) {
      await this.row(
        txid,
        'out',
        n++,
        addressOf(`mixchange/${mix}/${j}`),
        (this.r.float() * 0.019).toFixed(8),
        at,
      );
    }
  }

  /** truth/wallets.csv: every address spent from, and its wallet. */
  async writeTruth(file: string): Promise<void> {
    const t = new LineWriter(file);
    t.line('address,wallet');
    for (const [address, wallet] of [...this.walletOf].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (t.line(`${address},${wallet}`)) await t.flush();
    }
    await t.close();
  }
}
