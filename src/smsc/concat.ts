/**
 * Long texts: which part of which message a submit_sm carries, and the message once every part
 * has come. Three ways an ESME sends one (SMPP 3.4 §5.3.2.22–24, §5.3.2.32; TS 23.040 §9.2.3.24):
 * - a user data header (esm_class bit 0x40) with a concatenation element, IEI 0x00 (8-bit
 *   reference) or 0x08 (16-bit reference), in front of each part's text;
 * - the sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs on each part;
 * - the whole text in one message_payload TLV, which the SMS centre splits itself.
 */
import smpp from 'smpp';
import { TAG, type Refusal, type SubmitFields } from './fields.ts';

const E = smpp.errors as Record<string, number>;

export type Method = 'single' | 'udh8' | 'udh16' | 'sar' | 'payload';

export interface Part {
  method: Method;
  /** The concatenation reference (0 when not concatenated). */
  ref: number;
  total: number;
  seq: number;
  /** The part's text octets, without the user data header. */
  data: Buffer;
}

const refuse = (status: string, why: string): Refusal => ({ status: E[status] as number, why });

/** The concatenation element of a user data header, or a refusal when the header is broken. */
function fromUdh(ud: Buffer): Part | Refusal | null {
  const udhl = ud[0];
  // esm_class says a header leads the text: it must be there, whole.
  if (udhl === undefined || udhl + 1 > ud.length)
    return refuse('ESME_RINVESMCLASS', 'esm_class has UDHI but the user data header is cut');
  const data = ud.subarray(udhl + 1);
  let found: Part | null = null;
  for (let i = 1; i < udhl + 1;) {
    const iei = ud[i] as number;
    const len = ud[i + 1];
    if (len === undefined || i + 2 + len > udhl + 1)
      return refuse('ESME_RINVESMCLASS', 'an element runs past the user data header');
    if (iei === 0x00 || iei === 0x08) {
      const wide = iei === 0x08;
      if (len !== (wide ? 4 : 3))
        return refuse('ESME_RINVESMCLASS', `concatenation element ${iei} of length ${len}`);
      const ref = wide ? ud.readUInt16BE(i + 2) : (ud[i + 2] as number);
      const total = ud[i + (wide ? 4 : 3)] as number;
      const seq = ud[i + (wide ? 5 : 4)] as number;
      found = { method: wide ? 'udh16' : 'udh8', ref, total, seq, data };
    }
    i += 2 + len;
  }
  if (found && (found.total < 1 || found.seq < 1 || found.seq > found.total))
    return refuse('ESME_RINVESMCLASS', `part ${found.seq} of ${found.total}`);
  return found ?? { method: 'single', ref: 0, total: 1, seq: 1, data };
}

function fromSar(tlvs: Map<number, Buffer>): Part | Refusal | null {
  const ref = tlvs.get(TAG.sarMsgRefNum);
  const total = tlvs.get(TAG.sarTotalSegments);
  const seq = tlvs.get(TAG.sarSegmentSeqnum);
  if (!ref && !total && !seq) return null;
  if (!ref || !total || !seq)
    return refuse('ESME_RMISSINGTLV', 'the sar_ parameters come as three or not at all');
  if (ref.length !== 2 || total.length !== 1 || seq.length !== 1)
    return refuse('ESME_RINVTLVLEN', 'a sar_ parameter of the wrong length');
  const part = {
    method: 'sar' as const,
    ref: ref.readUInt16BE(0),
    total: total[0] as number,
    seq: seq[0] as number,
  };
  if (part.total < 1 || part.seq < 1 || part.seq > part.total)
    return refuse('ESME_RINVTLVVAL', `sar part ${part.seq} of ${part.total}`);
  return { ...part, data: Buffer.alloc(0) };
}

/** Which part of which message a submit carries. */
export function partOf(f: SubmitFields): Part | Refusal {
  const payload = f.tlvs.get(TAG.messagePayload);
  const ud = payload ?? f.shortMessage;
  const udh = f.esmClass & 0x40 ? fromUdh(ud) : null;
  if (udh && 'status' in udh) return udh;
  // A concatenation element wins over sar_ parameters: it is what the phone would go by.
  if (udh && udh.method !== 'single') return udh;
  const data = udh?.data ?? ud;
  const sar = fromSar(f.tlvs);
  if (sar && 'status' in sar) return sar;
  if (sar) return { ...sar, data };
  return { method: payload ? 'payload' : 'single', ref: 0, total: 1, seq: 1, data };
}

interface Open<T> {
  parts: Array<{ data: Buffer; meta: T } | undefined>;
  have: number;
}

/**
 * Parts waiting for the rest of their message, keyed by whoever sent them to whom under which
 * reference. A part sent again (a retry) takes its place again.
 */
export class Reassembly<T> {
  #open = new Map<string, Open<T>>();

  /** Adds a part; returns every part in order once the message is whole, else null. */
  add(key: string, p: Part, meta: T): Array<{ data: Buffer; meta: T }> | null {
    if (p.total === 1) return [{ data: p.data, meta }];
    const k = `${key}\u0000${p.method}:${p.ref}/${p.total}`;
    let o = this.#open.get(k);
    if (!o) {
      o = { parts: new Array<undefined>(p.total).fill(undefined), have: 0 };
      this.#open.set(k, o);
    }
    if (!o.parts[p.seq - 1]) o.have++;
    o.parts[p.seq - 1] = { data: p.data, meta };
    if (o.have < p.total) return null;
    this.#open.delete(k);
    return o.parts as Array<{ data: Buffer; meta: T }>;
  }

  /** Messages still missing parts. */
  get waiting(): number {
    return this.#open.size;
  }
}
