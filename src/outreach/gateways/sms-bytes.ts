/**
 * A text's bytes for submit_sm, exactly as the `smpp` package writes them — GSM 03.38 (one byte
 * per character, the extension characters escaped) when every character is in that alphabet,
 * else UCS-2 big-endian — from lookup tables built once from the package's own GSM tables. The
 * package rebuilds its tables and a regular expression for every message it encodes, which was
 * an eighth of a dispatcher's work at thousands of messages a second; handing it the bytes
 * skips that (sms-bytes.test.ts holds both to the same bytes).
 */
import smpp from 'smpp';

const ESC = 0x1b;
const { chars, extChars, escChars } = smpp.gsmCoder.GSM;

/** Character code → its byte (< 256), or ESC << 8 | byte for an extension character. */
const TABLE = new Map<number, number>();
for (let i = 0; i < chars.length; i++) TABLE.set(chars.charCodeAt(i), i);
// As the package does: an extension character wins over the basic table, and the last pair of
// a character repeated in the list wins (its backslash is listed twice).
for (let i = 0; i < extChars.length; i++) {
  const byte = TABLE.get(escChars.charCodeAt(i));
  if (byte !== undefined && byte <= 0xff) TABLE.set(extChars.charCodeAt(i), (ESC << 8) | byte);
}

export interface SmsBytes {
  /** 0x00 (the SMS centre's default alphabet, GSM 03.38) or 0x08 (UCS-2). */
  dataCoding: 0x00 | 0x08;
  bytes: Buffer;
}

export function smsBytes(text: string): SmsBytes {
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const b = TABLE.get(text.charCodeAt(i));
    if (b === undefined) {
      return { dataCoding: 0x08, bytes: Buffer.from(text, 'utf16le').swap16() };
    }
    if (b > 0xff) out[n++] = ESC;
    out[n++] = b & 0xff;
  }
  return { dataCoding: 0x00, bytes: out.subarray(0, n) };
}
