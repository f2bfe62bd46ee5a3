/**
 * A package's manifest: every file with its size and SHA-256, signed as a JWS (EdDSA, `jose`)
 * with the unit's Ed25519 key, whose fingerprint (the SHA-256 of its SubjectPublicKeyInfo, hex)
 * is the signature's `kid` and is written in the package, so that a partner can match it with
 * the key the unit gave them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CompactSign, compactVerify } from 'jose';
import { z } from 'zod';
import { UnspoofError } from '../shared/errors.ts';

export const ManifestSchema = z.object({
  format: z.literal('unspoof-package/1'),
  country: z.string().regex(/^[A-Z]{2}$/),
  /** The package (its number in the unit's register, and its UUID). */
  package: z.object({ id: z.number().int().positive(), uuid: z.string().uuid() }),
  created: z.string(),
  files: z.array(
    z.object({
      path: z.string().min(1),
      bytes: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The key's fingerprint: SHA-256 of its DER SubjectPublicKeyInfo, hex. */
export function fingerprint(publicKey: crypto.KeyObject): string {
  return crypto
    .createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

/** A file's size and SHA-256, read as a stream. */
export async function digestFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const h = crypto.createHash('sha256');
  let bytes = 0;
  await pipeline(fs.createReadStream(file), async function* (chunks) {
    for await (const c of chunks as AsyncIterable<Buffer>) {
      bytes += c.length;
      h.update(c);
    }
  });
  return { bytes, sha256: h.digest('hex') };
}

/** The manifest of the files under `dir` (paths relative to it, `/`-separated, sorted). */
export async function manifestOf(
  dir: string,
  pkg: { country: string; id: number; uuid: string },
  created: Date,
): Promise<Manifest> {
  const paths = (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  const files = [];
  for (const p of paths) files.push({ path: p, ...(await digestFile(path.join(dir, p))) });
  return {
    format: 'unspoof-package/1',
    country: pkg.country,
    package: { id: pkg.id, uuid: pkg.uuid },
    created: created.toISOString(),
    files,
  };
}

/** The manifest signed: a compact JWS, EdDSA, `kid` the key's fingerprint. */
export async function signManifest(m: Manifest, privateKey: crypto.KeyObject): Promise<string> {
  const kid = fingerprint(crypto.createPublicKey(privateKey));
  return new CompactSign(new TextEncoder().encode(JSON.stringify(m)))
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'unspoof-manifest+jws' })
    .sign(privateKey);
}

/** The manifest a JWS carries, once its signature by `publicKey` verifies (NOTE_INVALID if not). */
export async function verifyManifest(jws: string, publicKey: crypto.KeyObject): Promise<Manifest> {
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws.trim(), publicKey, { algorithms: ['EdDSA'] }));
  } catch (e) {
    throw new UnspoofError(
      'NOTE_INVALID',
      `the manifest's signature does not verify with the key ${fingerprint(publicKey).slice(0, 16)}…: ${(e as Error).message}`,
    );
  }
  const parsed = ManifestSchema.safeParse(JSON.parse(new TextDecoder().decode(payload)));
  if (!parsed.success)
    throw new UnspoofError(
      'NOTE_INVALID',
      'the signed manifest is not an unspoof package manifest',
    );
  return parsed.data;
}

/**
 * What does not hold of the files under `dir` against the manifest: a file missing, changed
 * (size or SHA-256), or present but not listed. Nothing: every file is as signed.
 */
export async function checkFiles(
  dir: string,
  m: Manifest,
  ignore: readonly string[] = [],
): Promise<string[]> {
  const problems: string[] = [];
  const listed = new Set(m.files.map((f) => f.path));
  for (const f of m.files) {
    const file = path.join(dir, ...f.path.split('/'));
    if (!path.resolve(file).startsWith(path.resolve(dir) + path.sep)) {
      problems.push(`${f.path}: a path outside the package`);
      continue;
    }
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!st) {
      problems.push(`${f.path}: missing`);
      continue;
    }
    // Only a regular file is read: a link could point anywhere on the receiving disk.
    if (!st.isFile()) {
      problems.push(`${f.path}: not a regular file (a folder or a link)`);
      continue;
    }
    const d = await digestFile(file);
    if (d.bytes !== f.bytes || d.sha256 !== f.sha256)
      problems.push(`${f.path}: changed (its SHA-256 is not the manifest's)`);
  }
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (e.isDirectory()) continue;
    const p = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (!e.isFile()) problems.push(`${p}: a link or special file, which a package never holds`);
    else if (!listed.has(p) && !ignore.includes(p)) problems.push(`${p}: not in the manifest`);
  }
  return problems;
}
