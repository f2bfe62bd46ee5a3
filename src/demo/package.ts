/**
 * Demo mode only: the partner country's evidence package, through the real steps — the admin
 * registers the partner with an age identity made here, an analyst asks for the package, a
 * supervisor approves it, and it is built. The partner's identity is written beside it
 * (`partner-<cc>.agekey`, as age-keygen writes one) so anyone can try `age -d` and
 * `unspoof package verify` on it. A real partner's identity never leaves the partner.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import type { OpsDb } from '../ops/db.ts';
import { buildPackage, type BuildResult } from '../package/build.ts';
import { savePartner } from '../package/partners.ts';
import { decidePackage, requestPackage } from '../package/requests.ts';
import type { User } from '../users/roles.ts';

export async function demoPackage(
  caseDir: string,
  db: OpsDb,
  users: { admin: User; analyst: User; supervisor: User },
  o: { dir: string; country: string; partner: string },
  now: Date,
): Promise<{ built: BuildResult; identityFile: string }> {
  const cc = o.country.toLowerCase();
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const identityFile = path.join(o.dir, `partner-${cc}.agekey`);
  fs.writeFileSync(
    identityFile,
    `# created: ${now.toISOString()}\n# public key: ${recipient}\n# DEMO ONLY: the demo partner's identity\n${identity}\n`,
    { mode: 0o600 },
  );
  await savePartner(
    db,
    users.admin,
    { country: o.country, name: o.partner, recipients: [recipient] },
    false,
    now,
  );
  const asked = await requestPackage(
    db,
    users.analyst,
    { country: o.country, reason: `demo: the ${o.country} suspects and victims for ${o.partner}` },
    now,
  );
  await decidePackage(db, users.supervisor, asked.id, true, now);
  const built = await buildPackage(
    caseDir,
    db,
    {
      country: o.country,
      out: path.join(o.dir, `package-${cc}.age`),
      id: asked.id,
      actor: users.analyst.name,
    },
    now,
  );
  return { built, identityFile };
}
