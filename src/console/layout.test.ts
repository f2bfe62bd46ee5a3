import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { asRead } from '../../test/console-case.ts';
import { html } from '../shared/html.ts';
import { ascii } from './layout.ts';

// What escaping, references and HTML's reading of them treat apart: quotes and markup, the C1
// controls, the first characters beyond them, beyond the 16-bit plane, and a lone surrogate.
const EDGES = ["'", '"', '&', '<', '\u0080', '\u0085', '\u009f', '\u00a0', '•', '€', '𝄞', '\ud800'];

test('a page goes out as ASCII that reads back as the text it was made of, whatever the text', () => {
  fc.assert(
    fc.property(
      fc.string({
        unit: fc.oneof(
          fc.constantFrom(...EDGES),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        ),
      }),
      (text) => {
        const page = html`<p title="${text}">${text}</p>`.value;
        const out = ascii(page).toString('utf8');
        // Beyond ASCII only the C1 controls, which have no reference HTML reads as themselves.
        assert.match(out, /^[\x00-\x9f]*$/u);
        for (const [, n] of out.matchAll(/&#(\d+);/g))
          assert.ok(Number(n) < 0x80 || Number(n) > 0x9f, n);
        assert.equal(asRead(out), asRead(page));
      },
    ),
    { numRuns: 500 },
  );
  assert.equal(ascii('a\u0085b').toString('utf8'), 'a\u0085b');
  assert.equal(
    ascii('+44 7700 9•• •23 · 𝄞').toString(),
    '+44 7700 9&#8226;&#8226; &#8226;23 &#183; &#119070;',
  );
});
