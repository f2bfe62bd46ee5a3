/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and the tlog checkpoints
 * (c2sp.org/tlog-checkpoint) written as their text: origin, tree size, base64 root hash. A
 * note's text ends in a newline; a blank line, then one line per signature:
 * `— <key name> base64(key ID || signature)`, the key ID being the first four bytes of
 * SHA-256(key name || 0x0A || 0x01 || public key). A verifier key (vkey) is
 * `<key name>+<hex key ID>+base64(0x01 || public key)`.
 */
import crypto from 'node:crypto';
import { UnspoofError } from '../shared/errors.ts';

const ED25519 = 0x01;
const DASH = '\u2014';

export interface VerifierKey {
  name: string;
  id: Buffer;
  publicKey: Buffer;
}

/** The key ID of an Ed25519 key under `name`. */
export function keyId(name: string, publicKey: Buffer): Buffer {
  return crypto
    .createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

const validName = (name: string) => name.length > 0 && !/[\s+]/u.test(name);

/** The vkey text of an Ed25519 public key (32 bytes) under `name`. */
export function formatVkey(name: string, publicKey: Buffer): string {
  if (!validName(name)) throw new UnspoofError('USAGE', `"${name}" cannot name a key`);
  return `${name}+${keyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
}

/** Reads a vkey; refuses anything but an Ed25519 key whose ID matches its name and key. */
export function parseVkey(text: string): VerifierKey {
  // The name and the key ID hold no plus; the key's base64 may.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text.trim());
  const bad = (why: string) => new UnspoofError('KEY_INVALID', `not a verifier key: ${why}`);
  if (!m) throw bad('expected <name>+<key ID>+<key>');
  const [, name, hex, b64] = m as unknown as [string, string, string, string];
  if (!validName(name)) throw bad('its name is empty or holds a space or a plus');
  if (!/^[0-9a-f]{8}$/.test(hex)) throw bad('its key ID is not eight hex digits');
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519 || raw.toString('base64') !== b64)
    throw bad('it is not an Ed25519 key');
  const publicKey = raw.subarray(1);
  const id = Buffer.from(hex, 'hex');
  if (!id.equals(keyId(name, publicKey))) throw bad('its key ID does not match its key');
  return { name, id, publicKey };
}

/** The raw 32 bytes of an Ed25519 public key. */
export function rawPublicKey(key: crypto.KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

/** `text` (ending in a newline) signed by `privateKey` under `name`. */
export function signNote(text: string, name: string, privateKey: crypto.KeyObject): string {
  checkText(text);
  const pub = rawPublicKey(crypto.createPublicKey(privateKey));
  const sig = crypto.sign(null, Buffer.from(text, 'utf8'), privateKey);
  const line = Buffer.concat([keyId(name, pub), sig]).toString('base64');
  return `${text}\n${DASH} ${name} ${line}\n`;
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new UnspoofError('NOTE_INVALID', 'a note ends in a newline');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text))
    throw new UnspoofError('NOTE_INVALID', 'a note holds no control characters but newlines');
}

/**
 * The text of a signed note, once a signature by `key` on it verifies. Signatures by other keys
 * are ignored, as the spec asks; a note that `key` did not sign, or whose signature by it fails,
 * is refused (NOTE_INVALID) saying which.
 */
export function openNote(note: string, key: VerifierKey): string {
  const refuse = (why: string) => new UnspoofError('NOTE_INVALID', `the signed note ${why}`);
  if (note.length > 1_000_000) throw refuse('is too large');
  const at = note.lastIndexOf('\n\n');
  if (at < 0 || !note.endsWith('\n')) throw refuse('has no signature lines');
  const text = note.slice(0, at + 1);
  checkText(text);
  const lines = note.slice(at + 2, -1).split('\n');
  if (lines.length > 100) throw refuse('has too many signatures');
  let verified = false;
  for (const line of lines) {
    const m = new RegExp(`^${DASH} ([^\\s+]+) ([A-Za-z0-9+/=]+)$`).exec(line);
    if (!m) throw refuse(`has a malformed signature line: ${JSON.stringify(line.slice(0, 80))}`);
    const raw = Buffer.from(m[2] as string, 'base64');
    if (m[1] !== key.name || raw.length < 4 || !raw.subarray(0, 4).equals(key.id)) continue;
    const ok =
      raw.length === 68 &&
      crypto.verify(
        null,
        Buffer.from(text, 'utf8'),
        crypto.createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey.toString('base64url') },
          format: 'jwk',
        }),
        raw.subarray(4),
      );
    if (!ok) throw refuse(`has a signature by ${key.name} that does not verify`);
    verified = true;
  }
  if (!verified) throw refuse(`is not signed by ${key.name}`);
  return text;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** The note text of a checkpoint. */
export function formatCheckpoint(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

/** Reads a checkpoint's note text (extension lines are allowed and ignored). */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  const refuse = (why: string) => new UnspoofError('NOTE_INVALID', `not a checkpoint: ${why}`);
  if (!origin) throw refuse('its origin line is empty');
  if (!size || !/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw refuse('its second line is not a tree size');
  const hash = Buffer.from(root ?? '', 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root)
    throw refuse('its third line is not a base64 SHA-256 hash');
  if (lines.slice(3, -1).some((l) => l === '')) throw refuse('it has an empty extension line');
  return { origin, size: Number(size), root: hash };
}
