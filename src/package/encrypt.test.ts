/**
 * age encryption against the standard `age` tool (Debian's, an implementation we did not
 * write; CI installs it): what we encrypt `age -d` decrypts byte for byte, for several
 * recipients and across age's 64 KiB chunks; what `age` encrypts we decrypt; a changed byte, or
 * another identity, is refused and leaves nothing behind; a recipient that is not one is named.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ageSkip, keygen } from '../../test/age.ts';
import { tempDir } from '../../test/fixtures.ts';
import { checkRecipients, decryptFile, encryptFile } from './encrypt.ts';

test(
  'what we encrypt, age -d decrypts; what age encrypts, we decrypt',
  { skip: ageSkip },
  async () => {
    const dir = tempDir('unspoof-age-');
    const nl = keygen(dir, 'nl');
    const be = keygen(dir, 'be');
    // Three chunks and a bit: the stream's chunk boundaries are crossed.
    const plain = crypto.randomBytes(3 * 65_536 + 1_234);
    fs.writeFileSync(path.join(dir, 'plain.bin'), plain);
    await encryptFile(path.join(dir, 'plain.bin'), path.join(dir, 'p.age'), [
      nl.recipient,
      be.recipient,
    ]);
    for (const who of [nl, be]) {
      const r = spawnSync('age', ['-d', '-i', who.file, path.join(dir, 'p.age')]);
      assert.equal(r.status, 0, String(r.stderr));
      assert.ok(Buffer.from(r.stdout).equals(plain), 'age -d gives back the bytes');
    }
    // age encrypts; we decrypt.
    const byAge = path.join(dir, 'by-age.age');
    const r = spawnSync('age', ['-r', nl.recipient, '-o', byAge, path.join(dir, 'plain.bin')]);
    assert.equal(r.status, 0, String(r.stderr));
    await decryptFile(byAge, path.join(dir, 'back.bin'), nl.secret);
    assert.ok(fs.readFileSync(path.join(dir, 'back.bin')).equals(plain));

    // Another identity, or one changed byte: refused, nothing left behind.
    const other = keygen(dir, 'other');
    await assert.rejects(decryptFile(byAge, path.join(dir, 'x.bin'), other.secret), {
      code: 'NOTE_INVALID',
    });
    const bytes = fs.readFileSync(path.join(dir, 'p.age'));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 1, bytes.length - 100);
    fs.writeFileSync(path.join(dir, 'changed.age'), bytes);
    await assert.rejects(
      decryptFile(path.join(dir, 'changed.age'), path.join(dir, 'y.bin'), nl.secret),
      {
        code: 'NOTE_INVALID',
      },
    );
    assert.equal(fs.existsSync(path.join(dir, 'y.bin')), false);
    fs.rmSync(dir, { recursive: true, force: true });
  },
);

test('a recipient that is not an age X25519 recipient is refused, named', () => {
  assert.throws(() => checkRecipients([]), /at least one age recipient/);
  assert.throws(() => checkRecipients(['ssh-ed25519 AAAA']), /is not an age X25519 recipient/);
  // A valid shape with a broken checksum.
  const good = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
  checkRecipients([good]);
  assert.throws(() => checkRecipients([`${good.slice(0, -1)}q`]), /checksum fails/);
});
