/**
 * A country's slice as one MISP event (the MISP core format, draft-dulaunoy-misp-core-format,
 * github.com/MISP/misp-rfc), for partners who work in MISP. Each suspect account is a
 * `user-account` object; its phone, Telegram handle, login IPs, BTC addresses and payments are
 * objects of their own (`phone-number`, `telegram-account`, `ip-port`, `btc-wallet`,
 * `btc-transaction`), shared when accounts share them, and tied to the account by object
 * references; links between accounts are references too. The event goes to the partner's
 * sharing group; everything in it inherits that. UUIDs are UUIDv5 of the package's id and the
 * thing they name, so the same slice gives the same event. Nothing is an IDS indicator
 * (`to_ids` false): these are an investigation's leads, not what to block.
 */
import crypto from 'node:crypto';
import type { SliceData, SliceSuspect } from './slice-types.ts';

/**
 * The templates used, as misp-objects defines them (objects/<name>/definition.json, commit
 * 54538c6): uuid, version, meta-category, description, and each relation's attribute type.
 */
const TEMPLATES = {
  'user-account': {
    uuid: '49606b06-22f0-4ac8-8eee-2f12ad46f3d3',
    version: 6,
    meta: 'misc',
    description:
      'User-account object, defining aspects of user identification, authentication, privileges and other relevant data points.',
    relations: {
      'user-id': 'text',
      username: 'text',
      email: 'email',
      created: 'datetime',
      description: 'text',
    },
  },
  'phone-number': {
    uuid: 'c4b5a67c-63d2-11ec-90d6-0242ac120003',
    version: 1,
    meta: 'mobile',
    description:
      'Phone number based on the E.164 international public telecommunication numbering plan',
    relations: { 'phone-number': 'phone-number' },
  },
  'telegram-account': {
    uuid: '06f02ecf-5afb-42c5-9cb0-b362e222f52c',
    version: 2,
    meta: 'misc',
    description: 'Information related to a telegram account',
    relations: { username: 'text' },
  },
  'ip-port': {
    uuid: '9f8cea74-16fe-4968-a2b4-026676949ac6',
    version: 10,
    meta: 'network',
    description:
      'An IP address (or domain or hostname) and a port seen as a tuple (or as a triple) in a specific time frame.',
    relations: { 'ip-src': 'ip-src' },
  },
  'btc-wallet': {
    uuid: '22910C83-DD0E-4ED2-9823-45F8CAD562A4',
    version: 3,
    meta: 'financial',
    description:
      'An object to describe a Bitcoin wallet. Best to be used with btc-transaction object.',
    relations: { 'wallet-address': 'btc' },
  },
  'btc-transaction': {
    uuid: 'B7341729-5A8A-439F-A775-6D814DA3C7B5',
    version: 4,
    meta: 'financial',
    description:
      'An object to describe a Bitcoin transaction. Best to be used with bitcoin-wallet.',
    relations: {
      'transaction-number': 'text',
      time: 'datetime',
      value_BTC: 'float',
      'btc-address': 'btc',
    },
  },
} as const;
type TemplateName = keyof typeof TEMPLATES;

/**
 * The categories each attribute type used here may have: the RFC's "type" section (the list
 * of valid category-type combinations), for these types only. The first is the one used: MISP's
 * default category for the type (app/Model/MispAttribute.php, typeDefinitions).
 */
export const MISP_TYPE_CATEGORIES: Record<string, readonly string[]> = {
  text: [
    'Other',
    'Antivirus detection',
    'Artifacts dropped',
    'Attribution',
    'External analysis',
    'Financial fraud',
    'Internal reference',
    'Network activity',
    'Payload delivery',
    'Payload installation',
    'Payload type',
    'Persistence mechanism',
    'Person',
    'Social network',
    'Support Tool',
  ],
  email: ['Social network', 'Attribution', 'Network activity', 'Payload delivery', 'Person'],
  datetime: ['Other'],
  'phone-number': ['Person', 'Financial fraud', 'Other'],
  btc: ['Financial fraud'],
  float: ['Other'],
  'ip-src': ['Network activity', 'External analysis', 'Payload delivery'],
};

interface Attr {
  uuid: string;
  object_relation: string;
  type: string;
  category: string;
  value: string;
  to_ids: false;
  distribution: string;
  sharing_group_id: string;
  timestamp: string;
  deleted: false;
}
interface Ref {
  uuid: string;
  object_uuid: string;
  referenced_uuid: string;
  referenced_type: '1';
  relationship_type: string;
  comment: string;
  timestamp: string;
  deleted: false;
}
interface Obj {
  uuid: string;
  name: string;
  'meta-category': string;
  description: string;
  template_uuid: string;
  template_version: string;
  timestamp: string;
  distribution: string;
  sharing_group_id: string;
  comment: string;
  deleted: false;
  Attribute: Attr[];
  ObjectReference: Ref[];
}

/** UUIDv5 (RFC 4122 §4.3, SHA-1) of `name` in the namespace of the package's id. */
export function uuid5(namespace: string, name: string): string {
  const hex = namespace.replaceAll('-', '');
  const ns = /^[0-9a-f]{32}$/i.test(hex)
    ? Buffer.from(hex, 'hex')
    : crypto.createHash('sha1').update(namespace).digest().subarray(0, 16);
  const h = crypto.createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function describe(s: SliceSuspect, crew: string | null): string {
  const parts = [
    `score ${s.score}`,
    s.priority ? `priority rules: ${s.priority.split(';').join(', ')}` : 'no priority rule',
    `${plural(s.calls, 'call')}, ${plural(s.victims, 'victim')}`,
    `declared country ${s.declared_country ?? 'none'} (jurisdiction ${s.jurisdiction_basis}: ${s.jurisdiction_strength})`,
  ];
  if (s.plan) parts.push(`plan ${s.plan}`);
  if (crew) parts.push(crew);
  return parts.join('; ');
}

/**
 * The slice as a MISP event shared with the partner's sharing group (matched by its uuid on
 * import; `id` is the group's id on the partner's instance, when known).
 */
export function mispEvent(
  d: SliceData,
  sharingGroup: { uuid: string; name: string; id?: string },
): object {
  // One MISP event per case and partner country, which each new package updates: the event,
  // its objects and attributes keep their UUIDs from one package to the next (MISP refuses an
  // attribute UUID it holds in another event, and updates an event it already has).
  const uuid = (name: string) => uuid5(`unspoof:${d.caseId}:${d.country}`, name);
  const timestamp = String(Math.floor(Date.parse(d.created) / 1000));
  const inherit = { distribution: '5', sharing_group_id: '0' };
  const objects = new Map<string, Obj>();

  /** The object of `key`, made once (accounts share phones, IPs and wallets). */
  const object = (
    template: TemplateName,
    key: string,
    values: [relation: string, value: string | null][],
    comment = '',
  ): Obj => {
    const found = objects.get(key);
    if (found) return found;
    const t = TEMPLATES[template];
    const o: Obj = {
      uuid: uuid(`object:${key}`),
      name: template,
      'meta-category': t.meta,
      description: t.description,
      template_uuid: t.uuid,
      template_version: String(t.version),
      timestamp,
      ...inherit,
      comment,
      deleted: false,
      Attribute: [],
      ObjectReference: [],
    };
    for (const [relation, value] of values) {
      if (value == null || value === '') continue;
      const type = (t.relations as Record<string, string>)[relation]!;
      o.Attribute.push({
        uuid: uuid(`attribute:${key}:${relation}`),
        object_relation: relation,
        type,
        category: MISP_TYPE_CATEGORIES[type]![0]!,
        value,
        to_ids: false,
        ...inherit,
        timestamp,
        deleted: false,
      });
    }
    objects.set(key, o);
    return o;
  };
  const refer = (from: Obj, to: Obj, relationship: string, comment: string) =>
    from.ObjectReference.push({
      uuid: uuid(`reference:${from.uuid}:${relationship}:${to.uuid}:${comment}`),
      object_uuid: from.uuid,
      referenced_uuid: to.uuid,
      referenced_type: '1',
      relationship_type: relationship,
      comment,
      timestamp,
      deleted: false,
    });

  const crews = new Map(
    d.crews.map((c) => [c.account_id, `crew ${c.crew_id} (${plural(c.crew_size, 'account')})`]),
  );
  const accounts = new Map<string, Obj>();
  for (const s of d.suspects) {
    const crew = crews.get(s.account_id) ?? null;
    const a = object(
      'user-account',
      `account:${s.account_id}`,
      [
        ['user-id', s.account_id],
        ['username', s.username],
        ['email', s.email],
        ['created', s.created_at],
        ['description', describe(s, crew)],
      ],
      `Suspect account of ${d.country}${crew ? `, ${crew}` : ''}`,
    );
    accounts.set(s.account_id, a);
    if (s.phone) {
      const p = object('phone-number', `phone:${s.phone}`, [['phone-number', s.phone]]);
      refer(a, p, 'uses', 'phone number given at sign-up');
    }
    if (s.telegram) {
      const handle = s.telegram.replace(/^@/, '');
      const t = object('telegram-account', `telegram:${handle}`, [['username', handle]]);
      refer(a, t, 'uses', 'Telegram handle given at sign-up');
    }
    for (const ip of s.ips) {
      const i = object('ip-port', `ip:${ip}`, [['ip-src', ip]]);
      refer(a, i, 'connected-from', 'logged in from this address');
    }
  }

  for (const p of d.payments) {
    const a = accounts.get(p.account_id);
    if (!a) continue;
    const tx = object(
      'btc-transaction',
      `payment:${p.payment_id}`,
      [
        ['transaction-number', p.txid],
        ['time', p.paid_at],
        ['value_BTC', p.amount_btc],
        ['btc-address', p.btc_address],
      ],
      `Payment ${p.payment_id} to the service${p.value_gbp ? ` (GBP ${p.value_gbp})` : ''}`,
    );
    refer(a, tx, 'sends', `payment ${p.payment_id}`);
    if (!p.btc_address) continue;
    const w = object('btc-wallet', `wallet:${p.btc_address}`, [['wallet-address', p.btc_address]]);
    if (!a.ObjectReference.some((r) => r.referenced_uuid === w.uuid))
      refer(a, w, 'uses', 'paid the service with this BTC address');
  }

  for (const l of d.links) {
    const a = accounts.get(l.account_a);
    if (!a) continue;
    const b =
      accounts.get(l.account_b) ??
      object(
        'user-account',
        `account:${l.account_b}`,
        [
          ['user-id', l.account_b],
          [
            'description',
            `An account of ${l.other_country ?? 'another country'}, named only by a keyed pseudonym`,
          ],
        ],
        `Account of ${l.other_country ?? 'another country'} (pseudonym)`,
      );
    const seen = [
      l.first_seen && `first seen ${l.first_seen}`,
      l.last_seen && `last seen ${l.last_seen}`,
    ];
    refer(a, b, 'linked-to', [`shared ${l.type} ${l.value}`, ...seen].filter(Boolean).join('; '));
  }

  const info = `unspoof case ${d.caseId}: suspect accounts of ${d.country} (package ${d.packageId})`;
  return {
    Event: {
      uuid: uuid('event'),
      info: info.slice(0, 256),
      date: new Date(d.created).toISOString().slice(0, 10),
      timestamp,
      publish_timestamp: '0',
      published: false,
      threat_level_id: '4',
      analysis: '2',
      distribution: '4',
      sharing_group_id: sharingGroup.id ?? '0',
      SharingGroup: { uuid: sharingGroup.uuid, name: sharingGroup.name },
      Tag: [
        { name: 'tlp:amber', colour: '#FFC000', exportable: true },
        { name: `unspoof:package="${d.packageId}"`, colour: '#1d70b8', exportable: true },
        { name: `unspoof:country="${d.country}"`, colour: '#1d70b8', exportable: true },
      ],
      Object: [...objects.values()],
    },
  };
}

/**
 * What is wrong with an event for MISP: an attribute whose type is not valid for its category
 * (the RFC's table above) or is not its template relation's type, a reference to no object of
 * the event, a distribution other than the event's sharing group or "inherit".
 */
export function checkMisp(event: object): string[] {
  const problems: string[] = [];
  const e = (event as { Event: { distribution: string; SharingGroup?: { uuid: string } } }).Event;
  if (e.distribution !== '4' || !e.SharingGroup?.uuid)
    problems.push('the event is not shared with a sharing group');
  const objects = (e as unknown as { Object: Obj[] }).Object;
  const uuids = new Set(objects.map((o) => o.uuid));
  const shared = (x: { distribution: string }, what: string) => {
    if (x.distribution !== '5' && x.distribution !== '4')
      problems.push(`${what}: distribution ${x.distribution}`);
  };
  for (const o of objects) {
    const t = TEMPLATES[o.name as TemplateName];
    if (!t || t.uuid !== o.template_uuid || String(t.version) !== o.template_version)
      problems.push(`object ${o.uuid}: unknown template ${o.name} ${o.template_uuid}`);
    shared(o, `object ${o.uuid}`);
    for (const a of o.Attribute) {
      if (!MISP_TYPE_CATEGORIES[a.type]?.includes(a.category))
        problems.push(`attribute ${a.uuid}: type ${a.type} is not valid in "${a.category}"`);
      const want = t && (t.relations as Record<string, string>)[a.object_relation];
      if (want !== a.type)
        problems.push(`attribute ${a.uuid}: ${o.name} has no ${a.object_relation} of ${a.type}`);
      shared(a, `attribute ${a.uuid}`);
    }
    for (const r of o.ObjectReference) {
      if (r.object_uuid !== o.uuid) problems.push(`reference ${r.uuid}: not from its object`);
      if (!uuids.has(r.referenced_uuid))
        problems.push(`reference ${r.uuid}: ${r.referenced_uuid} is no object of the event`);
    }
  }
  return problems;
}
