/**
 * The simulator's reading of user data: GSM 03.38 (its own tables, checked against the
 * gateway's encoder, which is built from the `smpp` package's) and UCS-2.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smsBytes } from '../outreach/gateways/sms-bytes.ts';
import { decodeGsm, decodeText, decodeUcs2, encodingOf } from './alphabet.ts';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

describe('GSM 03.38', () => {
  it('reads back every character the gateway encodes, basic and extension', () => {
    const text = GSM_BASIC + GSM_EXTENSION;
    const { dataCoding, bytes } = smsBytes(text);
    assert.equal(dataCoding, 0);
    assert.equal(bytes.length, GSM_BASIC.length + 2 * GSM_EXTENSION.length);
    assert.equal(decodeGsm(bytes), text);
  });

  it('reads the octets of TS 23.038 itself', () => {
    assert.equal(decodeGsm(Buffer.of(0x00, 0x01, 0x02, 0x11, 0x24, 0x40, 0x60)), '@£$_¤¡¿');
    assert.equal(
      decodeGsm(Buffer.of(0x1b, 0x65, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x14, 0x1b, 0x40)),
      '€[]^|',
    );
    // An escape before an octet the extension table lacks shows that octet's basic character;
    // an escape at the very end shows nothing.
    assert.equal(decodeGsm(Buffer.of(0x1b, 0x41, 0x42, 0x1b)), 'AB');
  });
});

describe('UCS-2', () => {
  it('reads big-endian UTF-16, surrogate pairs included', () => {
    const text = 'Привет 😀 €';
    assert.equal(decodeUcs2(Buffer.from(text, 'utf16le').swap16()), text);
  });
});

describe('data_coding', () => {
  it('names the alphabet of SMPP 3.4 codes and of TS 23.038 coding groups', () => {
    assert.equal(encodingOf(0x00), 'GSM-7');
    assert.equal(encodingOf(0x01), 'IA5');
    assert.equal(encodingOf(0x03), 'Latin-1');
    assert.equal(encodingOf(0x08), 'UCS-2');
    assert.equal(encodingOf(0x04), 'binary');
    assert.equal(encodingOf(0x10), 'GSM-7'); // general group, class 0 (a flash text)
    assert.equal(encodingOf(0x18), 'UCS-2');
    assert.equal(encodingOf(0xf0), 'GSM-7');
    assert.equal(encodingOf(0xf4), 'binary');
    assert.equal(decodeText(Buffer.of(0xe9), 'Latin-1'), 'é');
    assert.equal(decodeText(Buffer.of(0xde, 0xad), 'binary'), 'dead');
  });
});
