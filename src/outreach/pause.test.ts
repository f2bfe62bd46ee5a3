import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import test from 'node:test';
import { pause } from './pause.ts';

test('a pause leaves no abort listener behind, and an abort ends it at once', async () => {
  const ac = new AbortController();
  for (let i = 0; i < 20; i++) await pause(1, ac.signal);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  const t0 = Date.now();
  const long = pause(60_000, ac.signal);
  ac.abort();
  await long;
  assert.ok(Date.now() - t0 < 1000, 'the abort ended the pause');
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  await pause(60_000, ac.signal); // already aborted: returns at once
});
