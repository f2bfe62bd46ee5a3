import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_TEMPLATE,
  encodingOf,
  formatCallDate,
  render,
  safetyProblems,
  type Values,
} from './template.ts';

const values: Values = {
  force: 'Metropolitan Police',
  site: 'met.police.uk/ispoof',
  brand: 'Barclays',
  call_date: '12 March 2026',
  reference: 'K7QM-4XD2-9VW*',
};
const rules = (t: string, v: Values = values) =>
  safetyProblems(t, 'met.police.uk/ispoof', v).map((p) => p.rule);

describe('message templates', () => {
  it('the default template is safe, names the brand and the date, and fits in two GSM-7 segments', () => {
    assert.deepEqual(rules(DEFAULT_TEMPLATE), []);
    const text = render(DEFAULT_TEMPLATE, values);
    assert.match(text, /on 12 March 2026 someone called this phone pretending to be Barclays\./);
    assert.match(
      text,
      /type met\.police\.uk\/ispoof into your browser and enter reference K7QM-4XD2-9VW\*\./,
    );
    const e = encodingOf(text);
    assert.equal(e.encoding, 'GSM-7');
    assert.ok(e.segments <= 2, `${e.segments} segments`);
  });

  it('refuses a link, or any domain but the official one', () => {
    assert.deepEqual(rules('Go to https://met.police.uk/ispoof, ref {reference}'), ['link']);
    assert.deepEqual(rules('Go to met-police-refunds.com, ref {reference}'), ['link']);
    assert.deepEqual(rules('Go to bit.ly/x1, ref {reference}'), ['link']);
    assert.deepEqual(rules('Go to {site}, ref {reference}'), []);
  });

  it('refuses requests for personal details or money, and urgency', () => {
    assert.ok(rules('Please reply with your PIN and ref {reference}').includes('personal_details'));
    assert.ok(
      rules('Confirm your card number at {site}, ref {reference}').includes('personal_details'),
    );
    assert.ok(rules('To get a refund pay the £5 fee, ref {reference}').includes('payment'));
    assert.ok(
      rules('Transfer your savings to a safe account, ref {reference}').includes('payment'),
    );
    assert.ok(rules('Act now: call us immediately, ref {reference}').includes('urgency'));
    assert.ok(rules('Do not delay, send your PIN, ref {reference}').includes('personal_details'));
    // Saying what the police will never ask is not asking for it.
    assert.deepEqual(
      rules('We will never ask you for money, passwords or bank details. Ref {reference}'),
      [],
    );
  });

  it('refuses a text without the reference code, an unknown placeholder, or over three segments', () => {
    assert.deepEqual(rules('Hello from {force}'), ['reference']);
    assert.deepEqual(rules('Hello {name}, ref {reference}'), ['placeholder']);
    assert.deepEqual(rules(`${'word '.repeat(100)} ref {reference}`), ['segments']);
    // A character outside GSM-7 makes the whole text UCS-2: 70 characters a segment.
    const ucs = safetyProblems(`Réf ${'✓'.repeat(250)} {reference}`, 'met.police.uk', values);
    assert.equal(ucs[0]?.rule, 'segments');
    assert.match(ucs[0]?.detail ?? '', /UCS-2, forced by ✓/);
  });

  it('counts segments and names the characters that force UCS-2', () => {
    assert.deepEqual(encodingOf('a'.repeat(160)), {
      encoding: 'GSM-7',
      segments: 1,
      characters: 160,
      ucs2Characters: [],
    });
    assert.equal(encodingOf('a'.repeat(161)).segments, 2);
    const u = encodingOf('Café – ok');
    assert.equal(u.encoding, 'UCS-2');
    assert.deepEqual(u.ucs2Characters, ['–']);
  });

  it('writes the call date as a victim reads it', () => {
    assert.equal(formatCallDate('2026-03-02'), '2 March 2026');
    assert.equal(formatCallDate(null), '');
  });
});
