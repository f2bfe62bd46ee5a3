/**
 * An independent SMS centre for interop tests: test/peers/netsmpp-smsc.pl, an SMPP 3.4 server
 * built on Net::SMPP (Debian's libnet-smpp-perl), neither written by us nor with the npm `smpp`
 * package our client uses. This starts it on 127.0.0.1 and reads its JSON-lines log back.
 *
 *   it('…', { skip: netSmppMissing() }, async () => {
 *     const smsc = await startNetSmppSmsc({ loseEvery: 3, receiptDelayMs: 50 });
 *     after(() => smsc.stop());
 *     const gw = await openSmppGateway({ host: '127.0.0.1', port: smsc.port, … }, onEvents);
 *     … reassemble(acceptedSubmits(await smsc.pdus()))      // the texts as the centre got them
 *     await smsc.sendMo('+447700900001', '60006', 'STOP');  // a victim's reply, as deliver_sm
 *     await smsc.dropConnections();                          // the network fails (no unbind)
 *     await smsc.waitFor((log) => log.filter(isBind).length === 2);
 *   });
 *
 * Every log line is written before the answer (or the deliver_sm) it records goes out: once the
 * client has an answer, pdus() has its line. Lines the client causes without an answer (its
 * deliver_sm_resp, unbind's close) need waitFor.
 *
 * What the SMS centre does (details in the script's header): answers binds with `systemId`; each
 * accepted submit_sm gets a fresh message id (16 hex digits) and, when it asked for one
 * (registered_delivery 1), a DELIVRD receipt after `receiptDelayMs` — deliver_sm esm_class 0x04
 * with the id in the text and in receipted_message_id, message_state 2 — except every
 * `loseEvery`th accepted submit_sm, whose receipt is lost (its log line says `receipt: "lost"`;
 * query_sm still says delivered). Receipts and inbound texts wait while no receiver/transceiver
 * session is bound, and a deliver_sm answered with an error (or left unanswered when the
 * connection drops) is sent again after `redeliverMs`. `querySm: false` makes query_sm get
 * generic_nack (a centre that does not offer it). Long texts are logged as sent: whole in
 * message_payload (TLV 0424), or as segments with a UDH (esm_class 0x40) or sar_* TLVs (020c,
 * 020e, 020f); `userData`, `decodeSms` and `reassemble` below turn them back into texts, and
 * `airOctets` says whether a segment fits one SMS.
 *
 * Net::SMPP limitations met writing the server: optional parameters are decoded into the PDU hash
 * under their decimal tag (and their name when known), so their order and any repeated tag are
 * lost and an unknown tag makes it warn (logged as `warning`); when sending, a TLV given by
 * numeric tag is packed as an integer, so string TLVs go by name with the NUL of a C-octet string
 * added by hand; read_pdu() blocks until a whole PDU has arrived (one SMS centre loop, so a peer
 * stalling mid-PDU stalls it); no text encoding and no UDH handling (done here, from the bytes).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const NETSMPP_SMSC_SCRIPT = fileURLToPath(new URL('./netsmpp-smsc.pl', import.meta.url));

let available: boolean | undefined;
/** Whether perl and Net::SMPP (libnet-smpp-perl) are installed. */
export function hasNetSmpp(): boolean {
  available ??= spawnSync('perl', ['-MNet::SMPP', '-e1'], { stdio: 'ignore' }).status === 0;
  return available;
}

/** The reason to give a skipped test, or false when the SMS centre can run. */
export const netSmppMissing = (): string | false =>
  hasNetSmpp() ? false : 'perl with Net::SMPP is not installed (apt-get install libnet-smpp-perl)';

/** Tags (4 lower-case hex digits, as the log's `tlvs` keys) of the TLVs that matter here. */
export const TLV = {
  receipted_message_id: '001e',
  sar_msg_ref_num: '020c',
  sar_total_segments: '020e',
  sar_segment_seqnum: '020f',
  message_payload: '0424',
  message_state: '0427',
} as const;

interface Line {
  /** ms since the epoch. */
  t: number;
  /** Connection number, from 1 in the order accepted; null for the server's own lines. */
  conn: number | null;
}

export interface LoggedBind extends Line {
  dir: 'in';
  type: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver';
  seq: number;
  system_id: string;
  password: string;
  system_type: string;
  interface_version: number;
  addr_ton: number;
  addr_npi: number;
  address_range: string;
  /** The command_status the SMS centre answered with (0: bound). */
  status: number;
}

export interface LoggedSubmitSm extends Line {
  dir: 'in';
  type: 'submit_sm';
  seq: number;
  service_type: string;
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  protocol_id: number;
  priority_flag: number;
  schedule_delivery_time: string;
  validity_period: string;
  registered_delivery: number;
  replace_if_present_flag: number;
  data_coding: number;
  sm_default_msg_id: number;
  sm_length: number;
  /** The short_message bytes as hex (UDH included). */
  short_message: string;
  /** Every optional parameter: tag (4 hex digits, see TLV) → value as hex. */
  tlvs: Record<string, string>;
  status: number;
  /** The id given in submit_sm_resp; null when refused. */
  message_id: string | null;
  /** 1 for the first accepted submit_sm of this SMS centre, and so on; null when refused. */
  submit_no: number | null;
  receipt: 'scheduled' | 'lost' | 'not-requested' | null;
}

export interface LoggedQuerySm extends Line {
  dir: 'in';
  type: 'query_sm';
  seq: number;
  message_id: string;
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  status: number;
  /** The message_state answered: 1 enroute, 2 delivered, 7 unknown; null with querySm false. */
  message_state: number | null;
}

export interface LoggedSimple extends Line {
  dir: 'in';
  type: 'enquire_link' | 'unbind' | 'unbind_resp';
  seq: number;
}

export interface LoggedStatus extends Line {
  dir: 'in';
  /** generic_nack received, or `other`: a command the SMS centre does not take (command_id). */
  type: 'generic_nack' | 'other';
  seq: number;
  status: number;
  command_id?: string;
}

/** A deliver_sm the SMS centre sent: a receipt or an inbound text. */
export interface LoggedDeliverSm extends Line {
  dir: 'out';
  type: 'deliver_sm';
  seq: number;
  kind: 'receipt' | 'mo';
  /** The message a receipt is for; null for an inbound text. */
  message_id: string | null;
  /** 1 the first time, 2 when sent again (refused, or its connection dropped unanswered)… */
  attempt: number;
  source_addr: string;
  destination_addr: string;
  esm_class: number;
  data_coding: number;
  short_message: string;
  tlvs: Record<string, string>;
}

export interface LoggedDeliverSmResp extends Line {
  dir: 'in';
  type: 'deliver_sm_resp';
  seq: number;
  status: number;
  kind: 'receipt' | 'mo' | null;
  message_id: string | null;
}

export type LoggedEvent = Line & { dir: 'event' } & (
    | { type: 'listening'; port: number }
    | { type: 'connect'; peer: string }
    | { type: 'disconnect'; reason: string }
    | { type: 'stop' }
    | { type: 'warning'; text: string }
    /** An inbound text taken in (from sendMo or --mo-file) and queued for sending. */
    | { type: 'mo'; from: string; to: string; text: string; via: 'stdin' | 'mo-file' }
  );

/** One line of the SMS centre's log. */
export type LoggedPdu =
  | LoggedBind
  | LoggedSubmitSm
  | LoggedQuerySm
  | LoggedSimple
  | LoggedStatus
  | LoggedDeliverSm
  | LoggedDeliverSmResp
  | LoggedEvent;

export interface NetSmppOptions {
  /** 0 (the default): a free port. Always on 127.0.0.1. */
  port?: number;
  /** What binds are answered with (≤ 15 characters); default `netsmpp-smsc`. */
  systemId?: string;
  /** When given, a bind with another password is refused (ESME_RINVPASWD). */
  password?: string;
  /** Every Nth accepted submit_sm never gets its receipt; 0 (default): none lost. */
  loseEvery?: number;
  /** From submit_sm to delivery (and its receipt); default 0. */
  receiptDelayMs?: number;
  /** Before a refused or unanswered deliver_sm goes again; default 500. */
  redeliverMs?: number;
  /** Where the log goes; default a temporary file, removed by stop(). */
  logFile?: string;
  /** false: query_sm gets generic_nack ESME_RINVCMDID (a centre without it); default true. */
  querySm?: boolean;
  /** Also poll this file for lines `FROM TO TEXT` to send as inbound texts. */
  moFile?: string;
  /** Default 5000. */
  startTimeoutMs?: number;
}

export interface NetSmppSmsc {
  host: '127.0.0.1';
  port: number;
  systemId: string;
  logFile: string;
  /** Every log line so far (after stop(): the whole log). */
  pdus(): Promise<LoggedPdu[]>;
  /** Polls the log until `pick` returns something other than undefined/null/false. */
  waitFor<T>(
    pick: (log: LoggedPdu[]) => T | undefined | null | false,
    o?: { timeoutMs?: number; what?: string },
  ): Promise<T>;
  /**
   * A text from `from` to `to` (a victim replying STOP). Resolves once the SMS centre has it:
   * already sent when a session was bound, else waiting for one.
   */
  sendMo(from: string, to: string, text: string): Promise<void>;
  /** Closes every connection at once, without unbind (the network failing). */
  dropConnections(): Promise<void>;
  /** Sends unbind to every bound session (the SMS centre going away politely). */
  unbindAll(): Promise<void>;
  /** What the perl process wrote on stderr. */
  stderr(): string;
  /** SIGTERM (SIGKILL after 3 s); idempotent. */
  stop(): Promise<void>;
}

export const parseLog = (text: string): LoggedPdu[] =>
  text
    .split('\n')
    .filter((l) => l.trim().startsWith('{') && l.trim().endsWith('}'))
    .map((l) => JSON.parse(l) as LoggedPdu);

export async function startNetSmppSmsc(o: NetSmppOptions = {}): Promise<NetSmppSmsc> {
  const systemId = o.systemId ?? 'netsmpp-smsc';
  const tmp = o.logFile ? null : mkdtempSync(path.join(os.tmpdir(), 'netsmpp-'));
  const logFile = o.logFile ?? path.join(tmp!, 'smsc.jsonl');
  const args = [
    NETSMPP_SMSC_SCRIPT,
    '--port',
    String(o.port ?? 0),
    '--log',
    logFile,
    '--system-id',
    systemId,
    '--lose-every',
    String(o.loseEvery ?? 0),
    '--receipt-delay-ms',
    String(o.receiptDelayMs ?? 0),
    '--redeliver-ms',
    String(o.redeliverMs ?? 500),
    '--control-stdin',
    ...(o.password !== undefined ? ['--password', o.password] : []),
    ...(o.moFile ? ['--mo-file', o.moFile] : []),
    ...(o.querySm === false ? ['--no-query-sm'] : []),
  ];
  const child: ChildProcessWithoutNullStreams = spawn('perl', args, { stdio: 'pipe' });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  // Never outlive the test process (the server also stops when its stdin closes).
  const killOnExit = () => {
    child.kill('SIGKILL');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  const acks = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  let listening: (port: number) => void = () => {};
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const m = /^LISTENING (\d+)$/.exec(line);
    if (m) return listening(Number(m[1]));
    const a = /^(OK|ERR) (\S+)\s?(.*)$/.exec(line);
    const waiting = a && acks.get(a[2]!);
    if (!a || !waiting) return;
    acks.delete(a[2]!);
    if (a[1] === 'OK') waiting.resolve();
    else waiting.reject(new Error(`the SMS centre refused the command: ${a[3]}`));
  });
  void exited.then(() => {
    for (const w of acks.values()) w.reject(new Error('the SMS centre stopped'));
    acks.clear();
  });

  const cleanup = () => {
    process.removeListener('exit', killOnExit);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the SMS centre did not start within 5 s: ${stderr}`)),
      o.startTimeoutMs ?? 5000,
    );
    listening = (p) => (clearTimeout(timer), resolve(p));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the SMS centre exited before listening: ${stderr}`));
    });
  }).catch((e: unknown) => {
    child.kill('SIGKILL');
    cleanup();
    throw e;
  });
  // Ref'd no more: a test that forgets stop() still ends (and the server with it).
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr] as unknown as Array<{
    unref?: () => void;
  }>)
    s.unref?.();

  let token = 0;
  const command = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (!running) return reject(new Error('the SMS centre has stopped'));
      const t = `c${++token}`;
      // A timer of its own keeps the test process up while the answer is on its way.
      const timer = setTimeout(() => {
        acks.delete(t);
        reject(new Error(`the SMS centre did not answer "${line}" within 5 s`));
      }, 5000);
      acks.set(t, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.stdin.write(`${t} ${line}\n`);
    });

  let finalLog: LoggedPdu[] | null = null;
  const pdus = async () => finalLog ?? parseLog(readFileSync(logFile, 'utf8'));
  let stopping: Promise<void> | null = null;

  return {
    host: '127.0.0.1',
    port,
    systemId,
    logFile,
    pdus,
    async waitFor(pick, w = {}) {
      const timeoutMs = w.timeoutMs ?? 4000;
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = pick(await pdus());
        if (got !== undefined && got !== null && got !== false) return got;
        if (Date.now() > until)
          throw new Error(`${w.what ?? 'the awaited log lines'}: not within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    sendMo: (from, to, text) => {
      if (/\s/.test(from) || /\s/.test(to) || /[\r\n]/.test(text))
        return Promise.reject(new Error('sendMo: no spaces in numbers, no line breaks in text'));
      return command(`MO ${from} ${to} ${text}`);
    },
    dropConnections: () => command('DROP'),
    unbindAll: () => command('UNBIND'),
    stderr: () => stderr,
    stop() {
      stopping ??= (async () => {
        if (running) {
          child.ref();
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(t);
        }
        try {
          finalLog = parseLog(readFileSync(logFile, 'utf8'));
        } catch {
          finalLog = [];
        }
        lines.close();
        cleanup();
      })();
      return stopping;
    },
  };
}

// --- Reading what was sent -------------------------------------------------------------------

export const isSubmit = (p: LoggedPdu): p is LoggedSubmitSm => p.type === 'submit_sm';
export const isBind = (p: LoggedPdu): p is LoggedBind => p.type.startsWith('bind_');

/** The submit_sm the SMS centre accepted, in order. */
export const acceptedSubmits = (log: LoggedPdu[]): LoggedSubmitSm[] =>
  log.filter(isSubmit).filter((p) => p.status === 0);

/** The receipts the SMS centre sent (every attempt). */
export const sentReceipts = (log: LoggedPdu[]): LoggedDeliverSm[] =>
  log.filter((p): p is LoggedDeliverSm => p.type === 'deliver_sm' && p.kind === 'receipt');

export interface Concat {
  ref: number;
  total: number;
  seq: number;
  /** A UDH information element 0x00 (8-bit ref) / 0x08 (16-bit ref), or the sar_* TLVs. */
  via: 'udh' | 'sar';
}

export interface UserData {
  /** The text's bytes: message_payload, else short_message without its UDH. */
  bytes: Buffer;
  /** The UDH (with its length byte) when esm_class has UDHI (0x40). */
  udh: Buffer | null;
  concat: Concat | null;
}

const tlvInt = (hex: string | undefined) =>
  hex === undefined ? undefined : hex.length ? parseInt(hex, 16) : 0;

export function userData(p: LoggedSubmitSm | LoggedDeliverSm): UserData {
  const payload = p.tlvs[TLV.message_payload];
  let bytes = Buffer.from(payload ?? p.short_message, 'hex');
  let udh: Buffer | null = null;
  let concat: Concat | null = null;
  if (p.esm_class & 0x40 && bytes.length) {
    udh = bytes.subarray(0, bytes[0]! + 1);
    bytes = bytes.subarray(bytes[0]! + 1);
    for (let i = 1; i + 1 < udh.length; i += 2 + udh[i + 1]!) {
      const [iei, len] = [udh[i]!, udh[i + 1]!];
      const ie = udh.subarray(i + 2, i + 2 + len);
      if (iei === 0x00 && len === 3)
        concat = { ref: ie[0]!, total: ie[1]!, seq: ie[2]!, via: 'udh' };
      if (iei === 0x08 && len === 4)
        concat = { ref: ie.readUInt16BE(0), total: ie[2]!, seq: ie[3]!, via: 'udh' };
    }
  }
  const ref = tlvInt(p.tlvs[TLV.sar_msg_ref_num]);
  const total = tlvInt(p.tlvs[TLV.sar_total_segments]);
  const seq = tlvInt(p.tlvs[TLV.sar_segment_seqnum]);
  if (!concat && ref !== undefined && total !== undefined && seq !== undefined)
    concat = { ref, total, seq, via: 'sar' };
  return { bytes, udh, concat };
}

/**
 * The octets a submit_sm's user data takes on the air, UDH included: GSM-7 (data_coding 0)
 * travels one septet per octet over SMPP and is packed by the SMS centre, the UDH padded to a
 * septet boundary. A single SMS holds 140.
 */
export function airOctets(p: LoggedSubmitSm): number {
  const { bytes, udh } = userData(p);
  const udhLen = udh?.length ?? 0;
  if (p.data_coding !== 0x00) return udhLen + bytes.length;
  return Math.ceil(((Math.ceil((udhLen * 8) / 7) + bytes.length) * 7) / 8);
}

// GSM 03.38 default alphabet, one character per septet value, unpacked (one byte each), and its
// extension table (after 0x1B). Written from the standard, not taken from any package.
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT: Record<number, string> = {
  0x0a: '\f',
  0x14: '^',
  0x28: '{',
  0x29: '}',
  0x2f: '\\',
  0x3c: '[',
  0x3d: '~',
  0x3e: ']',
  0x40: '|',
  0x65: '€',
};

/**
 * The text of user data bytes by data_coding: 0 GSM 03.38 unpacked (an SMPP SMS centre's default
 * alphabet, one septet per byte), 1 ASCII, 3 Latin-1, 8 UCS-2 big-endian. Throws on others.
 */
export function decodeSms(dataCoding: number, bytes: Buffer): string {
  switch (dataCoding) {
    case 0x00: {
      let s = '';
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        if (b === 0x1b && i + 1 < bytes.length) s += GSM_EXT[bytes[++i]!] ?? ' ';
        else s += GSM_BASIC[b & 0x7f];
      }
      return s;
    }
    case 0x01:
      return bytes.toString('ascii');
    case 0x03:
      return bytes.toString('latin1');
    case 0x08:
      return Buffer.from(bytes).swap16().toString('utf16le');
    default:
      throw new Error(`data_coding 0x${dataCoding.toString(16)} is not decoded here`);
  }
}

/** The bytes of a text in GSM 03.38 unpacked, or null when a character is not in it. */
export function encodeGsm0338(text: string): Buffer | null {
  const out: number[] = [];
  for (const ch of text) {
    const b = GSM_BASIC.indexOf(ch);
    if (b >= 0 && ch !== '\x1b') {
      out.push(b);
      continue;
    }
    const e = Object.entries(GSM_EXT).find(([, c]) => c === ch);
    if (!e) return null;
    out.push(0x1b, Number(e[0]));
  }
  return Buffer.from(out);
}

export interface Reassembled {
  source: string;
  destination: string;
  text: string;
  /** The ids of its parts, in part order (one for a text sent whole). */
  messageIds: string[];
  /** Parts received / expected: a text is complete when they are equal. */
  parts: number;
  total: number;
  via: 'whole' | 'udh' | 'sar';
}

/**
 * The texts the accepted submits carried: each whole one as it is, segments (UDH or sar_*)
 * joined by (source, destination, ref, total) in segment order, in the order their first part
 * arrived. Bytes of a text are joined before decoding (a UCS-2 character never straddles, but a
 * GSM escape could).
 */
export function reassemble(submits: LoggedSubmitSm[]): Reassembled[] {
  const out: Array<Reassembled & { key?: string; pieces?: Map<number, Buffer>; dc: number }> = [];
  const byKey = new Map<string, (typeof out)[number]>();
  for (const p of submits) {
    const u = userData(p);
    const id = p.message_id ?? '';
    if (!u.concat) {
      out.push({
        source: p.source_addr,
        destination: p.destination_addr,
        text: decodeSms(p.data_coding, u.bytes),
        messageIds: [id],
        parts: 1,
        total: 1,
        via: 'whole',
        dc: p.data_coding,
      });
      continue;
    }
    const key = [p.source_addr, p.destination_addr, u.concat.ref, u.concat.total].join('|');
    let r = byKey.get(key);
    if (!r) {
      r = {
        source: p.source_addr,
        destination: p.destination_addr,
        text: '',
        messageIds: [],
        parts: 0,
        total: u.concat.total,
        via: u.concat.via,
        key,
        pieces: new Map(),
        dc: p.data_coding,
      };
      byKey.set(key, r);
      out.push(r);
    }
    if (!r.pieces!.has(u.concat.seq)) r.parts++;
    r.pieces!.set(u.concat.seq, u.bytes);
    const ids = r.messageIds as Array<string | undefined>;
    ids[u.concat.seq - 1] = id;
  }
  return out.map(({ key: _k, pieces, dc, ...r }) => {
    if (!pieces) return r;
    const order = [...pieces.keys()].sort((a, b) => a - b);
    return {
      ...r,
      messageIds: r.messageIds.filter((x) => x !== undefined),
      text: decodeSms(dc, Buffer.concat(order.map((s) => pieces.get(s)!))),
    };
  });
}
