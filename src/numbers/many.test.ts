import assert from 'node:assert/strict';
import test from 'node:test';
import { normaliseMany } from './many.ts';
import { createNormaliser, normaliseNumber } from './normalise.ts';

test('numbers shared with worker threads come back in order, as the reference gives them', async () => {
  const raws: string[] = [];
  const ctxs: string[] = [];
  // Half of them national (read in GB or US): enough for the work to be shared.
  for (let i = 0; i < 100_000; i++) {
    const n = String(1_000_000 + ((i * 7919) % 8_999_999)).padStart(7, '0');
    const forms = [`+44 7700 9${n.slice(1)}`, `07911 ${n.slice(1)}`, `212555${n.slice(3)}`, 'n/a'];
    raws.push(forms[i % forms.length] as string);
    ctxs.push(['GB', 'GB', 'US', 'XX'][i % 4] as string);
  }
  const got = await normaliseMany(raws, ctxs, createNormaliser(), 2);
  assert.equal(got.length, raws.length);
  raws.forEach((raw, i) => {
    const ctx = ctxs[i] === 'GB' || ctxs[i] === 'US' ? (ctxs[i] as string) : null;
    const r = normaliseNumber(raw, ctx);
    assert.deepEqual(
      got[i],
      [r.e164, r.country, r.status, r.status === 'quarantine' ? r.reason : null],
      `${raw} in ${ctxs[i]}`,
    );
  });
});
