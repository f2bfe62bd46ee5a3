/**
 * Evidence a victim uploads (screenshots, photos, bank statements as PDF), inspected before it is
 * kept. No HTTP here: the upload route passes the bytes and presents the refusal. The policy:
 *
 * - Size first (`empty`, `too_big` over 10 MB): nothing is parsed that would be refused anyway.
 * - The type is what the bytes are (file-type), never the file name or the Content-Type the
 *   browser sent: a page named `statement.pdf` is still a web page. The portal needs JPEG, PNG,
 *   WebP and PDF only; anything else (HTML, SVG, archives, programs, GIF, text) is
 *   `not_allowed`: each extra format is one more parser an attacker can aim at.
 * - The original is kept byte for byte with its SHA-256: it is evidence, never modified.
 * - Images are decoded fully (sharp, failing on errors, with a pixel limit against decompression
 *   bombs) and shown only as a re-encoded copy without metadata, orientation applied: a photo
 *   carries the GPS position of the victim's home in EXIF, which nobody needs to see.
 * - Polyglots (a file that is also another format) are refused, so that a stored original never
 *   opens as a PDF, an archive, a script or a web page: bytes after the image's end (only
 *   padding may follow it), or another format's signature. Long signatures (`%PDF-`, `<script`,
 *   `<?php`) are searched in the whole file; short ones (`PK\x03\x04`, `<html`, `<svg`) occur
 *   by chance in compressed data, so they are searched outside it (image pixel data, PDF streams).
 * - PDFs must be PDFs from byte 0, end with %%EOF, load with pdf-lib and hold no active content
 *   (JavaScript, launch actions, embedded files, rich media, XFA, form submission): analysts open
 *   them on police machines. Names are read in the raw bytes outside stream data (`#xx` escapes
 *   decoded) and in every object pdf-lib parsed, which includes compressed object streams.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, type PDFObject } from 'pdf-lib';
import sharp from 'sharp';

export const EVIDENCE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxFiles: 10, maxPixels: 40_000_000 };

export type EvidenceRefusal =
  'too_big' | 'empty' | 'not_allowed' | 'malformed' | 'polyglot' | 'active_content';

export interface InspectedEvidence {
  /** Sniffed from the content, never the name or the Content-Type. */
  type: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  /** Hex SHA-256 of `original`. */
  sha256: string;
  /** The bytes exactly as received (the same Buffer, not a copy). */
  original: Buffer;
  /** Images: re-encoded without metadata, oriented, longest side ≤ 2000 px; PDFs: null. */
  display: Buffer | null;
  displayType: 'image/jpeg' | 'image/png' | null;
  /** PDFs: the page count. */
  pages?: number;
}

export type EvidenceResult =
  { ok: true; evidence: InspectedEvidence } | { ok: false; reason: EvidenceRefusal };

type EvidenceType = InspectedEvidence['type'];
type ImageType = Exclude<EvidenceType, 'application/pdf'>;
/** What inspection adds besides the type and the hash. */
type Display = Pick<InspectedEvidence, 'display' | 'displayType' | 'pages'>;
/** [start, end) offsets in the file. */
type Range = readonly [number, number];
/** Where an image's compressed pixel data lies and where the image ends. */
interface Layout {
  pixels: Range[];
  end: number;
}

const ALLOWED = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
const DISPLAY_MAX_SIDE = 2000;
/** Other formats' signatures: `anywhere` too long to occur by chance, `outsideData` not. */
const SIGNATURES = {
  image: { anywhere: /%PDF-|<script|<\?php\s/i, outsideData: /PK\x03\x04|<html|<svg/i },
  pdf: { anywhere: /<script|<\?php\s/i, outsideData: /<html|<svg/i },
};
const ACTIVE_NAMES = new Set(
  'JavaScript JS Launch EmbeddedFile RichMedia XFA SubmitForm ImportData'.split(' '),
);
const LAYOUTS: Record<ImageType, (bytes: Buffer) => Layout | null> = {
  'image/jpeg': jpegLayout,
  'image/png': pngLayout,
  'image/webp': webpLayout,
};
const WEBP_PIXEL_CHUNKS = new Set(['VP8 ', 'VP8L', 'ALPH', 'ANMF']);
/** A PDF name token: a slash, then regular characters (not whitespace or delimiters). */
const NAME_TOKEN = /\/[^\x00\t\n\f\r ()<>[\]{}/%]*/g;

export async function inspectEvidence(bytes: Buffer): Promise<EvidenceResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > EVIDENCE_LIMITS.maxBytes) return { ok: false, reason: 'too_big' };
  const type = await sniff(bytes);
  if (!type) return { ok: false, reason: 'not_allowed' };
  const outcome =
    type === 'application/pdf' ? await inspectPdf(bytes) : await inspectImage(bytes, type);
  if (typeof outcome === 'string') return { ok: false, reason: outcome };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ok: true, evidence: { type, sha256, original: bytes, ...outcome } };
}

async function sniff(bytes: Buffer): Promise<EvidenceType | null> {
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  return ALLOWED.find((type) => type === found?.mime) ?? null;
}

async function inspectImage(bytes: Buffer, type: ImageType): Promise<Display | EvidenceRefusal> {
  const layout = LAYOUTS[type](bytes);
  const text = bytes.toString('latin1');
  // A broken structure hides nothing: then the whole file is searched for every signature.
  if (hasSignature('image', text, layout ? outside(text, layout.pixels) : text)) return 'polyglot';
  if (!layout) return 'malformed';
  if (!isPadding(bytes.subarray(layout.end))) return 'polyglot';
  return render(bytes, type).catch((error: unknown) =>
    error instanceof Error && /pixel limit/i.test(error.message) ? 'too_big' : 'malformed',
  );
}

/** Decodes the whole image and re-encodes it for display; sharp writes no metadata by default. */
async function render(bytes: Buffer, type: ImageType): Promise<Display> {
  const options = { failOn: 'error', limitInputPixels: EVIDENCE_LIMITS.maxPixels } as const;
  const { hasAlpha } = await sharp(bytes, options).metadata();
  const image = sharp(bytes, options)
    .autoOrient()
    .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside', withoutEnlargement: true });
  if (type === 'image/png' && hasAlpha) {
    return { display: await image.png().toBuffer(), displayType: 'image/png' };
  }
  const jpeg = image.flatten({ background: '#ffffff' }).jpeg({ quality: 85 });
  return { display: await jpeg.toBuffer(), displayType: 'image/jpeg' };
}

const hasSignature = (kind: 'image' | 'pdf', text: string, outsideData: string): boolean =>
  SIGNATURES[kind].anywhere.test(text) || SIGNATURES[kind].outsideData.test(outsideData);

/** The text outside the ranges `pixels` (sorted, disjoint), its pieces kept apart. */
function outside(text: string, pixels: readonly Range[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of pixels) {
    parts.push(text.slice(at, start));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('\0');
}

/** What may follow an image's end: fill bytes some encoders write, nothing that carries data. */
const isPadding = (tail: Buffer): boolean =>
  tail.every(
    (byte) => byte === 0x00 || byte === 0xff || byte === 0x20 || (byte >= 0x09 && byte <= 0x0d),
  );

/** JPEG: each image's markers (the main one, then any Multi-Picture Format extras after it). */
function jpegLayout(b: Buffer): Layout | null {
  const pixels: Range[] = [];
  let end = -1;
  for (let pos = 0; b[pos] === 0xff && b[pos + 1] === 0xd8;) {
    pos = jpegImageEnd(b, pos + 2, pixels);
    if (pos < 0) return null;
    end = pos;
  }
  return end < 0 ? null : { pixels, end };
}

/** Walks one JPEG's segments from after its SOI; the offset after its EOI, or -1 if cut short. */
function jpegImageEnd(b: Buffer, from: number, pixels: Range[]): number {
  let pos = from;
  for (;;) {
    while (pos < b.length && b[pos] !== 0xff) pos++; // stray bytes (decoders skip them too)
    while (b[pos] === 0xff) pos++;
    const marker = b[pos++];
    if (marker === undefined) return -1;
    if (marker === 0xd9) return pos;
    if (marker <= 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // no length
    if (pos + 2 > b.length) return -1;
    const length = b.readUInt16BE(pos);
    pos += length;
    if (length < 2 || pos > b.length) return -1;
    if (marker === 0xda) {
      const start = pos;
      pos = entropyEnd(b, pos);
      pixels.push([start, pos]);
    }
  }
}

/** The end of entropy-coded data: the next 0xFF that is not stuffing (FF00), fill or a restart. */
function entropyEnd(b: Buffer, from: number): number {
  for (let i = b.indexOf(0xff, from); i >= 0 && i + 1 < b.length; i = b.indexOf(0xff, i + 1)) {
    const next = b[i + 1] ?? 0;
    if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return i;
  }
  return b.length;
}

/** PNG: chunks from the signature to IEND; IDAT (and APNG's fdAT) hold the pixels. */
function pngLayout(b: Buffer): Layout | null {
  const pixels: Range[] = [];
  for (let pos = 8; pos + 12 <= b.length;) {
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (end > b.length) return null;
    if (type === 'IDAT' || type === 'fdAT') pixels.push([pos + 8, pos + 8 + length]);
    if (type === 'IEND') return { pixels, end };
    pos = end;
  }
  return null;
}

/** WebP: a RIFF file whose size field says where it ends; its chunks are padded to even sizes. */
function webpLayout(b: Buffer): Layout | null {
  if (b.length < 12) return null;
  const end = 8 + b.readUInt32LE(4);
  if (end > b.length) return null;
  const pixels: Range[] = [];
  for (let pos = 12; pos + 8 <= end;) {
    const start = pos + 8;
    const length = b.readUInt32LE(pos + 4);
    if (start + length > end) return null;
    if (WEBP_PIXEL_CHUNKS.has(b.toString('latin1', pos, pos + 4)))
      pixels.push([start, start + length]);
    pos = start + length + (length % 2);
  }
  return { pixels, end };
}

/** A PDF's page count (no display copy: PDFs are shown as they are), or why it is refused. */
async function inspectPdf(bytes: Buffer): Promise<Display | EvidenceRefusal> {
  const text = bytes.toString('latin1');
  const outsideStreams = withoutStreamData(text);
  if (!text.startsWith('%PDF-') || hasSignature('pdf', text, outsideStreams)) return 'polyglot';
  if (!text.slice(-1024).includes('%%EOF')) return 'malformed';
  if ((outsideStreams.match(NAME_TOKEN) ?? []).some(isActiveName)) return 'active_content';
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
    if (parsedNames(doc).some(isActiveName)) return 'active_content';
    const pages = doc.getPageCount();
    return pages > 0 ? { display: null, displayType: null, pages } : 'malformed';
  } catch {
    return 'malformed';
  }
}

/** The text with the data of each `stream … endstream` left out (compressed bytes, by chance). */
function withoutStreamData(text: string): string {
  const start = /(?<![A-Za-z])stream(?:\r\n|\r|\n)/g;
  const parts: string[] = [];
  let at = 0;
  for (let open = start.exec(text); open; open = start.exec(text)) {
    const close = text.indexOf('endstream', start.lastIndex);
    if (close < 0) break;
    parts.push(text.slice(at, open.index));
    at = close;
    start.lastIndex = close + 'endstream'.length;
  }
  parts.push(text.slice(at));
  return parts.join(' ');
}

/** Every name in every object pdf-lib parsed (dictionary keys and values, arrays, stream dicts). */
function parsedNames(doc: PDFDocument): string[] {
  const names: string[] = [];
  const stack: PDFObject[] = doc.context.enumerateIndirectObjects().map(([, object]) => object);
  for (let object = stack.pop(); object; object = stack.pop()) {
    if (object instanceof PDFName) names.push(object.decodeText());
    else if (object instanceof PDFDict)
      for (const [key, value] of object.entries()) stack.push(key, value);
    else if (object instanceof PDFArray) for (const item of object.asArray()) stack.push(item);
    else if (object instanceof PDFStream) stack.push(object.dict);
  }
  return names;
}

/** `#xx` escapes decoded (either case, as readers do) before comparing, so `/J#61vaScript` counts. */
const isActiveName = (name: string): boolean =>
  ACTIVE_NAMES.has(
    name
      .replace(/^\//, '')
      .replace(/#([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  );
