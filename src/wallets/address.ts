/**
 * A bitcoin address, checked as bitcoin itself checks it (docs/wallets.md): Base58Check for
 * P2PKH and P2SH, Bech32 / Bech32m (BIP 173, BIP 350) for SegWit and Taproot, on main net, with
 * `@scure/btc-signer`. A pattern match takes a typo for an address; a checksum does not.
 */
import { Address, NETWORK } from '@scure/btc-signer';

const coder = Address(NETWORK);

export type AddressCheck =
  { valid: true; canonical: string; type: string } | { valid: false; error: string };

export function checkAddress(raw: string): AddressCheck {
  const s = raw.trim();
  try {
    const decoded = coder.decode(s);
    // A Bech32 address written in capitals is the same address in lower case (BIP 173 allows
    // one case or the other, never both: a mixed one fails to decode); Base58 is case-sensitive.
    const canonical = /^bc1/i.test(s) ? s.toLowerCase() : s;
    return { valid: true, canonical, type: decoded.type };
  } catch (e) {
    const text = (e as Error).message;
    return {
      valid: false,
      error: /checksum/i.test(text) ? 'bad checksum' : 'not a main-net address',
    };
  }
}
