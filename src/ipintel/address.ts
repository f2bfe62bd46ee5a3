/**
 * One IP address as the seized records write it, read strictly (docs/ip-intelligence.md): an
 * IPv4 in four decimal parts (no `1.2.3`, which classful parsers read as 1.2.0.3), or an IPv6;
 * an IPv4 written as IPv6 (`::ffff:1.2.3.4`) is that IPv4. A port or brackets a proxy's log adds
 * are dropped. Every address has one number in one space: IPv6's 128 bits, with IPv4 mapped
 * into ::ffff:0:0/96, so one range table and one join serve both.
 */
import ipaddr from 'ipaddr.js';

/** The IPv4 space's first number in the IPv6 space (::ffff:0.0.0.0). */
export const IPV4_BASE = 0xffff_0000_0000n;

export interface IpReading {
  /** The address in its canonical text (IPv6 lower case, compressed). */
  canonical: string;
  family: 4 | 6;
  /** Its number in the shared 128-bit space. */
  num: bigint;
  /**
   * ipaddr.js's range: `unicast` is a public address; every other (private, loopback,
   * reserved, carrierGradeNat, linkLocal, uniqueLocal, multicast, 6to4, teredo, …) is no
   * location of anyone.
   */
  range: string;
}

function strip(raw: string): string {
  const s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) return bracketed[1]!;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s);
  if (v4port) return v4port[1]!;
  return s;
}

function toNum(bytes: number[]): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** The address, or null when the text is no IP address. */
export function readIp(raw: string): IpReading | null {
  const s = strip(raw);
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) {
    const v4 = ipaddr.IPv4.parse(s);
    return {
      canonical: v4.toString(),
      family: 4,
      num: IPV4_BASE + toNum(v4.toByteArray()),
      range: v4.range(),
    };
  }
  if (!ipaddr.IPv6.isValid(s)) return null;
  const v6 = ipaddr.IPv6.parse(s);
  if (v6.isIPv4MappedAddress()) {
    const v4 = v6.toIPv4Address();
    return {
      canonical: v4.toString(),
      family: 4,
      num: IPV4_BASE + toNum(v4.toByteArray()),
      range: v4.range(),
    };
  }
  return { canonical: v6.toString(), family: 6, num: toNum(v6.toByteArray()), range: v6.range() };
}

/**
 * A line of a list (docs/ip-intelligence.md): an address, a CIDR block, `first - last`, or a
 * Tor exit list's `ExitAddress 1.2.3.4 2021-…` line. Null when the line holds none of these.
 */
export function readRange(line: string): { first: bigint; last: bigint } | null {
  const s = line.trim();
  const exit = /^ExitAddress\s+(\S+)/.exec(s);
  if (exit) {
    const ip = readIp(exit[1]!);
    return ip ? { first: ip.num, last: ip.num } : null;
  }
  const dash = /^(\S+)\s*-\s*(\S+)$/.exec(s);
  if (dash) {
    const a = readIp(dash[1]!);
    const b = readIp(dash[2]!);
    if (!a || !b || a.family !== b.family || a.num > b.num) return null;
    return { first: a.num, last: b.num };
  }
  const slash = s.indexOf('/');
  if (slash > 0) {
    const ip = readIp(s.slice(0, slash));
    const bitsText = s.slice(slash + 1);
    if (!ip || !/^\d{1,3}$/.test(bitsText)) return null;
    const bits = Number(bitsText) + (ip.family === 4 ? 96 : 0);
    if (bits > 128 || (ip.family === 4 && bits < 96)) return null;
    const host = (1n << BigInt(128 - bits)) - 1n;
    const first = ip.num & ~host;
    return { first, last: first | host };
  }
  const ip = readIp(s);
  return ip ? { first: ip.num, last: ip.num } : null;
}
