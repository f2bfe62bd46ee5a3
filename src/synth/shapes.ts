/**
 * The shapes of docs/switch-records.md that real switches write, on the writer's side: route
 * names that name a country by §5's pattern and ones that only look as if they did, caller IDs
 * that are no number (§4), dialled values behind an outside-line prefix, in a dial string or as
 * a URI (§7), and what Asterisk records for dial-plan artefacts. Whether a shape may be written
 * in a call is the resolver's to say (resolve.ts), as for every number.
 */
import type { CallsFormat } from './callrows.ts';
import { strip } from './forms.ts';
import { drawDialled, type Parts } from './numbers.ts';
import type { Rng } from './rng.ts';

/** Route names per country under §5's pattern: an outbound word and the code (`uk` is GB). */
export const COUNTRY_ROUTES = (c: string): string[] => {
  const cc = c.toLowerCase();
  return c === 'GB'
    ? ['out-gb', 'out-uk', 'outbound-gb', 'gb-out', 'OUT_UK', 'intl-gb', 'uk_outgoing']
    : [`out-${cc}`, `outbound-${cc}`, `${cc}-out`, `intl_${c}`, `dialout-${cc}`, `${cc}_outgoing`];
};

/**
 * Routes (dial-plan contexts) that name no country, per format: plain ones, and ones that look
 * as if they did but are not under the rule (`to-pstn`, `hr`, `sip-in`, `gb` alone).
 */
export const NO_COUNTRY_ROUTES: Record<CallsFormat, string[]> = {
  canonical: ['', 'default', 'from-internal', 'outbound-allroutes', 'to-pstn', 'gb'],
  asterisk: [
    'from-internal',
    'default',
    'from-trunk',
    'outbound-allroutes',
    'to-pstn',
    'sip-in',
    'trunk-in',
    'calls-in',
    'hr',
    'gb',
  ],
  freeswitch: ['default', 'public', 'from-internal', 'to-pstn', 'hr', 'gb'],
};

/** Withheld caller IDs as switches write them. */
export const WITHHELD_CALLERS = ['anonymous', 'anonymous', 'Anonymous', 'private'];

/**
 * Caller IDs that are no number (§4), with the name shown beside them: alphanumeric sender
 * names, an e-mail address, a SIP URI of an extension, bare extensions. Fictional hosts only.
 */
export const NON_NUMBER_CALLERS: ReadonlyArray<readonly [string, string]> = [
  ['HSBC', 'HSBC'],
  ['Bank Alert', 'Bank Alert'],
  ['default', 'default'],
  ['Fraud Team', 'Fraud Team'],
  ['security@alerts.example.com', 'Security'],
  ['sip:2001@pbx.example.com', ''],
  ['2001', 'Reception'],
  ['1001', ''],
];

/** A number's digits as dialled without separators (dial strings, outside lines): no `+`. */
function digitsForm(r: Rng, p: Parts, accountOnly: boolean): string {
  const s = strip(drawDialled(r, p, accountOnly));
  return s.startsWith('+') ? `00${s.slice(1)}` : s;
}

/** §7: the number behind the outside-line prefix (`9` then a national or international form). */
export function outsideLineForm(r: Rng, p: Parts, prefix: string, accountOnly: boolean): string {
  return `${prefix}${r.chance(0.2) ? ' ' : ''}${digitsForm(r, p, accountOnly)}`;
}

/** What the dialled field holds when the number is in the dial string: `s` or an extension. */
export const DIAL_STRING_FIELDS = ['s', 's', '2001', '1001', '201'];
const CARRIERS = ['carrier', 'voipms', 'sipgate', 'trunk-a'];

/** §7: a Dial's data whose first target names the number (`SIP/<number>@carrier,60`). */
export function dialStringForm(r: Rng, p: Parts, accountOnly: boolean): string {
  const n = r.chance(0.4) ? p.e164 : digitsForm(r, p, accountOnly);
  const host = r.pick(CARRIERS);
  const u = r.float();
  if (u < 0.4) return `SIP/${n}@${host},60`;
  if (u < 0.7) return `PJSIP/${n}@${host}`;
  if (u < 0.85) return `SIP/${n}@${host}&SIP/${n}@backup,45,tT`;
  return `SIP/${host}/${n},60`;
}

/** Prefixes a dial plan strips before dialling out (not the export's outside line). */
const STRIPPED_PREFIXES = ['8', '1', '81', '55'];

/**
 * §7: the number behind one or two digits the dial plan strips, dialled so, and its Dial's
 * data naming the number alone: [dialled field, dial string].
 */
export function prefixedDialForm(r: Rng, p: Parts, accountOnly: boolean): [string, string] {
  const n = digitsForm(r, p, accountOnly);
  return [`${r.pick(STRIPPED_PREFIXES)}${n}`, `SIP/${n}@${r.pick(CARRIERS)},60`];
}

/** The caller's own extensions, as src beside the caller ID clid holds (§4). */
export const CALLER_EXTENSIONS = ['203', '2001', '1002', '301'];

/** §7: a SIP or tel URI whose user part is the number. */
export function uriForm(r: Rng, p: Parts): string {
  const u = r.float();
  if (u < 0.4) return `sip:${p.e164}@carrier.example.net`;
  if (u < 0.6) return `sip:${p.cc}${p.nsn}@sip.example.org;user=phone`;
  if (u < 0.8) return `tel:${p.e164}`;
  return `sips:${p.e164}@gw.example.com`;
}

/** What Asterisk records as lastapp and lastdata for a dial-plan artefact dialled. */
export const ARTEFACT_APPS: Readonly<Record<string, readonly [string, string]>> = {
  '1001': ['Dial', 'SIP/1001,30'],
  '*97': ['VoiceMailMain', '@default'],
  s: ['Playback', 'ss-noservice'],
  voicemail: ['VoiceMail', '2001@default'],
  'SIP/1001-0000002a': ['Dial', 'SIP/1001,30'],
  h: ['Hangup', ''],
  'sip:2001@pbx.example.com': ['Dial', 'SIP/2001,30'],
};
