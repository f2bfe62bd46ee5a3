/**
 * `unspoof package verify` and `package open` (docs/package.md): the receiving side, which needs
 * no database. A package is taken as it came (`.age`, decrypted with the partner's identity),
 * as the tar `age -d` gives, or as a folder already opened. Every check is run and reported in
 * plain words — what holds and what does not — rather than stopping at the first.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { parseVkey } from '../audit/note.ts';
import { openCheckpoint, verifyProof } from '../audit/proofs.ts';
import { UnspoofError } from '../shared/errors.ts';
import { OUTSIDE_MANIFEST } from './build.ts';
import { decryptFile } from './encrypt.ts';
import { checkFiles, fingerprint, verifyManifest, type Manifest } from './manifest.ts';

export interface Verdict {
  /** The opened package's folder. */
  dir: string;
  holds: string[];
  broken: string[];
  manifest: Manifest | null;
}

const AGE_HEADER = 'age-encryption.org/v1\n';

/**
 * Opens `input` into `into` (a new folder): decrypts an age file with `identity`, unpacks a
 * tar, or takes a folder as it is. Returns the package's own folder.
 */
export async function openInto(
  input: string,
  into: string,
  identity: string | undefined,
  holds: string[],
): Promise<string> {
  if (!fs.existsSync(input)) throw new UnspoofError('USAGE', `${input} does not exist`);
  if (fs.statSync(input).isDirectory()) return packageRoot(input);
  const head = Buffer.alloc(AGE_HEADER.length);
  const fd = fs.openSync(input, 'r');
  fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  fs.mkdirSync(into, { recursive: true });
  let tarFile = input;
  if (head.toString('latin1') === AGE_HEADER) {
    if (!identity)
      throw new UnspoofError(
        'USAGE',
        `${input} is encrypted (age): give the partner's identity with --identity FILE`,
      );
    tarFile = path.join(into, '.package.tar');
    await decryptFile(input, tarFile, identity);
    holds.push('The package decrypts with your identity (age, X25519).');
  }
  try {
    // Only files and folders: a link in a package could point anywhere on the receiving disk.
    await tar.extract({
      file: tarFile,
      cwd: into,
      strict: true,
      filter: (_p, e) => 'type' in e && (e.type === 'File' || e.type === 'Directory'),
    });
  } catch (e) {
    throw new UnspoofError(
      'PACKAGE_INVALID',
      `${input} is not a package (tar): ${(e as Error).message}`,
    );
  } finally {
    if (tarFile !== input) fs.rmSync(tarFile, { force: true });
  }
  return packageRoot(into);
}

/** The folder holding `manifest.jws`: `dir` itself or its one sub-folder. */
function packageRoot(dir: string): string {
  if (fs.existsSync(path.join(dir, 'manifest.jws'))) return dir;
  const subs = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  if (subs.length === 1 && fs.existsSync(path.join(dir, subs[0]!.name, 'manifest.jws')))
    return path.join(dir, subs[0]!.name);
  throw new UnspoofError('PACKAGE_INVALID', `${dir} holds no package (no manifest.jws)`);
}

/** Checks an opened package's folder; `expect` is the unit's key fingerprint, if known. */
export async function checkPackage(root: string, expect?: string): Promise<Omit<Verdict, 'dir'>> {
  const holds: string[] = [];
  const broken: string[] = [];
  const read = (f: string) => {
    const p = path.join(root, f);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
  };
  let manifest: Manifest | null = null;
  const pem = read('unit-key.pem');
  const jws = read('manifest.jws');
  let key: crypto.KeyObject | null = null;
  try {
    if (pem === null) throw new Error('unit-key.pem is missing');
    key = crypto.createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('it is not an Ed25519 key');
  } catch (e) {
    broken.push(`The unit's public key cannot be read: ${(e as Error).message}.`);
  }
  if (key) {
    const fp = fingerprint(key);
    if (expect && expect.toLowerCase() !== fp)
      broken.push(
        `The package is signed with the key ${fp}, not the unit's key ${expect.toLowerCase()} you expected.`,
      );
    else if (expect) holds.push(`The signing key is the one you expected (${fp}).`);
    if (jws === null) broken.push('manifest.jws (the signed manifest) is missing.');
    else
      try {
        manifest = await verifyManifest(jws, key);
        holds.push(
          `The manifest's signature verifies with the key in the package (fingerprint ${fp}${expect ? '' : ': compare it with the one the unit gave you'}).`,
        );
      } catch (e) {
        broken.push(`The manifest's signature does not verify: ${(e as Error).message}`);
      }
  }
  if (manifest) {
    const plain = read('manifest.json');
    const same = (() => {
      try {
        return plain !== null && JSON.stringify(JSON.parse(plain)) === JSON.stringify(manifest);
      } catch {
        return false;
      }
    })();
    if (!same)
      broken.push('manifest.json is not the manifest that was signed (manifest.jws holds it).');
    const problems = await checkFiles(root, manifest, OUTSIDE_MANIFEST);
    if (problems.length) broken.push(...problems.map((p) => `File ${p}.`));
    else
      holds.push(
        `All ${manifest.files.length} files are present and have the size and SHA-256 the signed manifest lists; no file was added.`,
      );
  }
  checkProofs(root, holds, broken);
  return { holds, broken, manifest };
}

/** The package's audit checkpoint and the inclusion proofs of its own entries. */
function checkProofs(root: string, holds: string[], broken: string[]): void {
  const dir = path.join(root, 'audit');
  try {
    const key = parseVkey(fs.readFileSync(path.join(dir, 'log.vkey'), 'utf8'));
    const note = fs.readFileSync(path.join(dir, 'checkpoint.txt'), 'utf8');
    const c = openCheckpoint(note, key);
    holds.push(
      `The audit checkpoint is signed by the case's log key (${c.origin}, ${c.size} entries).`,
    );
    const proofs = JSON.parse(fs.readFileSync(path.join(dir, 'proofs.json'), 'utf8')) as unknown;
    if (!Array.isArray(proofs) || proofs.length === 0) {
      broken.push('audit/proofs.json holds no proof of the package’s audit entries.');
      return;
    }
    for (const p of proofs) {
      try {
        if ((p as { checkpoint?: string }).checkpoint !== note)
          throw new Error('the proof is against another checkpoint than audit/checkpoint.txt');
        holds.push(verifyProof(p, key));
      } catch (e) {
        broken.push(
          `The proof of entry ${(p as { entry?: number }).entry ?? '?'} does not hold: ${(e as Error).message}`,
        );
      }
    }
  } catch (e) {
    broken.push(`The audit checkpoint cannot be checked: ${(e as Error).message}`);
  }
}

/** Opens (into `out`, or a temporary folder removed after) and checks a package. */
export async function verifyPackage(
  input: string,
  o: { identity?: string; expect?: string; out?: string },
): Promise<Verdict> {
  const holds: string[] = [];
  const into = o.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-verify-'));
  try {
    const dir = await openInto(input, into, o.identity, holds);
    const v = await checkPackage(dir, o.expect);
    return { dir, holds: [...holds, ...v.holds], broken: v.broken, manifest: v.manifest };
  } finally {
    if (!o.out) fs.rmSync(into, { recursive: true, force: true });
  }
}
