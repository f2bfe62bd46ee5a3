/**
 * A text as the submit_sm PDUs that carry it (3GPP TS 23.040 §9.2.3.24.1, SMPP 3.4 §5.3.2).
 * GSM 03.38 when every character is in that alphabet (an extension character — € [ ] { } \ ~ ^ |
 * — costs two septets, the escape and itself), else UCS-2. One PDU up to 160 septets or 70
 * UCS-2 characters; beyond that, segments of 153 septets / 67 characters behind an 8-bit
 * concatenation header (152 / 66 with a 16-bit reference), the same sizes with the `sar_*`
 * TLVs (the SMS centre writes the header), or the whole text in one `message_payload` TLV.
 *
 * Over SMPP a GSM-7 text travels one septet per octet; the SMS centre packs it. A segment never
 * ends between an escape and its character, nor between the halves of a UTF-16 surrogate pair.
 */
import { smsBytes } from './sms-bytes.ts';

export const LONG_TEXT_METHODS = ['udh', 'udh16', 'sar', 'payload'] as const;
export type LongTextMethod = (typeof LONG_TEXT_METHODS)[number];

export interface Segment {
  esmClass: number;
  /** The short_message octets (with the concatenation header first for UDH); empty with payload. */
  shortMessage: Buffer;
  /** TLVs, by the `smpp` package's names. */
  tlvs: Record<string, number | Buffer>;
}

export interface Segmented {
  dataCoding: 0x00 | 0x08;
  segments: Segment[];
}

const UDHI = 0x40;
const SINGLE = { 0x00: 160, 0x08: 140 } as const;

/** Octets per segment after the header: GSM septets (one per octet) or UCS-2 bytes. */
function perSegment(dataCoding: 0x00 | 0x08, method: LongTextMethod): number {
  const header = method === 'udh16' ? 7 : 6;
  // 140 octets of user data; a GSM-7 segment holds floor((140 - header) * 8 / 7) septets.
  if (dataCoding === 0x00) return Math.floor(((140 - header) * 8) / 7);
  return (140 - header) & ~1;
}

/** Splits encoded bytes into chunks of at most `size`, never inside an escape or a pair. */
function chunks(bytes: Buffer, dataCoding: 0x00 | 0x08, size: number): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + size, bytes.length);
    if (end < bytes.length) {
      if (dataCoding === 0x00) {
        // An escape (0x1B) as the chunk's last septet would part from its character.
        let escapes = 0;
        for (let i = end - 1; i >= start && bytes[i] === 0x1b; i--) escapes++;
        if (escapes % 2 === 1) end--;
      } else {
        const hi = ((bytes[end - 2] as number) << 8) | (bytes[end - 1] as number);
        if (hi >= 0xd800 && hi <= 0xdbff) end -= 2;
      }
    }
    out.push(bytes.subarray(start, end));
    start = end;
  }
  return out;
}

/**
 * The PDUs for `text`. `ref` is the concatenation reference (the outbox id does: the handset
 * joins segments by sender, reference and count), taken modulo 256 or 65,536.
 */
export function segment(text: string, method: LongTextMethod, ref: number): Segmented {
  const { dataCoding, bytes } = smsBytes(text);
  if (bytes.length <= SINGLE[dataCoding]) {
    return { dataCoding, segments: [{ esmClass: 0, shortMessage: bytes, tlvs: {} }] };
  }
  if (method === 'payload') {
    return {
      dataCoding,
      segments: [{ esmClass: 0, shortMessage: Buffer.alloc(0), tlvs: { message_payload: bytes } }],
    };
  }
  const parts = chunks(bytes, dataCoding, perSegment(dataCoding, method));
  const total = parts.length;
  if (total > 255) throw new RangeError(`a text of ${total} segments cannot be concatenated`);
  const segments = parts.map((part, i): Segment => {
    if (method === 'sar') {
      return {
        esmClass: 0,
        shortMessage: part,
        tlvs: {
          sar_msg_ref_num: ref & 0xffff,
          sar_total_segments: total,
          sar_segment_seqnum: i + 1,
        },
      };
    }
    const header =
      method === 'udh16'
        ? Buffer.from([0x06, 0x08, 0x04, (ref >> 8) & 0xff, ref & 0xff, total, i + 1])
        : Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, i + 1]);
    return { esmClass: UDHI, shortMessage: Buffer.concat([header, part]), tlvs: {} };
  });
  return { dataCoding, segments };
}

/** The fields of each submit_sm that carries message `m` (in the `smpp` package's names). */
export function submitSmFields(
  m: { id: number; number: string; sender: string; text: string },
  method: LongTextMethod,
): Array<Record<string, unknown>> {
  const { dataCoding, segments } = segment(m.text, method, m.id);
  // An alphanumeric sender is TON 5 (alphanumeric), NPI 0; a number is international E.164.
  const alpha = /[^0-9]/.test(m.sender);
  return segments.map((part) => ({
    source_addr_ton: alpha ? 5 : 1,
    source_addr_npi: alpha ? 0 : 1,
    source_addr: m.sender,
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: m.number.replace(/^\+/, ''),
    esm_class: part.esmClass,
    registered_delivery: 1,
    data_coding: dataCoding,
    short_message: part.shortMessage,
    ...part.tlvs,
  }));
}

/** How many PDUs a text takes by `method` (what the campaign's preview and bench count). */
export const segmentCount = (text: string, method: LongTextMethod): number =>
  segment(text, method, 0).segments.length;
