import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import smpp from 'smpp';
import { smsBytes } from './sms-bytes.ts';

const { chars, extChars } = smpp.gsmCoder.GSM;
const gsmChar = fc.constantFrom(...chars, ...extChars);

test('GSM texts get the bytes the smpp package would write, with data coding 0', () => {
  fc.assert(
    fc.property(fc.array(gsmChar, { maxLength: 400 }), (cs) => {
      const text = cs.join('');
      assert.equal(smpp.encodings.ASCII.match(text), true);
      const b = smsBytes(text);
      assert.equal(b.dataCoding, 0x00);
      assert.deepEqual(b.bytes, smpp.encodings.ASCII.encode(text));
    }),
    { numRuns: 2000 },
  );
});

test('any other text is UCS-2 exactly as the package writes it, and GSM only when it matches', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(gsmChar, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 60 }),
      (cs) => {
        const text = cs.join('');
        const b = smsBytes(text);
        const gsm = smpp.encodings.ASCII.match(text);
        assert.equal(b.dataCoding, gsm ? 0x00 : 0x08);
        assert.deepEqual(
          b.bytes,
          gsm ? smpp.encodings.ASCII.encode(text) : smpp.encodings.UCS2.encode(text),
        );
      },
    ),
    { numRuns: 2000 },
  );
});

test('the escapes and a real campaign text', () => {
  assert.deepEqual([...smsBytes('€\\[').bytes], [0x1b, 0x65, 0x1b, 0x2f, 0x1b, 0x3c]);
  assert.equal(smsBytes('Met Police: ref K7QM-4XD2-9V. Reply STOP').dataCoding, 0x00);
  assert.equal(smsBytes('Heddlu: cyfeirnod ŵ').dataCoding, 0x08);
});
