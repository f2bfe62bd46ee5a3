/**
 * A victim's record: the plain text (golden files in English and Welsh, lines ≤ 100 characters,
 * victim-typed text printed as typed) and the tagged PDF (structure tree, language, embedded
 * fonts, loads in pdf-lib, same bytes twice; its text checked with pdftotext when installed).
 * Set UPDATE_GOLDEN=1 to rewrite the golden files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { PDFDocument } from 'pdf-lib';
import type { VictimRecord } from './answers.ts';
import { recordPdf, recordText } from './record.ts';
import { golden } from '../../test/golden.ts';

const sample = (lang = 'en'): VictimRecord => ({
  lang,
  forceName: 'Heddlu Dyfed-Powys Police',
  officialSite: 'https://www.dyfed-powys.police.uk/unspoof',
  contact: 'Operation Lantern, 101 (quote your crime reference), lantern@dyfed-powys.police.uk',
  nationalRoute: 'Report Fraud: www.reportfraud.police.uk, 0300 123 2040',
  crimeReference: 'DP-2026-004217',
  submittedAt: '2026-03-05T10:12:00Z',
  timeZone: 'Europe/London',
  brand: 'Banc Cymru',
  calls: [
    { at: '2026-03-03T14:02:11Z', connectedSeconds: 252, shown: '+442920123456' },
    { at: '2026-03-03T14:20:40Z', connectedSeconds: 61, shown: null },
    { at: '2026-03-04T09:05:00Z', connectedSeconds: 1805, shown: '+442920123456' },
  ],
  answers: {
    when: { date: '2026-03-03', time: '14:00' },
    organisation: 'Banc Cymru fraud team',
    asked: ['otp', 'card'],
    given: ['otp'],
    lostMoney: true,
    transactions: [
      { date: '2026-03-03', amountMinor: 125000, currency: 'GBP', payee: '20-00-00 12345678' },
      { date: '2026-03-04', amountMinor: 49999, currency: 'GBP', payee: 'Mr J Smith <b>bold</b>' },
    ],
    paidBy: ['bank_transfer', 'card'],
    story:
      'Dywedodd y dyn ei fod o’r banc. Roedd yn gwybod fy enw a’m cyfeiriad yn Llanrhaeadr-ym-Mochnant, ' +
      'ger y bŵth ffôn a’r tŷ â’r to llechi. He said: <script>alert(1)</script> and ' +
      'asked me to read out the code.\n\nWedyn symudodd £1,250 o fy nghyfrif\u202e cynilo.',
    contact: { way: 'email', email: 'gwen.ŵyn@example.org', consent: true },
  },
  evidence: [
    {
      id: 1,
      name: 'screenshot (1).png',
      type: 'image/png',
      bytes: 184_320,
      sha256: 'a'.repeat(64),
    },
    {
      id: 2,
      name: 'statement.pdf',
      type: 'application/pdf',
      bytes: 2_400_000,
      sha256: 'b'.repeat(64),
    },
  ],
});

test('recordText: golden in English and Welsh', () => {
  golden('record-en.txt', recordText(sample('en')));
  golden('record-cy.txt', recordText(sample('cy')));
});

test('recordText: short lines, what was typed printed as typed, no control characters', () => {
  for (const lang of ['en', 'cy', 'nl', 'fr']) {
    const text = recordText(sample(lang));
    for (const line of text.split('\n')) assert.ok([...line].length <= 100, line);
    assert.doesNotMatch(text, /[^\P{Cc}\n]|\p{Cf}/u, 'only newlines, no bidi overrides');
    assert.match(text.replace(/\n/g, ' '), /<script>alert\(1\)<\/script>/);
    assert.match(text, /DP-2026-004217/);
    assert.match(text, /\+442920123456/);
    assert.match(text, /a{64}/);
  }
  const en = recordText(sample('en'));
  assert.match(en, /Number withheld/);
  assert.match(en, /4 min 12 s/);
  assert.match(en, /Total: £1,749\.99/);
  assert.equal(recordText(sample('en')), en);
});

test('recordText: a draft without calls, money or evidence still reads', () => {
  const r = { ...sample('fr'), submittedAt: null, calls: [], evidence: [], answers: {} };
  const text = recordText(r);
  assert.match(text, /Brouillon/);
  assert.match(text, /aucun appel/);
  assert.doesNotMatch(text, /Argent/);
});

test('recordPdf: tagged, with language, embedded fonts and a structure tree', async () => {
  const pdf = await recordPdf(sample('cy'));
  const raw = pdf.toString('latin1');
  assert.ok(raw.startsWith('%PDF-1.7'));
  assert.match(raw, /\/StructTreeRoot \d+ 0 R/);
  assert.match(raw, /\/MarkInfo \d+ 0 R/);
  assert.match(raw, /\/Marked true/);
  assert.match(raw, /\/Lang \(cy-GB\)/);
  assert.match(raw, /\/FontFile2 \d+ 0 R/);
  assert.match(raw, /\/DisplayDocTitle true/);
  for (const tag of ['H1', 'H2', 'P', 'L', 'LI', 'Table', 'TR', 'TH', 'TD'])
    assert.match(raw, new RegExp(`/S /${tag}\\b`), tag);
  assert.equal(raw.match(/\/S \/TR\b/g)?.length, 1 + 3 + 1 + 2, 'calls and payments rows');
  assert.doesNotMatch(raw, /\/JavaScript|\/JS\b|\/OpenAction/);
  const loaded = await PDFDocument.load(pdf);
  assert.ok(loaded.getPageCount() >= 1);
  assert.equal(loaded.getTitle(), 'Eich cofnod o drosedd a adroddwyd');
  assert.equal(loaded.getAuthor(), 'Heddlu Dyfed-Powys Police');
});

test('recordPdf: the same record gives the same bytes', async () => {
  const [a, b] = await Promise.all([recordPdf(sample('en')), recordPdf(sample('en'))]);
  assert.ok(a.equals(b));
  const draft = { ...sample('nl'), submittedAt: null };
  assert.ok((await recordPdf(draft)).equals(await recordPdf(draft)));
});

test('recordPdf: pdftotext finds the reference, the Welsh labels and the story', async (t) => {
  if (spawnSync('which', ['pdftotext']).status !== 0) {
    t.skip('pdftotext (poppler-utils) is not installed');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-record-'));
  const file = path.join(dir, 'record.pdf');
  fs.writeFileSync(file, await recordPdf(sample('cy')));
  const out = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(out.status, 0, out.stderr);
  const text = out.stdout.replace(/\s+/g, ' ');
  assert.match(text, /DP-2026-004217/);
  assert.match(text, /Cyfeirnod trosedd/);
  assert.match(text, /Y galwadau y mae ein cofnodion yn eu dangos/);
  assert.match(text, /bŵth ffôn a’r tŷ/);
  assert.match(text, /<script>alert\(1\)<\/script>/);
});
