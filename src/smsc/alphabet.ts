/**
 * The text in a short message's user data, by its data_coding: GSM 03.38 (one septet per octet,
 * unpacked, as SMPP carries it, with the 0x1B escapes into the extension table), UCS-2
 * big-endian, IA5/ASCII or Latin-1. The GSM tables are written out here from 3GPP TS 23.038
 * rather than taken from the `smpp` package, so that tests of what the package (or Kannel)
 * writes check it against an independent reading.
 */

export type Encoding = 'GSM-7' | 'UCS-2' | 'IA5' | 'Latin-1' | 'binary';

/** TS 23.038 §6.2.1, the default alphabet; 0x1B (the escape, read in
 * decodeGsm) stands as a space for an escape that escapes again (reserved). */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** TS 23.038 §6.2.1.1, the extension table: the octet after 0x1B → its character. */
const EXTENSION = new Map<number, string>([
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]);
const ESC = 0x1b;

/** Unpacked GSM 03.38 septets (one per octet) → text. */
export function decodeGsm(b: Buffer): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    let c = b[i] as number;
    if (c === ESC) {
      const next = b[i + 1];
      // A lone escape at the end shows nothing; an unknown escaped octet shows as its character
      // in the default alphabet, as TS 23.038 tells a phone to do.
      if (next === undefined) break;
      i++;
      const ext = EXTENSION.get(next);
      if (ext !== undefined) {
        out += ext;
        continue;
      }
      c = next;
    }
    out += c < 0x80 ? (BASIC[c] as string) : '\ufffd';
  }
  return out;
}

/** UCS-2 (UTF-16) big-endian → text; a stray odd octet at the end is dropped. */
export function decodeUcs2(b: Buffer): string {
  const n = b.length & ~1;
  const le = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i += 2) {
    le[i] = b[i + 1] as number;
    le[i + 1] = b[i] as number;
  }
  return le.toString('utf16le');
}

/**
 * The alphabet of a data_coding: SMPP 3.4 §5.2.19 for 0x00–0x0F, TS 23.038 §4 coding groups
 * above (general data coding 0x10–0x3F, message class 0xF0–0xFF); anything else is octets.
 */
export function encodingOf(dataCoding: number): Encoding {
  if (dataCoding === 0x00) return 'GSM-7';
  if (dataCoding === 0x01) return 'IA5';
  if (dataCoding === 0x03) return 'Latin-1';
  if (dataCoding === 0x08) return 'UCS-2';
  if (dataCoding >= 0x10 && dataCoding <= 0x3f && !(dataCoding & 0x20)) {
    const alphabet = (dataCoding >> 2) & 0x03;
    return alphabet === 0 ? 'GSM-7' : alphabet === 2 ? 'UCS-2' : 'binary';
  }
  if ((dataCoding & 0xf0) === 0xf0) return dataCoding & 0x04 ? 'binary' : 'GSM-7';
  return 'binary';
}

/** The text of user data in an encoding; octets that are not text are shown as hex. */
export function decodeText(b: Buffer, encoding: Encoding): string {
  switch (encoding) {
    case 'GSM-7':
      return decodeGsm(b);
    case 'UCS-2':
      return decodeUcs2(b);
    case 'IA5':
      return b.toString('ascii');
    case 'Latin-1':
      return b.toString('latin1');
    case 'binary':
      return b.toString('hex');
  }
}
