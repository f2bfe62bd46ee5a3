/**
 * A country's slice as FollowTheMoney entities (`{id, schema, properties}`), for partners who
 * load it into Aleph or another FtM tool, and `checkFtm`, which holds them to FtM's default model
 * as `@alephdata/followthemoney` ships it. Ids are SHA-1 (hex) of the package's id, the kind of
 * thing and its key, so the same slice gives the same entities.
 *
 * The model decides the shape: a `Payment`'s payer must be a `LegalEntity` and a `UserAccount`
 * is none (it is a `Thing`), so each suspect account gets an unidentified holder (`LegalEntity`)
 * who owns the account, holds the BTC addresses it paid from and is the payer; the payments'
 * beneficiary is the seized service's operator (`Organization`). Links between accounts are
 * `UnknownLink`s (subject and object may be any `Thing`); a crew is an `Organization` its
 * accounts' holders are `Membership`s of.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { Model, defaultModel } from '@alephdata/followthemoney';
import type { SliceData, SliceSuspect } from './slice-types.ts';

export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

/** An FtM date (UTC, no zone, to the second): `2025-01-05T10:30:00`. */
const ftmDate = (iso: string | null): string | null => {
  const t = iso == null ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 19);
};

function describe(s: SliceSuspect): string {
  return [
    `Suspect account ${s.account_id} of the seized service`,
    `score ${s.score}`,
    s.priority ? `priority rules: ${s.priority.split(';').join(', ')}` : 'no priority rule',
    `${s.calls} calls, ${s.victims} victims`,
    `jurisdiction ${s.jurisdiction_basis} (${s.jurisdiction_strength})`,
    ...(s.username ? [] : ['no username: the username is the account id']),
  ].join('; ');
}

/**
 * The slice as FollowTheMoney entities. Ids are the same in every package of the case to the
 * same country, so that a partner's Aleph merges a new package into what it holds.
 */
export function ftmEntities(d: SliceData): FtmEntity[] {
  const entities = new Map<string, FtmEntity>();
  const id = (kind: string, key: string) =>
    crypto.createHash('sha1').update(`${d.caseId}:${d.country}:${kind}:${key}`).digest('hex');
  /** The entity of kind and key (made once; later values are added to its properties). */
  const entity = (
    schema: string,
    kind: string,
    key: string,
    props: Record<string, (string | null | undefined)[]>,
  ): string => {
    const e = entities.get(id(kind, key)) ?? { id: id(kind, key), schema, properties: {} };
    for (const [p, values] of Object.entries(props))
      for (const v of values) {
        if (v == null || v === '') continue;
        const have = (e.properties[p] ??= []);
        if (!have.includes(v)) have.push(v);
      }
    entities.set(e.id, e);
    return e.id;
  };

  const holders = new Map<string, string>();
  for (const s of d.suspects) {
    const holder = entity('LegalEntity', 'holder', s.account_id, {
      name: [`Holder of account ${s.account_id} (unidentified)`],
      description: ['Whoever holds the suspect account: not yet identified'],
    });
    holders.set(s.account_id, holder);
    entity('UserAccount', 'account', s.account_id, {
      username: [s.username ?? s.account_id],
      email: [s.email],
      number: [s.phone],
      ipAddress: s.ips,
      country: [s.declared_country?.toLowerCase()],
      createdAt: [ftmDate(s.created_at)],
      owner: [holder],
      description: [describe(s)],
    });
    if (s.telegram) {
      const handle = s.telegram.replace(/^@/, '');
      entity('UserAccount', 'telegram', handle, {
        username: [handle],
        service: ['Telegram'],
        owner: [holder],
      });
    }
  }

  const operator = () =>
    entity('Organization', 'service', d.caseId, {
      name: [`Operator of the service seized in case ${d.caseId}`],
      description: ['The caller-ID spoofing service the suspect accounts paid'],
    });
  for (const p of d.payments) {
    const holder = holders.get(p.account_id);
    if (!holder) continue;
    if (p.btc_address)
      entity('CryptoWallet', 'wallet', p.btc_address, {
        publicKey: [p.btc_address],
        currencySymbol: ['BTC'],
        holder: [holder],
      });
    entity('Payment', 'payment', p.payment_id, {
      payer: [holder],
      beneficiary: [operator()],
      date: [ftmDate(p.paid_at)],
      amount: [p.amount_btc ?? p.amount ?? null],
      currency: [p.amount_btc ? 'BTC' : (p.currency ?? null)],
      transactionNumber: [p.txid],
      recordId: [p.payment_id],
      purpose: [`Payment to the service by account ${p.account_id}`],
      description: [
        [
          p.btc_address && `BTC address ${p.btc_address}`,
          p.value_gbp && `worth GBP ${p.value_gbp} when paid`,
        ]
          .filter(Boolean)
          .join('; '),
      ],
    });
  }

  for (const l of d.links) {
    if (!holders.has(l.account_a)) continue;
    const far = holders.has(l.account_b)
      ? id('account', l.account_b)
      : entity('UserAccount', 'account', l.account_b, {
          username: [l.account_b],
          country: [l.other_country?.toLowerCase()],
          description: [
            `An account of ${l.other_country ?? 'another country'}, named only by a keyed pseudonym (not its username)`,
          ],
        });
    entity('UnknownLink', 'link', [l.account_a, l.account_b, l.type, l.value].join('|'), {
      subject: [id('account', l.account_a)],
      object: [far],
      role: [`shared ${l.type}`],
      description: [`Shared ${l.type}: ${l.value}`],
      startDate: [ftmDate(l.first_seen)],
      endDate: [ftmDate(l.last_seen)],
    });
  }

  for (const c of d.crews) {
    const holder = holders.get(c.account_id);
    if (!holder) continue;
    const crew = entity('Organization', 'crew', c.crew_id, {
      name: [`Crew ${c.crew_id} (case ${d.caseId})`],
      description: [
        `${c.crew_size} accounts linked by shared identifiers (unspoof's analysis), not a known organisation`,
      ],
    });
    entity('Membership', 'membership', `${c.crew_id}|${c.account_id}`, {
      member: [holder],
      organization: [crew],
      role: ['crew member'],
    });
  }
  return [...entities.values()];
}

const model = new Model(defaultModel);
const TWO = '(0[1-9]|1[0-2])';
const DATE = new RegExp(
  `^\\d{4}(-${TWO}(-(0[1-9]|[12]\\d|3[01])(T([01]\\d|2[0-3])(:[0-5]\\d(:[0-5]\\d)?)?)?)?)?$`,
);
/** The shape of a value of each checked property type (their descriptions in the model). */
const SHAPES: Record<string, (v: string) => boolean> = {
  date: (v) => DATE.test(v),
  email: (v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
  phone: (v) => /^\+[1-9]\d{6,14}$/.test(v),
  ip: (v) => net.isIP(v) !== 0,
  number: (v) => /^-?\d+(\.\d+)?$/.test(v),
  url: (v) => URL.canParse(v),
};

/**
 * What is wrong with the entities in FtM's default model: an unknown or abstract schema, an
 * unknown property, a missing required one, a value not of its type's shape, and a reference to
 * no entity of the set or to one outside the property's range. Empty when they are valid.
 */
export function checkFtm(entities: readonly FtmEntity[]): string[] {
  const problems: string[] = [];
  const byId = new Map<string, FtmEntity>();
  for (const e of entities) {
    if (byId.has(e.id)) problems.push(`${e.id}: the id is used twice`);
    byId.set(e.id, e);
  }
  for (const e of entities) {
    const schema = model.schemata[e.schema];
    if (!schema) {
      problems.push(`${e.id}: no schema ${e.schema}`);
      continue;
    }
    if (schema.abstract) problems.push(`${e.id}: ${e.schema} is abstract`);
    for (const r of schema.required)
      if (!e.properties[r]?.length) problems.push(`${e.id}: ${e.schema} needs ${r}`);
    for (const [name, values] of Object.entries(e.properties)) {
      if (!schema.hasProperty(name)) {
        problems.push(`${e.id}: ${e.schema} has no property ${name}`);
        continue;
      }
      const prop = schema.getProperty(name);
      for (const v of values) {
        const at = `${e.id}: ${e.schema}.${name} ${JSON.stringify(v)}`;
        if (typeof v !== 'string' || v === '') problems.push(`${at} is not a text`);
        else if (v.length > prop.maxLength) problems.push(`${at} is too long`);
        else if (prop.type.isEntity) {
          const target = byId.get(v);
          if (!target) problems.push(`${at} is no entity of the set`);
          else if (!model.schemata[target.schema]?.isA(prop.getRange()))
            problems.push(`${at} is a ${target.schema}, not a ${prop.getRange().name}`);
        } else if (prop.type.values.size > 0 && !prop.type.values.has(v))
          problems.push(`${at} is no valid ${prop.type.name}`);
        else if (SHAPES[prop.type.name] && !SHAPES[prop.type.name]!(v))
          problems.push(`${at} is no valid ${prop.type.name}`);
      }
    }
  }
  return problems;
}
