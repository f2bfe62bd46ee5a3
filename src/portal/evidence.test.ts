/**
 * Uploaded evidence: every fixture is made here (sharp, pdf-lib, a few bytes by hand), none is
 * committed. Accepted images lose their metadata in the display copy and keep their bytes and
 * hash; each refusal has a file that earns it; random bytes never throw.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import test from 'node:test';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';
import { EVIDENCE_LIMITS, inspectEvidence, type EvidenceRefusal } from './evidence.ts';

/** Noise pixels (deterministic), so that encoders produce realistic compressed data. */
function noise(width: number, height: number, channels: 3 | 4): Sharp {
  const pixels = Buffer.alloc(width * height * channels);
  for (let i = 0, x = 12345; i < pixels.length; i++)
    pixels[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return sharp(pixels, { raw: { width, height, channels } });
}

/** A phone photo: EXIF with the camera and a GPS position, XMP, a P3 ICC profile, turned 90°. */
const photo = () =>
  noise(80, 40, 3)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Phone 9' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 28/1 4000/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>',
    )
    .withIccProfile('p3')
    .toBuffer();

async function pdf(
  build: (doc: PDFDocument) => void = () => {},
  useObjectStreams = true,
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  doc.addPage();
  build(doc);
  return Buffer.from(await doc.save({ useObjectStreams }));
}

/** An open action running JavaScript, named `action` (a stand-in is replaced in the bytes). */
const openAction = (action: string) => (doc: PDFDocument) =>
  doc.catalog.set(
    PDFName.of('OpenAction'),
    doc.context.obj({ S: action, JS: PDFString.of('app.alert(1)') }),
  );

/** A real ZIP archive holding one stored file. */
function storedZip(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  local.copy(central, 10, 8, 28); // flags … name length, as in the local header
  const localSize = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

async function refusal(bytes: Buffer): Promise<EvidenceRefusal | 'accepted'> {
  const result = await inspectEvidence(bytes);
  return result.ok ? 'accepted' : result.reason;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('a photo is kept as received; its display copy has no metadata and is turned upright', async () => {
  const bytes = await photo();
  const before = Buffer.from(bytes);
  const source = await sharp(bytes).metadata();
  assert.ok(
    source.exif?.includes('TestCam') && source.xmp && source.icc,
    'the fixture has metadata',
  );

  const result = await inspectEvidence(bytes);
  assert.ok(result.ok);
  const { evidence } = result;
  assert.equal(evidence.type, 'image/jpeg');
  assert.equal(evidence.original, bytes);
  assert.deepEqual(bytes, before);
  assert.equal(evidence.sha256, sha256(before));
  assert.equal(evidence.displayType, 'image/jpeg');
  assert.ok(evidence.display);
  const shown = await sharp(evidence.display).metadata();
  assert.equal(shown.format, 'jpeg');
  assert.equal(shown.exif, undefined);
  assert.equal(shown.xmp, undefined);
  assert.equal(shown.icc, undefined);
  assert.equal(evidence.display.includes('TestCam'), false);
  assert.deepEqual([shown.width, shown.height], [40, 80]);
});

test('a large PNG with alpha stays PNG, its longest side brought to 2000 px; without alpha, JPEG', async () => {
  const withAlpha = await inspectEvidence(await noise(2400, 1200, 4).png().toBuffer());
  assert.ok(withAlpha.ok && withAlpha.evidence.display);
  assert.equal(withAlpha.evidence.type, 'image/png');
  assert.equal(withAlpha.evidence.displayType, 'image/png');
  const shown = await sharp(withAlpha.evidence.display).metadata();
  assert.deepEqual([shown.format, shown.width, shown.height], ['png', 2000, 1000]);

  const opaque = await inspectEvidence(await noise(30, 20, 3).png().toBuffer());
  assert.ok(opaque.ok && opaque.evidence.display);
  assert.equal(opaque.evidence.displayType, 'image/jpeg');
  assert.equal((await sharp(opaque.evidence.display).metadata()).width, 30);
});

test('a WebP is accepted; one with bytes past its RIFF size is a polyglot', async () => {
  const webp = await noise(40, 30, 3).webp().toBuffer();
  const result = await inspectEvidence(webp);
  assert.ok(result.ok);
  assert.equal(result.evidence.type, 'image/webp');
  assert.equal(result.evidence.displayType, 'image/jpeg');
  assert.equal(await refusal(Buffer.concat([webp, Buffer.from('<?php echo 1; ?>')])), 'polyglot');
});

test('a PDF made by pdf-lib is accepted with its page count and no display copy', async () => {
  const bytes = await pdf();
  const result = await inspectEvidence(bytes);
  assert.ok(result.ok);
  assert.deepEqual(
    { ...result.evidence, original: null },
    {
      type: 'application/pdf',
      sha256: sha256(bytes),
      original: null,
      display: null,
      displayType: null,
      pages: 2,
    },
  );
});

test('PDF active content is refused in the raw bytes, hex-escaped, and inside object streams', async () => {
  const plain = await pdf(openAction('JavaScript'), false);
  assert.ok(plain.toString('latin1').includes('/JavaScript'));
  assert.equal(await refusal(plain), 'active_content');

  const standIn = await pdf(openAction('XavaScriptXX'), false); // as long as /J#61vaScript
  const escaped = Buffer.from(
    standIn.toString('latin1').replace('/XavaScriptXX', '/J#61vaScript'),
    'latin1',
  );
  assert.equal(await refusal(escaped), 'active_content');

  const compressed = await pdf(openAction('JavaScript'), true);
  assert.equal(
    compressed.toString('latin1').includes('JavaScript'),
    false,
    'only in an object stream',
  );
  assert.equal(await refusal(compressed), 'active_content');

  const launch = await pdf((doc) =>
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'Launch' })),
  );
  assert.equal(await refusal(launch), 'active_content');
});

test('PDF tricks: another header first, markup inside, no %%EOF, nothing pdf-lib can load', async () => {
  const bytes = await pdf();
  const jfif = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
  assert.equal(await refusal(Buffer.concat([jfif, bytes])), 'polyglot');
  assert.equal(
    await refusal(
      Buffer.concat([bytes, Buffer.from('% <html><script>alert(1)</script>\n%%EOF\n')]),
    ),
    'polyglot',
  );
  assert.equal(await refusal(bytes.subarray(0, bytes.length - 10)), 'malformed');
  assert.equal(await refusal(Buffer.from('%PDF-1.7\nnothing here\n%%EOF\n')), 'malformed');
});

test('image polyglots: a ZIP or text after the end, a script in the metadata; padding is fine', async () => {
  const jpeg = await noise(40, 30, 3).jpeg().toBuffer();
  assert.equal(await refusal(Buffer.concat([jpeg, storedZip('readme.txt', 'hello')])), 'polyglot');
  assert.equal(await refusal(Buffer.concat([jpeg, Buffer.from('hello')])), 'polyglot');
  assert.equal(await refusal(Buffer.concat([jpeg, Buffer.alloc(64)])), 'accepted');
  // A second image after the first (Multi-Picture Format, as phones write) is part of the file.
  const second = await noise(20, 10, 3).jpeg().toBuffer();
  assert.equal(await refusal(Buffer.concat([jpeg, second])), 'accepted');
  const described = await noise(40, 30, 3)
    .jpeg()
    .withExif({ IFD0: { ImageDescription: '<script>alert(1)</script>' } })
    .toBuffer();
  assert.equal(await refusal(described), 'polyglot');
  const png = await noise(20, 20, 3).png().toBuffer();
  assert.equal(
    await refusal(Buffer.concat([png, Buffer.from('<svg onload="alert(1)"/>')])),
    'polyglot',
  );
});

test('broken images are malformed; too many pixels is too big', async () => {
  const jpeg = await noise(200, 100, 3).jpeg().toBuffer();
  assert.equal(await refusal(jpeg.subarray(0, Math.floor(jpeg.length * 0.6))), 'malformed');
  const png = await noise(200, 100, 3).png().toBuffer();
  assert.equal(await refusal(png.subarray(0, png.length - 40)), 'malformed');

  // A 1×1 PNG whose header claims 8000×6000 (48 megapixels): refused before decoding.
  const tiny = Buffer.from(await noise(1, 1, 3).png().toBuffer());
  tiny.writeUInt32BE(8000, 16);
  tiny.writeUInt32BE(6000, 20);
  tiny.writeUInt32BE(crc32(tiny.subarray(12, 29)), 29);
  assert.equal(await refusal(tiny), 'too_big');
});

test('size is checked first; other formats are not allowed whatever they claim to be', async () => {
  assert.equal(await refusal(Buffer.alloc(0)), 'empty');
  assert.equal(await refusal(Buffer.alloc(EVIDENCE_LIMITS.maxBytes + 1, 0xff)), 'too_big');
  const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  assert.equal(await refusal(html), 'not_allowed');
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
  assert.equal(await refusal(svg), 'not_allowed');
  assert.equal(await refusal(await noise(10, 10, 3).gif().toBuffer()), 'not_allowed');
  assert.equal(await refusal(storedZip('statement.pdf', '%PDF-1.7')), 'not_allowed');
  assert.equal(await refusal(Buffer.from('just some text')), 'not_allowed');
});

test('random bytes, alone or behind a real signature, never throw', async () => {
  const REASONS = [
    'accepted',
    'too_big',
    'empty',
    'not_allowed',
    'malformed',
    'polyglot',
    'active_content',
  ];
  const heads = [
    '',
    'ffd8ffe0',
    'ffd8ffdb',
    '89504e470d0a1a0a',
    '52494646ff00000057454250',
    '255044462d312e370a',
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...heads),
      fc.uint8Array({ maxLength: 2048 }),
      async (head, tail) => {
        const got = await refusal(Buffer.concat([Buffer.from(head, 'hex'), tail]));
        assert.ok(REASONS.includes(got), got);
      },
    ),
    { numRuns: 200 },
  );
});
