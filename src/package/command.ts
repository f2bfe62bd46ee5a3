/**
 * `unspoof partner add|rotate|list` and `unspoof package request|approve|list|build|verify|open`
 * (docs/package.md): thin handlers that validate the options (zod), sign in where a person acts,
 * and call the room's commands.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { cliActor } from '../audit/cli.ts';
import { openOps } from '../ops/open.ts';
import type { Effects } from '../shared/effects.ts';
import { UnspoofError } from '../shared/errors.ts';
import { parseOptions } from '../shared/options.ts';
import { withCliUser } from '../users/cli-login.ts';
import { buildPackage } from './build.ts';
import { Country, listPartners, savePartner } from './partners.ts';
import { decidePackage, listPackages, requestPackage, type PackageRow } from './requests.ts';
import { verifyPackage } from './verify.ts';

const Auth = {
  case: z.string().min(1),
  as: z.string().optional(),
  totp: z.string().optional(),
  json: z.boolean().optional(),
};

const many = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());

export function partnerSaveCommand(rotate: boolean) {
  return async (raw: unknown, fx: Effects): Promise<void> => {
    const o = parseOptions(
      z.object({
        ...Auth,
        country: z.string(),
        name: z.string().optional(),
        recipient: z.union([z.string(), z.array(z.string())]).optional(),
        recipientsFile: z.string().optional(),
        signingKey: z.union([z.string(), z.array(z.string())]).optional(),
      }),
      raw,
    );
    const recipients = [
      ...many(o.recipient),
      ...(o.recipientsFile ? recipientsIn(o.recipientsFile) : []),
    ];
    const p = await withCliUser(o, fx.now(), async (db, user) => {
      const country = Country.parse(o.country);
      const name =
        o.name ??
        (rotate ? (await listPartners(db)).find((x) => x.country === country)?.name : undefined);
      if (!name) throw new UnspoofError('USAGE', '--name: the partner unit’s name');
      return savePartner(
        db,
        user,
        { country, name, recipients, signingKeys: many(o.signingKey) },
        rotate,
        fx.now(),
      );
    });
    if (o.json) return fx.out(JSON.stringify(p));
    fx.note(
      `Partner ${p.country} (${p.name}) ${rotate ? 'rotated to' : 'added as'} version ${p.version}: ${p.recipients.length} age recipient(s).`,
    );
  };
}

/** Recipients from a file as age reads one: one a line, `#` comments and blank lines skipped. */
function recipientsIn(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export async function partnerListCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(z.object({ case: z.string().min(1), json: z.boolean().optional() }), raw);
  const db = await openOps(o.case);
  try {
    const list = await listPartners(db);
    if (o.json) return fx.out(JSON.stringify(list));
    for (const p of list)
      fx.out(`${p.country}  ${p.name}  version ${p.version}  ${p.recipients.length} recipient(s)`);
    if (!list.length) fx.note('No partners yet: unspoof partner add --country CC …');
  } finally {
    await db.close();
  }
}

const line = (p: PackageRow) =>
  `${p.id}  ${p.country}  ${p.state}  asked by ${p.requested_by}${p.approved_by ? `, decided by ${p.approved_by}` : ''}${p.file ? `  ${p.file}` : ''}`;

export async function packageRequestCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(z.object({ ...Auth, country: Country, reason: z.string() }), raw);
  const p = await withCliUser(o, fx.now(), (db, user) =>
    requestPackage(db, user, { country: o.country, reason: o.reason }, fx.now()),
  );
  if (o.json) return fx.out(JSON.stringify(p));
  fx.note(`Package ${p.id} for ${p.country} asked for: a supervisor who did not ask approves it.`);
}

export async function packageDecideCommand(id: string, raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(z.object({ ...Auth, refuse: z.boolean().optional() }), raw);
  const n = parseOptions(z.coerce.number().int().positive(), id);
  const p = await withCliUser(o, fx.now(), (db, user) =>
    decidePackage(db, user, n, !o.refuse, fx.now()),
  );
  if (o.json) return fx.out(JSON.stringify(p));
  fx.note(`Package ${p.id} for ${p.country} ${p.state}.`);
}

export async function packageListCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(z.object(Auth), raw);
  const list = await withCliUser(o, fx.now(), (db, user) => listPackages(db, user));
  if (o.json) return fx.out(JSON.stringify(list));
  for (const p of list) fx.out(line(p));
}

export async function packageBuildCommand(raw: unknown, fx: Effects): Promise<void> {
  const o = parseOptions(
    z.object({
      case: z.string().min(1),
      country: Country,
      out: z.string().min(1),
      id: z.coerce.number().int().positive().optional(),
      again: z.boolean().optional(),
      json: z.boolean().optional(),
    }),
    raw,
  );
  const db = await openOps(o.case);
  try {
    const r = await buildPackage(o.case, db, { ...o, actor: cliActor() }, fx.now());
    if (o.json) return fx.out(JSON.stringify(r));
    fx.note(
      `Package ${r.id} for ${o.country} written to ${r.file} (${r.bytes.toLocaleString('en-GB')} bytes, SHA-256 ${r.sha256}), signed with the unit's key ${r.fingerprint}.`,
    );
  } finally {
    await db.close();
  }
}

const Verify = z.object({
  identity: z.string().optional(),
  key: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '--key: the unit key’s fingerprint (64 hex digits)')
    .optional(),
  json: z.boolean().optional(),
});

/** `package verify` (out undefined) and `package open` (out given): exit 20 when broken. */
export async function packageVerifyCommand(
  file: string,
  raw: unknown,
  fx: Effects,
  open = false,
): Promise<void> {
  const o = parseOptions(Verify.extend({ out: z.string().min(1).optional() }), raw);
  if (open && !o.out) throw new UnspoofError('USAGE', '--out DIR: where to open the package');
  const identity = o.identity ? fs.readFileSync(o.identity, 'utf8') : undefined;
  const v = await verifyPackage(file, {
    identity: identity && ageIdentity(identity),
    expect: o.key,
    out: o.out && path.resolve(o.out),
  });
  if (o.json)
    fx.out(JSON.stringify({ holds: v.holds, broken: v.broken, dir: o.out ? v.dir : null }));
  else {
    for (const h of v.holds) fx.out(`holds: ${h}`);
    for (const b of v.broken) fx.out(`BROKEN: ${b}`);
    if (o.out) fx.note(`Opened into ${v.dir}`);
  }
  if (v.broken.length)
    throw new UnspoofError(
      'PACKAGE_INVALID',
      `${v.broken.length} check(s) of ${file} do not hold: ${v.broken[0]}`,
    );
}

/** The identity in a key file as age-keygen writes it (comments, then AGE-SECRET-KEY-1…). */
function ageIdentity(text: string): string {
  const key = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('AGE-SECRET-KEY-1'));
  if (!key)
    throw new UnspoofError('KEY_INVALID', 'no age identity (AGE-SECRET-KEY-1…) in --identity');
  return key;
}
