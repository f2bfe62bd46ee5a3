/**
 * The fields of the requests the simulator takes, read from their octets and held to the sizes
 * of SMPP 3.4 (§4 and §5.2: a C-octet string's maximum counts its NUL). A field over its limit
 * is refused with the status the specification gives that field; the answer is the first such
 * field in PDU order.
 */
import smpp from 'smpp';

const E = smpp.errors as Record<string, number>;

/** Longest values, NUL not counted (SMPP 3.4 §5.2). */
export const LIMITS = {
  systemId: 15,
  password: 8,
  systemType: 12,
  addressRange: 40,
  serviceType: 5,
  address: 20,
  time: 16,
  shortMessage: 254,
  messageId: 64,
} as const;

/** Optional parameters (TLVs) the simulator reads (SMPP 3.4 §5.3.2). */
export const TAG = {
  sarMsgRefNum: 0x020c,
  sarTotalSegments: 0x020e,
  sarSegmentSeqnum: 0x020f,
  messagePayload: 0x0424,
} as const;

/** A refusal: the command_status to answer with and why. */
export interface Refusal {
  status: number;
  why: string;
}
export const isRefusal = (x: object): x is Refusal => 'status' in x;
const refuse = (status: string, why: string): Refusal => ({ status: E[status] as number, why });

class Reader {
  off = 16;
  constructor(readonly b: Buffer) {}
  get left(): number {
    return this.b.length - this.off;
  }
  u8(): number | null {
    return this.off < this.b.length ? (this.b[this.off++] as number) : null;
  }
  /** A C-octet string of at most `max` characters, or null when longer (or without its NUL). */
  cstring(max: number): string | null {
    const end = this.b.indexOf(0, this.off);
    if (end < 0 || end - this.off > max) return null;
    const s = this.b.toString('latin1', this.off, end);
    this.off = end + 1;
    return s;
  }
}

export interface BindFields {
  systemId: string;
  password: string;
  systemType: string;
  interfaceVersion: number;
}

export function readBind(raw: Buffer): BindFields | Refusal {
  const r = new Reader(raw);
  const systemId = r.cstring(LIMITS.systemId);
  if (systemId === null) return refuse('ESME_RINVSYSID', 'system_id over 15 characters');
  const password = r.cstring(LIMITS.password);
  if (password === null) return refuse('ESME_RINVPASWD', 'password over 8 characters');
  const systemType = r.cstring(LIMITS.systemType);
  if (systemType === null) return refuse('ESME_RINVSYSTYP', 'system_type over 12 characters');
  const interfaceVersion = r.u8();
  const ton = r.u8();
  const npi = r.u8();
  // address_range has no status of its own in SMPP 3.4: the bind fails.
  if (interfaceVersion === null || ton === null || npi === null || r.cstring(40) === null)
    return refuse('ESME_RBINDFAIL', 'address_range missing or over 40 characters');
  return { systemId, password, systemType, interfaceVersion };
}

export interface SubmitFields {
  serviceType: string;
  source: string;
  destination: string;
  esmClass: number;
  registeredDelivery: number;
  dataCoding: number;
  shortMessage: Buffer;
  /** Optional parameters by tag, the last of a tag given twice. */
  tlvs: Map<number, Buffer>;
}

export function readSubmit(raw: Buffer): SubmitFields | Refusal {
  const r = new Reader(raw);
  const serviceType = r.cstring(LIMITS.serviceType);
  if (serviceType === null) return refuse('ESME_RINVSERTYP', 'service_type over 5 characters');
  r.off += 2; // source_addr_ton, source_addr_npi
  const source = r.cstring(LIMITS.address);
  if (source === null) return refuse('ESME_RINVSRCADR', 'source_addr over 20 characters');
  r.off += 2;
  const destination = r.cstring(LIMITS.address);
  if (!destination) return refuse('ESME_RINVDSTADR', 'destination_addr empty or over 20');
  const esmClass = r.u8() ?? 0;
  r.off += 2; // protocol_id, priority_flag
  // Absolute or relative times are 16 characters (§7.1.1); empty means "now" / the default.
  const schedule = r.cstring(LIMITS.time);
  if (schedule === null || (schedule && schedule.length !== 16))
    return refuse('ESME_RINVSCHED', 'schedule_delivery_time is not 0 or 16 characters');
  const validity = r.cstring(LIMITS.time);
  if (validity === null || (validity && validity.length !== 16))
    return refuse('ESME_RINVEXPIRY', 'validity_period is not 0 or 16 characters');
  const registeredDelivery = r.u8();
  r.off += 1; // replace_if_present_flag
  const dataCoding = r.u8();
  r.off += 1; // sm_default_msg_id
  const smLength = r.u8();
  if (registeredDelivery === null || dataCoding === null || smLength === null)
    return refuse('ESME_RINVCMDLEN', 'the PDU ends before sm_length');
  if (smLength > LIMITS.shortMessage)
    return refuse('ESME_RINVMSGLEN', `sm_length ${smLength} over 254`);
  if (smLength > r.left)
    return refuse('ESME_RINVMSGLEN', `sm_length ${smLength}, but ${r.left} octets follow`);
  const shortMessage = raw.subarray(r.off, r.off + smLength);
  r.off += smLength;
  const tlvs = new Map<number, Buffer>();
  // What follows short_message is whole TLVs, or sm_length does not say where it ends.
  while (r.left > 0) {
    if (r.left < 4) return refuse('ESME_RINVMSGLEN', 'octets after short_message are no TLV');
    const tag = raw.readUInt16BE(r.off);
    const len = raw.readUInt16BE(r.off + 2);
    r.off += 4;
    if (len > r.left) return refuse('ESME_RINVMSGLEN', 'octets after short_message are no TLV');
    tlvs.set(tag, raw.subarray(r.off, r.off + len));
    r.off += len;
  }
  // §5.3.2.32: with message_payload, sm_length is zero and short_message is not used.
  if (tlvs.has(TAG.messagePayload) && smLength > 0)
    return refuse('ESME_RINVMSGLEN', 'short_message and message_payload both given');
  return {
    serviceType,
    source,
    destination,
    esmClass,
    registeredDelivery,
    dataCoding,
    shortMessage,
    tlvs,
  };
}

export interface QueryFields {
  messageId: string;
  source: string;
}

export function readQuery(raw: Buffer): QueryFields | Refusal {
  const r = new Reader(raw);
  const messageId = r.cstring(LIMITS.messageId);
  if (!messageId) return refuse('ESME_RINVMSGID', 'message_id empty or over 64 characters');
  r.off += 2;
  const source = r.cstring(LIMITS.address);
  if (source === null) return refuse('ESME_RINVSRCADR', 'source_addr over 20 characters');
  return { messageId, source };
}
