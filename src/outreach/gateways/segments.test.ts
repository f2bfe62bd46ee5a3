/**
 * Long texts as segments, held to what 3GPP TS 23.040 and SMPP 3.4 say, byte for byte: the
 * septet count with the extension table, 153/152 septets and 67/66 UCS-2 characters a segment,
 * no escape or surrogate pair split, and whole submit_sm PDUs (hex) as the `smpp` package
 * writes them, against golden files in test/golden/pdus/ (UPDATE_GOLDEN=1 rewrites them).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import smpp from 'smpp';
import { segment, segmentCount, submitSmFields, type LongTextMethod } from './segments.ts';

const hex = (b: Buffer) => b.toString('hex');
const a = (n: number) => 'a'.repeat(n);

describe('segments', () => {
  it('counts GSM-7 septets with the extension table: one SMS up to 160', () => {
    for (const ch of ['€', '[', ']', '{', '}', '\\', '~', '^', '|']) {
      assert.equal(segmentCount(ch.repeat(80), 'udh'), 1, `${ch} ×80 = 160 septets`);
      assert.equal(segmentCount(ch.repeat(81), 'udh'), 2, `${ch} ×81 = 162 septets`);
    }
    assert.equal(segmentCount(a(160), 'udh'), 1);
    assert.equal(segmentCount(a(161), 'udh'), 2);
    assert.equal(segmentCount(a(306), 'udh'), 2);
    assert.equal(segmentCount(a(307), 'udh'), 3);
    assert.equal(segmentCount(a(304), 'udh16'), 2);
    assert.equal(segmentCount(a(305), 'udh16'), 3);
  });

  it('writes the 8-bit concatenation header and 153 septets a segment', () => {
    const s = segment(a(161), 'udh', 0x12a);
    assert.equal(s.dataCoding, 0);
    assert.deepEqual(
      s.segments.map((x) => [x.esmClass, hex(x.shortMessage)]),
      [
        [0x40, `0500032a0201${'61'.repeat(153)}`],
        [0x40, `0500032a0202${'61'.repeat(8)}`],
      ],
    );
  });

  it('writes the 16-bit header and 152 septets a segment', () => {
    const s = segment(a(161), 'udh16', 0x12a);
    assert.deepEqual(
      s.segments.map((x) => hex(x.shortMessage)),
      [`060804012a0201${'61'.repeat(152)}`, `060804012a0202${'61'.repeat(9)}`],
    );
  });

  it('never parts an escape from its character', () => {
    const s = segment(`${a(152)}€${'b'.repeat(10)}`, 'udh', 7);
    assert.deepEqual(
      s.segments.map((x) => hex(x.shortMessage)),
      [`050003070201${'61'.repeat(152)}`, `050003070202${'1b65'}${'62'.repeat(10)}`],
    );
    const euros = segment('€'.repeat(81), 'udh', 7).segments;
    assert.equal(euros[0]?.shortMessage.length, 6 + 152, '76 euros (152 septets) in the first');
    assert.equal(euros[1]?.shortMessage.length, 6 + 10);
  });

  it('UCS-2 when a character is not in GSM-7: 70 in one SMS, then 67 (66) a segment', () => {
    const seventy = 'Привет'.repeat(12).slice(0, 70);
    assert.equal(segment(seventy, 'udh', 1).dataCoding, 8);
    assert.equal(segmentCount(seventy, 'udh'), 1);
    const s = segment(`${seventy}!`, 'udh', 1);
    assert.deepEqual(
      s.segments.map((x) => x.shortMessage.length),
      [6 + 134, 6 + 8],
    );
    assert.equal(hex(s.segments[0]?.shortMessage as Buffer).slice(0, 20), '050003010201041f0440');
    assert.deepEqual(
      segment(`${seventy}!`, 'udh16', 1).segments.map((x) => x.shortMessage.length),
      [7 + 132, 7 + 10],
    );
  });

  it('never splits a surrogate pair', () => {
    // 66 single characters then an emoji (two UTF-16 units) straddling the 67th place.
    const s = segment(`${'Ж'.repeat(66)}😀${'Ж'.repeat(10)}`, 'udh', 1);
    assert.equal(s.segments[0]?.shortMessage.length, 6 + 132);
    assert.equal(hex(s.segments[1]?.shortMessage as Buffer).slice(12, 20), 'd83dde00');
  });

  it('sar TLVs carry the reference, count and number, with no header in the text', () => {
    const s = segment(a(200), 'sar', 0x1234);
    assert.deepEqual(
      s.segments.map((x) => [x.esmClass, x.shortMessage.length, x.tlvs]),
      [
        [0, 153, { sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: 1 }],
        [0, 47, { sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: 2 }],
      ],
    );
  });

  it('message_payload carries the whole text in one PDU', () => {
    const s = segment(a(200), 'payload', 1);
    assert.equal(s.segments.length, 1);
    assert.equal(s.segments[0]?.shortMessage.length, 0);
    assert.equal(hex(s.segments[0]?.tlvs.message_payload as Buffer), '61'.repeat(200));
  });
});

describe('submit_sm PDUs (golden hex)', () => {
  const dir = path.resolve(import.meta.dirname, '../../../test/golden/pdus');
  const cases: Array<[string, string, LongTextMethod]> = [
    ['gsm7-single', 'Met Police: ref ABCD-EFGH-JKLM. Reply STOP to opt out.', 'udh'],
    ['gsm7-extension', 'Costs €5 [not] {really} ~ ^ | \\ ok', 'udh'],
    ['gsm7-udh8', `${'Reply STOP to opt out. '.repeat(7)}€`, 'udh'],
    ['gsm7-udh16', `${'Reply STOP to opt out. '.repeat(7)}€`, 'udh16'],
    ['gsm7-sar', `${'Reply STOP to opt out. '.repeat(7)}€`, 'sar'],
    ['gsm7-payload', `${'Reply STOP to opt out. '.repeat(7)}€`, 'payload'],
    ['ucs2-udh8', `Heddlu: ŵyr ŷd ${'Atebwch STOP. '.repeat(5)}`, 'udh'],
  ];
  for (const [name, text, method] of cases) {
    it(name, () => {
      const pdus = submitSmFields(
        { id: 0x2a, number: '+447700900123', sender: 'MetPolice', text },
        method,
      ).map((fields, i) => {
        const pdu = new (smpp as unknown as { PDU: new (c: string, o: object) => smpp.PDU }).PDU(
          'submit_sm',
          { ...fields, sequence_number: i + 1 },
        );
        return hex((pdu as unknown as { toBuffer(): Buffer }).toBuffer());
      });
      const file = path.join(dir, `${name}.hex`);
      const got = `${pdus.join('\n')}\n`;
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, got);
      assert.equal(got, fs.readFileSync(file, 'utf8'));
    });
  }
});
