import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html, raw } from './html.ts';

test('html escapes every value, trusts only Html, and folds source indentation', () => {
  const hostile = '<script>alert("x")</script> & \'q\'';
  const out = html`<ul>
    ${['a', hostile].map((v) => html`<li>${v}</li>`)} ${null}${false}${raw('<b>kept</b>')}
  </ul>`;
  assert.equal(
    out.value,
    '<ul> <li>a</li><li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</li> <b>kept</b> </ul>',
  );
});
