/**
 * Bitcoin addresses the synth writes: real P2WPKH (Bech32, BIP 173) addresses of made-up key
 * hashes, so every address passes a checksum, as a seized service's do; and the rare typo'd
 * one, whose checksum fails.
 */
import crypto from 'node:crypto';
import { bech32 } from '@scure/base';

/** A P2WPKH address of the first 20 bytes of SHA-256(seed). */
export function addressOf(seed: string): string {
  const hash = crypto.createHash('sha256').update(seed).digest().subarray(0, 20);
  return bech32.encode('bc', [0, ...bech32.toWords(hash)]);
}

/** The i-th other address of the wallet whose first address is `primary` (i ≥ 1). */
export function walletAddress(primary: string, i: number): string {
  return i === 0 ? primary : addressOf(`${primary}/${i}`);
}

/** How many addresses a wallet has: 1–3, fixed by its first address. */
export function walletSize(primary: string): number {
  return 1 + (crypto.createHash('sha256').update(primary).digest()[0]! % 3);
}

/** The address with one character changed: a typo, which its checksum catches. */
export function typo(address: string): string {
  const i = address.length - 3;
  const c = address[i] === 'q' ? 'p' : 'q';
  return address.slice(0, i) + c + address.slice(i + 1);
}
