/**
 * The lists a unit is given beside the seized export (docs/ip-intelligence.md), written to
 * intel/: `vpn.txt` (the VPN exits many accounts share, one address per line), `hosting.txt`
 * (data-centre blocks as CIDR, as published hosting lists are), and `tor-exit-addresses` (the
 * Tor Project's exit list format: ExitNode, Published, LastStatus, ExitAddress lines).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Places } from './geo.ts';
import type { Rng } from './rng.ts';

export interface Intel {
  vpn: string[];
  /** Hosting /24 blocks as `a.b.c.` prefixes. */
  hostingBlocks: Set<string>;
  tor: Set<string>;
}

const HOSTING_COUNTRIES = ['US', 'DE', 'NL', 'FR', 'GB', 'SG'];
const TOR_COUNTRIES = ['DE', 'NL', 'US', 'FR', 'SE', 'CH'];
/** The countries the lists' addresses are drawn in. */
export const INTEL_COUNTRIES = [...HOSTING_COUNTRIES, ...TOR_COUNTRIES];

export function buildIntel(places: Places, r: Rng, accounts: number, vpn: string[]): Intel {
  const hostingBlocks = new Set<string>();
  while (hostingBlocks.size < Math.max(3, Math.round(accounts / 500))) {
    const ip = places.address(r.pick(HOSTING_COUNTRIES), r);
    if (ip) hostingBlocks.add(ip.slice(0, ip.lastIndexOf('.') + 1));
  }
  const tor = new Set<string>();
  while (tor.size < Math.max(3, Math.round(accounts / 1000))) {
    const ip = places.address(r.pick(TOR_COUNTRIES), r);
    if (ip && !hostingBlocks.has(ip.slice(0, ip.lastIndexOf('.') + 1))) tor.add(ip);
  }
  return { vpn, hostingBlocks, tor };
}

/** Whether an address is in one of the lists' blocks (a home address must not be). */
export function listed(intel: Intel, ip: string): boolean {
  return intel.hostingBlocks.has(ip.slice(0, ip.lastIndexOf('.') + 1)) || intel.tor.has(ip);
}

export function writeIntel(dir: string, intel: Intel, r: Rng): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'vpn.txt'),
    ['# VPN exit addresses (synthetic)', ...intel.vpn, ''].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'hosting.txt'),
    [
      '# data-centre ranges (synthetic)',
      ...[...intel.hostingBlocks].map((b) => `${b}0/24`),
      '',
    ].join('\n'),
  );
  const lines: string[] = [];
  for (const ip of intel.tor) {
    lines.push(
      `ExitNode ${r.chars('0123456789ABCDEF', 40)}`,
      'Published 2022-11-30 10:12:33',
      'LastStatus 2022-11-30 11:00:00',
      `ExitAddress ${ip} 2022-11-30 11:06:15`,
    );
  }
  fs.writeFileSync(path.join(dir, 'tor-exit-addresses'), `${lines.join('\n')}\n`);
}

/**
 * What a synthetic export's intel/ holds, as `analyze` takes it (`--transactions`, `--ip-list`);
 * null when the export has no intel/ (one written before it).
 */
export function intelInputs(
  exportDir: string,
): { transactions: string[]; ipList: string[] } | null {
  const dir = path.join(exportDir, 'intel');
  if (!fs.existsSync(path.join(dir, 'transactions.csv'))) return null;
  return {
    transactions: [path.join(dir, 'transactions.csv')],
    ipList: [
      `vpn=${path.join(dir, 'vpn.txt')}`,
      `hosting=${path.join(dir, 'hosting.txt')}`,
      `tor=${path.join(dir, 'tor-exit-addresses')}`,
    ],
  };
}
