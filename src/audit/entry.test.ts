/**
 * The audit entry's canonical encoding and the tree heads of a small log are golden: the bytes
 * a partner re-hashes must never change silently. The values were checked with Python's
 * hashlib and json (sort_keys, compact separators, ensure_ascii off), written apart from ours.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryBytes, entryText, type Entry } from './entry.ts';
import { leafHash, rootOf } from './merkle.ts';

const LOG: Entry[] = [
  {
    id: 1,
    at: '2026-03-01T09:00:00.000Z',
    actor: 'cli:root',
    action: 'ingest',
    target: 'case',
    reason: null,
    detail: { files: [{ file: 'Master.csv', sha256: 'ab' }], rows: 3 },
  },
  {
    id: 2,
    at: '2026-03-01T09:05:00.250Z',
    actor: 'ana',
    action: 'unmask',
    target: 'victim:xyz',
    reason: 'call back — “urgent”',
    detail: { z: true, a: null },
  },
  {
    id: 3,
    at: '2026-03-01T09:06:00.000Z',
    actor: 'portal',
    action: 'portal_guessing',
    target: 'alarm:1',
    reason: null,
    detail: {},
  },
];

test('an entry is written as canonical JSON: keys sorted at every level, no spaces, UTF-8', () => {
  assert.deepEqual(LOG.map(entryText), [
    '{"action":"ingest","actor":"cli:root","at":"2026-03-01T09:00:00.000Z","detail":{"files":[{"file":"Master.csv","sha256":"ab"}],"rows":3},"id":1,"reason":null,"target":"case"}',
    '{"action":"unmask","actor":"ana","at":"2026-03-01T09:05:00.250Z","detail":{"a":null,"z":true},"id":2,"reason":"call back — “urgent”","target":"victim:xyz"}',
    '{"action":"portal_guessing","actor":"portal","at":"2026-03-01T09:06:00.000Z","detail":{},"id":3,"reason":null,"target":"alarm:1"}',
  ]);
});

test('the tree heads of a three-entry log are golden', () => {
  const leaves = LOG.map((e) => leafHash(entryBytes(e)));
  assert.deepEqual(
    [1, 2, 3].map((n) => rootOf(leaves.slice(0, n)).toString('hex')),
    [
      '94ac61d1d3f9eee792f699c5d85388e2f1f120fac3d555a7ba5cb7c058d3ab9c',
      '21c9da9d654b5f373903187fb5bbc980a94213ae9118481e54e815fc58166015',
      '5465a931149ab8b9ef2dc55330380291dae0d79f4d2a1455737d1ed37245aced',
    ],
  );
});
