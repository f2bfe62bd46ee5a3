import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { asRead } from '../../test/console-case.ts';
import { html } from '../shared/html.ts';
import { ascii } from './layout.ts';

test('a page goes out as ASCII that reads back as the text it was made of, whatever the text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      const page = html`<p title="${text}">${text}</p>`.value;
      const bytes = ascii(page);
      assert.ok(bytes.every((b) => b < 0x80));
      assert.equal(asRead(bytes.toString('latin1')), asRead(page));
    }),
    { numRuns: 500 },
  );
  assert.equal(
    ascii('+44 7700 9•• •23 · 𝄞').toString(),
    '+44 7700 9&#8226;&#8226; &#8226;23 &#183; &#119070;',
  );
});
