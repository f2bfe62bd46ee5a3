/**
 * Crockford's base32 (https://www.crockford.com/base32.html): digits and letters without
 * I, L, O and U, read back forgivingly (I and L as 1, O as 0, case and hyphens ignored), with
 * its mod-37 check symbol. Used for secrets and codes people type.
 */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;

/** `n` symbols from the low 5 bits of `n` bytes. */
export function encodeSymbols(bytes: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[(bytes[i] as number) & 31];
  return s;
}

/** The check symbol of a string of base32 symbols (its value mod 37). */
export function checkSymbol(symbols: string): string {
  let mod = 0;
  for (const ch of symbols) mod = (mod * 32 + ALPHABET.indexOf(ch)) % 37;
  return CHECK_SYMBOLS[mod] as string;
}

/** What a person typed, as canonical symbols: upper case, I/L → 1, O → 0, separators dropped. */
export function normalise(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
    .replace(/[\s\-_.]/g, '');
}

/** Groups symbols for reading: `K7QM-4XD2-9VWB`. */
export const group = (s: string, size = 4): string =>
  (s.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join('-');
