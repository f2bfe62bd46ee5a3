/**
 * Signed notes and checkpoints against the C2SP specifications' own examples (an independent
 * signer), and against tampering: a changed byte of the text or the signature, another key, a
 * malformed line, each refused with the reason.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import {
  formatCheckpoint,
  formatVkey,
  openNote,
  parseCheckpoint,
  parseVkey,
  rawPublicKey,
  signNote,
} from './note.ts';

// c2sp.org/signed-note, "Verifier keys", Example.
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

test('the signed-note specification’s example verifies with its verifier key', () => {
  const key = parseVkey(SPEC_VKEY);
  assert.equal(openNote(SPEC_NOTE, key), 'This is an example message.\n');
  // Re-encoding its key gives the same vkey: our key IDs are the spec's.
  assert.equal(formatVkey(key.name, key.publicKey), SPEC_VKEY);
  // One changed character of the text, or of the signature, is refused.
  assert.throws(() => openNote(SPEC_NOTE.replace('example', 'exbmple'), key), /does not verify/);
  assert.throws(
    () => openNote(SPEC_NOTE.replace('Uw2QOkn8', 'Uw2QOkn9'), key),
    /NOTE_INVALID|not signed|does not verify/,
  );
});

test('a note we sign verifies with our vkey, and not with another', () => {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const other = crypto.generateKeyPairSync('ed25519');
  const name = 'unspoof.audit/case-1';
  const text = formatCheckpoint({ origin: name, size: 42, root: crypto.randomBytes(32) });
  const note = signNote(text, name, privateKey);
  const vkey = formatVkey(name, rawPublicKey(crypto.createPublicKey(privateKey)));
  assert.equal(openNote(note, parseVkey(vkey)), text);
  assert.deepEqual(parseCheckpoint(openNote(note, parseVkey(vkey))).size, 42);
  const wrong = parseVkey(formatVkey(name, rawPublicKey(other.publicKey)));
  assert.throws(() => openNote(note, wrong), /is not signed by/);
  // A signature by an unknown key beside ours is ignored, as the spec asks.
  const cosigned = `${note}${signNote(text, 'witness.example/w', other.privateKey).slice(text.length + 1)}`;
  assert.equal(openNote(cosigned, parseVkey(vkey)), text);
  assert.throws(
    () => openNote(note.replace('\n42\n', '\n43\n'), parseVkey(vkey)),
    /does not verify/,
  );
  assert.throws(
    () => openNote(note.replace('\u2014', '-'), parseVkey(vkey)),
    /malformed signature line/,
  );
});

test('vkeys and checkpoints that are not well formed are refused with the reason', () => {
  assert.throws(
    () => parseVkey('example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k'),
    /key ID does not match/,
  );
  assert.throws(() => parseVkey('nothing'), /KEY_INVALID|expected/);
  const root = crypto.randomBytes(32).toString('base64');
  assert.throws(() => parseCheckpoint(`o\n012\n${root}\n`), /tree size/);
  assert.throws(() => parseCheckpoint(`o\n12\nabc\n`), /base64 SHA-256/);
  assert.throws(() => parseCheckpoint(`\n12\n${root}\n`), /origin/);
  assert.equal(parseCheckpoint(`o\n0\n${root}\nextension\n`).size, 0);
  assert.throws(() => parseCheckpoint(`o\n0\n${root}\n\nextension\n`), /empty extension line/);
  // A key name holds no plus, in a signature line as in a vkey.
  assert.throws(
    () =>
      openNote(SPEC_NOTE.replace('— example.com/foo', '— example.com/f+o'), parseVkey(SPEC_VKEY)),
    /malformed signature line/,
  );
});
