/**
 * The signed manifest: every file with its size and SHA-256, signed as a JWS (EdDSA) whose
 * `kid` is the key's fingerprint; any changed byte of a file, the manifest or the signature is
 * found and named; a file added or removed is named; another key is refused.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { tempDir } from '../../test/fixtures.ts';
import { checkFiles, fingerprint, manifestOf, signManifest, verifyManifest } from './manifest.ts';

function packageDir(): string {
  const dir = tempDir('unspoof-manifest-');
  fs.mkdirSync(path.join(dir, 'tables'));
  fs.writeFileSync(path.join(dir, 'tables', 'suspects.csv'), 'account_id,score\nu1,9\n');
  fs.writeFileSync(path.join(dir, 'report.html'), '<h1>NL</h1>');
  return dir;
}

test('a signed manifest lists every file and verifies with the unit key alone', async () => {
  const dir = packageDir();
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const m = await manifestOf(
    dir,
    { country: 'NL', id: 1, uuid: '0b7a3c1e-5f0d-4c3e-9a51-3f6c2d1e8b90' },
    new Date('2026-12-07T10:00:00Z'),
  );
  assert.deepEqual(
    m.files.map((f) => [f.path, f.bytes]),
    [
      ['report.html', 11],
      ['tables/suspects.csv', 22],
    ],
  );
  assert.equal(
    m.files[1]?.sha256,
    crypto.createHash('sha256').update('account_id,score\nu1,9\n').digest('hex'),
  );
  const jws = await signManifest(m, privateKey);
  assert.equal(decodeProtectedHeader(jws).kid, fingerprint(publicKey));
  assert.deepEqual(await verifyManifest(jws, publicKey), m);
  assert.deepEqual(await checkFiles(dir, m), []);

  // One changed byte of the signature, of the payload, or another key: refused.
  const [h, p, s] = jws.split('.') as [string, string, string];
  const flip = (x: string) => `${x.slice(0, 5)}${x[5] === 'A' ? 'B' : 'A'}${x.slice(6)}`;
  await assert.rejects(verifyManifest(`${h}.${p}.${flip(s)}`, publicKey), { code: 'NOTE_INVALID' });
  await assert.rejects(verifyManifest(`${h}.${flip(p)}.${s}`, publicKey), { code: 'NOTE_INVALID' });
  const other = crypto.generateKeyPairSync('ed25519').publicKey;
  await assert.rejects(verifyManifest(jws, other), /does not verify with the key/);

  // A file changed, removed or added: named.
  fs.appendFileSync(path.join(dir, 'tables', 'suspects.csv'), 'u2,1\n');
  fs.rmSync(path.join(dir, 'report.html'));
  fs.writeFileSync(path.join(dir, 'extra.txt'), 'x');
  assert.deepEqual((await checkFiles(dir, m)).sort(), [
    'extra.txt: not in the manifest',
    'report.html: missing',
    "tables/suspects.csv: changed (its SHA-256 is not the manifest's)",
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
});
