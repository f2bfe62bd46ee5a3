/**
 * Evidence packages are encrypted with age (age-encryption.org/v1: X25519 recipients, several
 * per package), streamed from file to file so that a package of several GB never sits in
 * memory, with the `age-encryption` library. A partner without unspoof decrypts with the
 * standard `age` tool (`age -d -i key.txt package.age`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { UnspoofError } from '../shared/errors.ts';

/** A native age X25519 recipient: `age1` and 58 bech32 characters (what every age tool reads). */
const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

/** Refuses anything but X25519 age recipients, naming the first that is not one. */
export function checkRecipients(recipients: readonly string[]): void {
  if (recipients.length === 0)
    throw new UnspoofError('USAGE', 'a package needs at least one age recipient (age1…)');
  for (const r of recipients) {
    if (!RECIPIENT.test(r))
      throw new UnspoofError(
        'USAGE',
        `${JSON.stringify(r.slice(0, 80))} is not an age X25519 recipient (age1 and 58 characters, as age-keygen prints)`,
      );
    try {
      new Encrypter().addRecipient(r);
    } catch {
      throw new UnspoofError('USAGE', `${r} is not a valid age recipient (its checksum fails)`);
    }
  }
}

const webStream = (file: string) =>
  Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream<Uint8Array>;

/** Encrypts `src` to `dst` for every recipient, streamed. */
export async function encryptFile(
  src: string,
  dst: string,
  recipients: readonly string[],
): Promise<void> {
  await encryptStream(fs.createReadStream(src), dst, recipients);
}

/**
 * Encrypts what `src` yields (a tar being written, say) to `dst`, streamed; returns the size and
 * SHA-256 of what it wrote, taken on the way out rather than by reading the file back.
 */
export async function encryptStream(
  src: AsyncIterable<Uint8Array>,
  dst: string,
  recipients: readonly string[],
): Promise<{ bytes: number; sha256: string }> {
  checkRecipients(recipients);
  const e = new Encrypter();
  for (const r of recipients) e.addRecipient(r);
  const input = Readable.toWeb(Readable.from(src)) as unknown as ReadableStream<Uint8Array>;
  const out = await e.encrypt(input);
  const h = crypto.createHash('sha256');
  let bytes = 0;
  await pipeline(
    Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>),
    async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const c of chunks) {
        bytes += c.length;
        h.update(c);
        yield c;
      }
    },
    fs.createWriteStream(dst),
  );
  return { bytes, sha256: h.digest('hex') };
}

/**
 * Decrypts `src` to `dst` with an age identity (`AGE-SECRET-KEY-1…`), streamed. A file not for
 * this identity, or changed, is refused (NOTE_INVALID) and nothing is left at `dst`.
 */
export async function decryptFile(src: string, dst: string, identity: string): Promise<void> {
  const d = new Decrypter();
  try {
    d.addIdentity(identity.trim());
  } catch {
    throw new UnspoofError('KEY_INVALID', 'not an age identity (AGE-SECRET-KEY-1…)');
  }
  try {
    const out = await d.decrypt(webStream(src));
    await pipeline(
      Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>),
      fs.createWriteStream(dst),
    );
  } catch (e) {
    fs.rmSync(dst, { force: true });
    throw new UnspoofError(
      'NOTE_INVALID',
      `${src} cannot be decrypted with this identity: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
