/**
 * A victim's record of their report, in their language: plain text (lines ≤ 100 characters, to
 * paste into the national reporting service) and a tagged PDF (headings, paragraphs, lists and
 * tables in the structure tree; page footers as artifacts), both drawn from one list of blocks.
 * What the victim typed is stripped of control and bidi characters and only drawn as text.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import PDFDocument from 'pdfkit';
import type { SecretKind, VictimRecord } from './answers.ts';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  isLang,
  LOCALES,
  translator,
  type Key,
  type Lang,
  type Translate,
} from './i18n/i18n.ts';

type Block =
  | { kind: 'h1' | 'h2' | 'p' | 'note'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: Key[]; rows: string[][]; widths: number[] };

const WIDTH = 100;
const dejavu = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
const FONTS = path.join(path.dirname(dejavu), 'ttf');

/** Victim-typed text, safe to print: NFC, no control or format (bidi) characters. */
const clean = (s: string, multiline = false) =>
  s
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\p{Cc}\u2028\u2029]/gu, (c) => (c === '\n' && multiline ? '\n' : ' '));

/** A file size as the language writes it: "184.3 kB", "2,4 Mo". */
const size = (lang: Lang, n: number) => {
  const unit = n < 1e6 ? 'kilobyte' : 'megabyte';
  const f = new Intl.NumberFormat(LOCALES[lang], { style: 'unit', unit, maximumFractionDigits: 1 });
  return f.format(n < 1e6 ? n / 1e3 : n / 1e6);
};

/** The record as blocks, in reading order. */
function blocks(r: VictimRecord, lang: Lang, t: Translate): Block[] {
  const a = r.answers;
  const p = (text: string): Block => ({ kind: 'p', text });
  const h2 = (text: string): Block => ({ kind: 'h2', text });
  const kv = (label: Key, value: string) => t('record.field', { label: t(label), value });
  const field = (label: Key, value: string) => p(kv(label, value));
  const and = (xs: string[]) => xs.join(', '); // Intl.ListFormat writes Welsh "a(c)"
  const when = (iso: string) => formatDateTime(lang, iso, r.timeZone);
  const out: Block[] = [
    { kind: 'h1', text: t('record.title') },
    p(t('record.intro', { force: r.forceName })),
    field('record.crimeReference', r.crimeReference),
    r.submittedAt ? field('record.submittedOn', when(r.submittedAt)) : p(t('record.draft')),
    h2(t('record.calls.heading')),
  ];
  const duration = (s: number) => t('record.duration', { m: Math.floor(s / 60), s: s % 60 });
  const shown = (n: string | null) => n ?? t('record.calls.withheld');
  const rows = r.calls.map((c) => [when(c.at), duration(c.connectedSeconds), shown(c.shown)]);
  const head: Key[] = ['record.calls.when', 'record.calls.length', 'record.calls.shown'];
  if (rows.length) out.push({ kind: 'table', head, rows, widths: [0.45, 0.2, 0.35] });
  else out.push(p(t('record.calls.none')));
  out.push(h2(t('record.answers.heading')));
  if (a.when) {
    const date = formatDate(lang, a.when.date);
    const time = a.when.time && clean(a.when.time);
    out.push(field('record.when', time ? t('record.whenAt', { date, time }) : date));
  }
  const organisation = a.organisation ?? r.brand;
  if (organisation) out.push(field('record.organisation', clean(organisation)));
  const secrets = (ks: SecretKind[]) => and(ks.map((k) => t(`record.secret.${k}`)));
  if (a.asked?.length) out.push(field('record.asked', secrets(a.asked)));
  if (a.given?.length) out.push(field('record.given', secrets(a.given)));
  const lost = t(a.lostMoney ? 'record.money.lost.yes' : 'record.money.lost.no');
  if (a.lostMoney !== undefined) out.push(h2(t('record.money.heading')), p(lost));
  const txs = a.lostMoney ? (a.transactions ?? []) : [];
  if (txs.length) {
    const money = (x: { amountMinor: number; currency: string }) =>
      formatMoney(lang, x.amountMinor, x.currency);
    const rows = txs.map((x) => [formatDate(lang, x.date), money(x), clean(x.payee)]);
    const head: Key[] = ['record.tx.date', 'record.tx.amount', 'record.tx.payee'];
    out.push({ kind: 'table', head, rows, widths: [0.3, 0.25, 0.45] });
    const totals = new Map<string, number>();
    for (const x of txs) totals.set(x.currency, (totals.get(x.currency) ?? 0) + x.amountMinor);
    const sums = [...totals].map(([currency, minor]) => formatMoney(lang, minor, currency));
    out.push(field('record.total', sums.join(', ')));
  }
  if (a.lostMoney && a.paidBy?.length)
    out.push(field('record.paidBy', and(a.paidBy.map((m) => t(`record.method.${m}`)))));
  const story = clean(a.story ?? '', true).trim();
  if (story) out.push(h2(t('record.story.heading')), p(story.replace(/\s*\n\s*\n\s*/g, '\n\n')));
  if (r.evidence.length) {
    const items = r.evidence.map((e) =>
      [
        clean(e.name),
        kv('record.evidence.type', clean(e.type)),
        kv('record.evidence.size', size(lang, e.bytes)),
        kv('record.evidence.sha256', e.sha256),
      ].join('; '),
    );
    out.push(h2(t('record.evidence.heading')), { kind: 'list', items });
  }
  const c = a.contact;
  if (c) {
    out.push(h2(t('record.contact.heading')));
    if (c.way === 'email') out.push(field('record.contact.email', clean(c.email ?? '')));
    else out.push(p(t(c.way === 'phone' ? 'record.contact.phone' : 'record.contact.none')));
    out.push(p(t(c.consent ? 'record.consent.yes' : 'record.consent.no')));
  }
  out.push(
    h2(t('record.investigation.heading')),
    p(r.contact),
    field('record.officialSite', r.officialSite),
    h2(t('record.national.heading')),
    p(r.nationalRoute),
    p(t('record.national.intro')),
    { kind: 'note', text: t('record.footer') },
  );
  return out;
}

/** `text` wrapped at WIDTH code points; the first line starts `first`, the others `indent`. */
function wrap(text: string, first = '', indent = ''): string[] {
  const lines: string[] = [];
  let line = [...first];
  let fresh = true;
  const flush = () => {
    lines.push(line.join('').trimEnd());
    line = [...indent];
    fresh = true;
  };
  for (const para of text.split('\n')) {
    for (const word of para.split(' ').filter(Boolean)) {
      const w = [...word];
      if (!fresh && line.length + 1 + w.length > WIDTH) flush();
      while (line.length + w.length > WIDTH) {
        line.push(...w.splice(0, WIDTH - line.length));
        flush();
      }
      if (w.length) line.push(...(fresh ? [] : [' ']), ...w);
      fresh = fresh && !w.length;
    }
    flush();
  }
  return lines;
}

/** The record as plain text a victim can paste elsewhere. */
export function recordText(r: VictimRecord): string {
  const lang = isLang(r.lang) ? r.lang : 'en';
  const t = translator(lang);
  const out: string[] = [];
  for (const b of blocks(r, lang, t)) {
    if (b.kind === 'h2' || b.kind === 'note') out.push('');
    if (b.kind !== 'list' && b.kind !== 'table') out.push(...wrap(b.text));
    if (b.kind === 'list') b.items.forEach((it) => out.push(...wrap(it, '- ', '  ')));
    if (b.kind === 'table')
      b.rows.forEach((row, i) => {
        const n = `${i + 1}. `;
        b.head.forEach((k, j) => {
          const text = t('record.field', { label: t(k), value: row[j] ?? '' });
          out.push(...wrap(text, j === 0 ? n : ' '.repeat(n.length), ' '.repeat(n.length + 2)));
        });
      });
    if (b.kind === 'h1') out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** pdfkit tags its own tables (Table, TR, TH with Scope, TD with Headers) given a parent. */
type Tagged = PDFKit.Mixins.TableOptionsWithData & { structParent: PDFKit.PDFStructureElement };
type HeadCell = PDFKit.Mixins.CellOptions & { scope: 'Column' };
const TH: HeadCell = { type: 'TH', scope: 'Column', font: { src: 'bold' } };

/** The record as an accessible, tagged PDF (A4); the same record gives the same bytes. */
export function recordPdf(r: VictimRecord): Promise<Buffer> {
  const lang = isLang(r.lang) ? r.lang : 'en';
  const t = translator(lang);
  const ref = t('record.field', { label: t('record.crimeReference'), value: r.crimeReference });
  const created = new Date(r.submittedAt ?? 0);
  const doc = new PDFDocument({
    tagged: true,
    pdfVersion: '1.7',
    lang: LOCALES[lang],
    displayTitle: true,
    size: 'A4',
    margin: 56,
    bufferPages: true,
    // The file ID is a hash of `info`: a fixed CreationDate makes the bytes reproducible.
    info: { Title: t('record.title'), Author: r.forceName, Subject: ref, CreationDate: created },
  });
  const done = buffer(doc);
  doc.registerFont('body', path.join(FONTS, 'DejaVuSans.ttf'));
  doc.registerFont('bold', path.join(FONTS, 'DejaVuSans-Bold.ttf'));
  doc.fillColor('#0b0c0c');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const text = (tag: string, s: string, font = 'body', pt = 11) =>
    root.add(doc.struct(tag, {}, () => doc.font(font, pt).text(s, left, doc.y, { width })));
  for (const b of blocks(r, lang, t)) {
    if (b.kind === 'h1') text('H1', b.text, 'bold', 20);
    if (b.kind === 'h2' || b.kind === 'note') {
      if (doc.y > doc.page.maxY() - 90) doc.addPage();
      doc.moveDown(0.8);
    }
    if (b.kind === 'h2') text('H2', b.text, 'bold', 14);
    if (b.kind === 'note') text('P', b.text, 'bold');
    if (b.kind === 'p') text('P', b.text);
    if (b.kind === 'list') {
      const list = doc.struct('L');
      root.add(list);
      doc.font('body', 11).list(b.items, left, doc.y, { width, structParent: list });
      list.end();
    }
    if (b.kind === 'table') {
      const table: Tagged = {
        structParent: root,
        data: [b.head.map((k): HeadCell => ({ ...TH, text: t(k) })), ...b.rows],
        position: { x: left },
        columnStyles: b.widths.map((f) => f * width),
        defaultStyle: { padding: 4, border: 0.5, borderColor: '#505a5f' },
      };
      doc.font('body', 10).table(table);
    }
    doc.moveDown(0.4);
  }
  root.end();
  const pages = doc.bufferedPageRange();
  const centred = { width, align: 'center', lineBreak: false } as const;
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    doc.page.margins.bottom = 0; // the footer sits below the text area: no new page for it
    doc.markContent('Artifact', { type: 'Pagination' });
    const footer = `${ref} · ${t('record.page', { n: i + 1, total: pages.count })}`;
    doc.font('body', 9).text(footer, left, doc.page.height - 36, centred);
    doc.endMarkedContent();
  }
  doc.end();
  return done;
}
