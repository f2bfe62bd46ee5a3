/**
 * The synth's signature on its export: an Ed25519 signature over the SHA-256 of every data
 * file it wrote, put in export.json (`provenance`) and in a file of its own beside it
 * (`.synthetic`), so that ingest knows the export for synthetic when either of them, or
 * `"synthetic": true`, is left (docs/seized-export.md, "Synthetic exports: marked three ways").
 *
 * The key pair is made from a fixed seed written below, so anyone can sign with it: it guards
 * against accidents (a field deleted, a manifest replaced, files copied without it), not
 * against someone who means to pass synthetic data off as seized.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  digestExport,
  provenanceStatement,
  SYNTH_GENERATOR,
  SYNTH_PUBLIC_KEY,
  SYNTHETIC_FILE,
  type Provenance,
} from '../case/provenance.ts';

/** PKCS #8 DER of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The synth's private key: from a public, fixed seed (see above). */
export const SYNTH_PRIVATE_KEY = crypto.createPrivateKey({
  key: Buffer.concat([
    PKCS8_ED25519,
    crypto.createHash('sha256').update('unspoof synth: synthetic data, never seized').digest(),
  ]),
  format: 'der',
  type: 'pkcs8',
});

/** The signed provenance of the data files in `dir` (every file ingest would read). */
export async function signExport(dir: string, seed: number): Promise<Provenance> {
  const unsigned = {
    generator: SYNTH_GENERATOR,
    seed,
    algorithm: 'Ed25519' as const,
    key: SYNTH_PUBLIC_KEY,
    files: await digestExport(dir),
  };
  const signature = crypto
    .sign(null, provenanceStatement(unsigned), SYNTH_PRIVATE_KEY)
    .toString('base64');
  return { ...unsigned, signature };
}

/**
 * Signs the export in `dir` and writes the signature twice: into export.json (`manifest` with
 * `provenance` added) and into `.synthetic`. Call it once every data file is written.
 */
export async function markExport(
  dir: string,
  manifest: Record<string, unknown>,
  seed: number,
): Promise<Provenance> {
  const provenance = await signExport(dir, seed);
  fs.writeFileSync(
    path.join(dir, 'export.json'),
    `${JSON.stringify({ ...manifest, provenance }, null, 2)}\n`,
  );
  fs.writeFileSync(
    path.join(dir, SYNTHETIC_FILE),
    `${JSON.stringify({
      note: 'Synthetic data made by unspoof synth, not seized records: a case made from it must never text anyone through a live gateway. Deleting this file does not make the export real.',
      ...provenance,
    })}\n`,
  );
  return provenance;
}
