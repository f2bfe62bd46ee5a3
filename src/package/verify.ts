/**
 * `unspoof package verify` and `package open` (docs/package.md): the receiving side, which needs
 * no database. A package is taken as it came (`.age`, decrypted with the partner's identity),
 * as the tar `age -d` gives, or as a folder already opened. Every check is run and reported in
 * plain words — what holds and what does not — rather than stopping at the first.
 *
 * Trust is anchored in one thing the partner got from the unit by another channel: the
 * fingerprint of the unit's signing key (`--key`). The signed manifest covers every other file,
 * the audit log's verifier key included; without the fingerprint the package proves only that
 * it is whole, not who made it, and verify says so as a failure.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import * as tar from 'tar';
import { parseVkey } from '../audit/note.ts';
import { openCheckpoint, verifyProof } from '../audit/proofs.ts';
import { UnspoofError } from '../shared/errors.ts';
import { OUTSIDE_MANIFEST } from './build.ts';
import { decryptFile } from './encrypt.ts';
import { checkFiles, fingerprint, verifyManifest, type Manifest } from './manifest.ts';

export interface Verdict {
  /** The opened package's folder (null when nothing could be opened). */
  dir: string | null;
  holds: string[];
  broken: string[];
  manifest: Manifest | null;
}

const AGE_HEADER = 'age-encryption.org/v1\n';
/** Compressed archives are refused: a package is a plain tar (and cannot be a bomb). */
const COMPRESSED: Array<[string, Buffer]> = [
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
];

function head(file: string, n: number): Buffer {
  const b = Buffer.alloc(n);
  const fd = fs.openSync(file, 'r');
  try {
    return b.subarray(0, fs.readSync(fd, b, 0, n, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens `input` into `into` (new or empty): decrypts an age file with `identity` (to a
 * temporary file outside `into`), unpacks a tar, or takes a folder as it is. Returns the
 * package's folder, or null with the reason in `broken` when there is nothing to check.
 */
async function openInto(
  input: string,
  into: string,
  identity: string | undefined,
  holds: string[],
  broken: string[],
): Promise<string | null> {
  if (!fs.existsSync(input)) throw new UnspoofError('USAGE', `${input} does not exist`);
  if (fs.statSync(input).isDirectory()) return packageRoot(input, broken);
  let tarFile = input;
  let scratch: string | null = null;
  try {
    if (head(input, AGE_HEADER.length).toString('latin1') === AGE_HEADER) {
      if (!identity)
        throw new UnspoofError(
          'USAGE',
          `${input} is encrypted (age): give the partner's identity with --identity FILE`,
        );
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-open-'));
      tarFile = path.join(scratch, 'package.tar');
      try {
        await decryptFile(input, tarFile, identity);
      } catch (e) {
        broken.push(
          `The package does not decrypt with your identity: it was changed, cut short, or is not for this identity (${(e as Error).message}).`,
        );
        return null;
      }
      holds.push('The package decrypts with your identity (age, X25519): it is whole as sent.');
    }
    const magic = head(tarFile, 6);
    const packed = COMPRESSED.find(([, m]) => magic.subarray(0, m.length).equals(m));
    if (packed) {
      broken.push(`${input} is ${packed[0]}-compressed: a package is a plain tar.`);
      return null;
    }
    return await untar(tarFile, into, broken);
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Unpacks a package's tar: one top-level folder of files and folders. Anything else (a file
 * beside the folder, a second folder, a link, a device) is named in `broken` and not written.
 */
async function untar(file: string, into: string, broken: string[]): Promise<string | null> {
  const tops = new Set<string>();
  const refused: string[] = [];
  try {
    await tar.list({
      file,
      strict: true,
      onReadEntry: (e) => {
        const parts = e.path.split('/').filter(Boolean);
        if (parts.length > 1 || e.type === 'Directory') tops.add(parts[0] as string);
        if (parts.length < 2 && e.type !== 'Directory')
          refused.push(`${e.path}: beside the package's folder`);
        else if (e.type !== 'File' && e.type !== 'Directory')
          refused.push(`${e.path}: a ${e.type}, which a package never holds`);
      },
    });
  } catch (e) {
    broken.push(`It is not a package (a tar): ${(e as Error).message}.`);
    return null;
  }
  if (tops.size !== 1) {
    broken.push(
      `A package is one folder; this holds ${tops.size ? [...tops].join(', ') : 'none'}.`,
    );
    return null;
  }
  broken.push(...refused.map((r) => `Entry ${r} (not written).`));
  const [top] = tops as unknown as [string];
  fs.mkdirSync(into, { recursive: true });
  await tar.extract({
    file,
    cwd: into,
    strict: true,
    filter: (p, e) =>
      'type' in e &&
      (e.type === 'File' || e.type === 'Directory') &&
      p.split('/').filter(Boolean)[0] === top &&
      p.split('/').filter(Boolean).length > 1,
  });
  return packageRoot(path.join(into, top), broken);
}

/** The folder holding `manifest.jws`: `dir` itself or its one sub-folder. */
function packageRoot(dir: string, broken: string[]): string | null {
  if (fs.existsSync(path.join(dir, 'manifest.jws'))) return dir;
  const subs = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  if (subs.length === 1 && fs.existsSync(path.join(dir, subs[0]!.name, 'manifest.jws')))
    return path.join(dir, subs[0]!.name);
  broken.push(`${dir} holds no package (no manifest.jws).`);
  return null;
}

/** A file of the package as text, or null when it is not a regular file there. */
function readIn(root: string, f: string): string | null {
  const p = path.join(root, f);
  const st = fs.lstatSync(p, { throwIfNoEntry: false });
  return st?.isFile() ? fs.readFileSync(p, 'utf8') : null;
}

/** Checks an opened package's folder; `expect` is the unit's key fingerprint, if known. */
export async function checkPackage(root: string, expect?: string): Promise<Omit<Verdict, 'dir'>> {
  const holds: string[] = [];
  const broken: string[] = [];
  const manifest = await checkSignature(root, expect, holds, broken);
  if (manifest) {
    const plain = readIn(root, 'manifest.json');
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
  checkProofs(root, manifest, holds, broken);
  return { holds, broken, manifest };
}

/** The manifest, once its signature verifies with the unit's key (anchored by `expect`). */
async function checkSignature(
  root: string,
  expect: string | undefined,
  holds: string[],
  broken: string[],
): Promise<Manifest | null> {
  const pem = readIn(root, 'unit-key.pem');
  const jws = readIn(root, 'manifest.jws');
  let key: crypto.KeyObject;
  try {
    if (pem === null) throw new Error('unit-key.pem is missing');
    key = crypto.createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('it is not an Ed25519 key');
  } catch (e) {
    broken.push(`The unit's public key cannot be read: ${(e as Error).message}.`);
    return null;
  }
  const fp = fingerprint(key);
  if (!expect)
    broken.push(
      `The signing key (fingerprint ${fp}) was not checked against the one the unit gave you: without --key, anyone could have made this package. Compare the fingerprint by another channel and verify with --key.`,
    );
  else if (expect.toLowerCase() !== fp)
    broken.push(
      `The package is signed with the key ${fp}, not the unit's key ${expect.toLowerCase()} you expected.`,
    );
  else holds.push(`The signing key is the unit's key you expected (${fp}).`);
  if (jws === null) {
    broken.push('manifest.jws (the signed manifest) is missing.');
    return null;
  }
  try {
    const kid = decodeProtectedHeader(jws.trim()).kid;
    if (kid !== fp) throw new Error(`its kid (${String(kid)}) is not the key's fingerprint`);
    const manifest = await verifyManifest(jws, key);
    holds.push(
      `The manifest's signature verifies with that key: package ${manifest.package.id} (${manifest.package.uuid}) for ${manifest.country}, made ${manifest.created}.`,
    );
    return manifest;
  } catch (e) {
    broken.push(`The manifest's signature does not verify: ${(e as Error).message}`);
    return null;
  }
}

/**
 * The package's audit checkpoint and the inclusion proofs of its own entries: each proof must
 * hold, and together they must show this package asked for, approved by someone else, and
 * built. The log's key is trusted because the signed manifest lists it.
 */
function checkProofs(
  root: string,
  manifest: Manifest | null,
  holds: string[],
  broken: string[],
): void {
  try {
    const read = (f: string) => {
      const t = readIn(root, `audit/${f}`);
      if (t === null) throw new Error(`audit/${f} is missing`);
      return t;
    };
    const key = parseVkey(read('log.vkey'));
    const note = read('checkpoint.txt');
    const c = openCheckpoint(note, key);
    holds.push(
      `The audit checkpoint is signed by the case's log key (${c.origin}, ${c.size} entries).`,
    );
    const proofs = JSON.parse(read('proofs.json')) as unknown;
    if (!Array.isArray(proofs) || proofs.length === 0) {
      broken.push('audit/proofs.json holds no proof of the package’s audit entries.');
      return;
    }
    const proven: Array<{ action: string; actor: string; target: string | null }> = [];
    for (const p of proofs as Array<{ entry?: number; checkpoint?: string; text?: string }>) {
      try {
        if (p.checkpoint !== note)
          throw new Error('the proof is against another checkpoint than audit/checkpoint.txt');
        holds.push(verifyProof(p, key));
        proven.push(JSON.parse(String(p.text)) as (typeof proven)[number]);
      } catch (e) {
        broken.push(`The proof of entry ${p.entry ?? '?'} does not hold: ${(e as Error).message}`);
      }
    }
    if (!manifest) return;
    const target = `package:${manifest.package.id}`;
    const of = (action: string) => proven.filter((e) => e.target === target && e.action === action);
    const [asked] = of('package_request');
    const [approved] = of('package_approve');
    if (!asked || !approved || !of('package_build').length)
      broken.push(
        `The proven audit entries do not show package ${manifest.package.id} asked for, approved and built.`,
      );
    else if (asked.actor === approved.actor)
      broken.push(`Package ${manifest.package.id} was approved by the person who asked for it.`);
    else
      holds.push(
        `The log shows package ${manifest.package.id} asked for by ${asked.actor}, approved by ${approved.actor} (a second person), and built.`,
      );
  } catch (e) {
    broken.push(`The audit checkpoint cannot be checked: ${(e as Error).message}`);
  }
}

/**
 * Opens (into `out`, new or empty, or a temporary folder removed after) and checks a package.
 * `out` is left holding what was opened even when a check fails: verify reports what broke.
 */
export async function verifyPackage(
  input: string,
  o: { identity?: string; expect?: string; out?: string },
): Promise<Verdict> {
  if (
    o.out &&
    fs.existsSync(o.out) &&
    (!fs.statSync(o.out).isDirectory() || fs.readdirSync(o.out).length)
  )
    throw new UnspoofError(
      'USAGE',
      `${o.out} is not an empty folder: open a package into a new one`,
    );
  const holds: string[] = [];
  const broken: string[] = [];
  const into = o.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-verify-'));
  try {
    const dir = await openInto(input, into, o.identity, holds, broken);
    if (!dir) return { dir: null, holds, broken, manifest: null };
    const v = await checkPackage(dir, o.expect);
    return {
      dir,
      holds: [...holds, ...v.holds],
      broken: [...broken, ...v.broken],
      manifest: v.manifest,
    };
  } finally {
    if (!o.out) fs.rmSync(into, { recursive: true, force: true });
  }
}
