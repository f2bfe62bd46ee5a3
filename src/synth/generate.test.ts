import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { readCsv, readLines, synthTo } from './testkit.ts';
import { units } from './rates.ts';
import { checkAddress } from '../wallets/address.ts';
import { checkMarks, digestExport, exportMarks, SYNTHETIC_FILE } from '../case/provenance.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) {
      out[name] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    }
  }
  return out;
}

describe('synth export', async () => {
  const a = await synthTo(20_000, 5);
  const b = await synthTo(20_000, 5);
  const c = await synthTo(20_000, 6);
  dirs.push(a.out, b.out, c.out);
  const file = (name: string) => path.join(a.out, name);

  it('is byte-identical for the same seed and differs for another seed', () => {
    const ha = hashes(a.out);
    assert.deepEqual(ha, hashes(b.out));
    const hc = hashes(c.out);
    assert.notEqual(ha['calls.csv'], hc['calls.csv']);
    assert.notEqual(ha['accounts.csv'], hc['accounts.csv']);
  });

  it('writes the export files and the truth', () => {
    assert.deepEqual(a.summary.files, [
      '.synthetic',
      'accounts.csv',
      'brands.csv',
      'calls.csv',
      'captures.csv',
      'export.json',
      'intel',
      'logins.jsonl',
      'payments.csv',
      'rates.csv',
      'truth',
    ]);
    assert.deepEqual(fs.readdirSync(file('intel')).sort(), [
      'hosting.txt',
      'tor-exit-addresses',
      'transactions.csv',
      'vpn.txt',
    ]);
    const meta = JSON.parse(fs.readFileSync(file('export.json'), 'utf8'));
    assert.equal(meta.timezone, 'Europe/London');
    assert.equal(meta.synthetic, true);
    assert.equal(meta.calls_format, 'canonical');
    assert.equal(meta.scale, 0.002);
    // A header, each call record once, and the other legs of multi-leg calls.
    assert.equal(readLines(file('calls.csv')).length, 20_001 + a.summary.switch.legs);
    const sw = JSON.parse(fs.readFileSync(file('truth/switch.json'), 'utf8'));
    assert.deepEqual(sw, a.summary.switch);
    assert.equal(sw.clock, 'Europe/London');
  });

  it('marks the export synthetic three ways, signed over every data file', async () => {
    const meta = JSON.parse(fs.readFileSync(file('export.json'), 'utf8'));
    const sidecar = JSON.parse(fs.readFileSync(file(SYNTHETIC_FILE), 'utf8'));
    assert.equal(meta.synthetic, true);
    assert.equal(meta.provenance.generator, 'unspoof synth');
    assert.equal(meta.provenance.seed, 5);
    const { note, ...signed } = sidecar;
    assert.match(note, /^Synthetic data made by unspoof synth/);
    assert.deepEqual(signed, meta.provenance);
    const digests = await digestExport(a.out);
    assert.deepEqual(meta.provenance.files, digests);
    assert.deepEqual(Object.keys(digests), [
      'accounts.csv',
      'brands.csv',
      'calls.csv',
      'captures.csv',
      'logins.jsonl',
      'payments.csv',
      'rates.csv',
    ]);
    const found = exportMarks(a.out, meta);
    assert.deepEqual(checkMarks(found, new Map(Object.entries(digests))), {
      tokens: ['flag', 'provenance', 'sidecar', 'verified'],
      warnings: [],
    });
  });

  it('writes accounts with a BOM, quoted odd usernames and valid registered phones', () => {
    assert.deepEqual([...fs.readFileSync(file('accounts.csv')).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows = readCsv(file('accounts.csv'));
    assert.equal(rows.length, a.summary.accounts);
    for (const r of rows) {
      assert.equal(r.length, 8);
      assert.match(r[0]!, /^u\d{6}$/);
      if (r[3]) assert.ok(parsePhoneNumberFromString(r[3])?.isValid(), r[3]);
    }
    assert.ok(
      rows.some((r) => r[5] === ''),
      'some accounts have no country',
    );
    const raw = fs.readFileSync(file('accounts.csv'), 'utf8');
    assert.match(raw, /"[^"\n]*,[^"\n]*"|"[^\n]*""/);
  });

  it('writes payments with CRLF, plausible amounts, valid addresses and one bad date', () => {
    const text = fs.readFileSync(file('payments.csv'), 'utf8');
    assert.equal(text.split('\r\n').length, text.split('\n').length);
    const rows = readCsv(file('payments.csv'));
    const bad = rows.filter((r) => Number.isNaN(Date.parse(r[2]!)));
    assert.equal(bad.length, 1);
    const kinds = { stated: 0, btc: 0, fiat: 0, typo: 0 };
    for (const r of rows) {
      assert.equal(r.length, 12);
      if (r[9]) {
        // By card: an amount in EUR, USD or GBP, a processor and the address it was paid from.
        kinds.fiat++;
        assert.match(r[8]!, /^\d+\.\d{2}$/);
        assert.match(r[9], /^(EUR|USD|GBP)$/);
        assert.ok(r[10] && r[11]);
        continue;
      }
      assert.match(r[3]!, /^0\.\d{8}$/);
      assert.match(r[6]!, /^[0-9a-f]{64}$/);
      if (checkAddress(r[5]!).valid) assert.match(r[5]!, /^bc1q[a-z0-9]{38}$/);
      else kinds.typo++;
      if (r[4]) {
        kinds.stated++;
        assert.match(r[4], /^\d+\.\d{2}$/);
        const rate = Number(r[4]) / Number(r[3]);
        assert.ok(rate > 12_000 && rate < 50_000, `BTC at £${rate}`);
      } else kinds.btc++;
    }
    assert.ok(kinds.stated > 0 && kinds.btc > 0 && kinds.fiat > 0, JSON.stringify(kinds));
    assert.equal(kinds.typo, 1, 'one address with a typo');
  });

  it('writes JSON login lines (but one), and user agents with commas', () => {
    const lines = readLines(file('logins.jsonl'));
    let bad = 0;
    for (const l of lines) {
      try {
        const o = JSON.parse(l!);
        assert.deepEqual(Object.keys(o), ['account_id', 'at', 'ip', 'user_agent']);
      } catch {
        bad++;
      }
    }
    assert.equal(bad, 1);
    assert.ok(lines.some((l) => /"user_agent":"[^"]*,/.test(l!)));
  });

  it('adds valid case brand numbers that the shipped list does not have', () => {
    const extra = readCsv(file('brands.csv'));
    assert.ok(extra.length >= 2 && extra.length <= 3);
    const shipped = fs.readFileSync(new URL('../brands/brands.csv', import.meta.url), 'utf8');
    for (const [number, , country] of extra) {
      assert.equal(parsePhoneNumberFromString(number!)?.country, country);
      assert.ok(!shipped.includes(number!));
    }
  });

  it('lets busy accounts peak near 20 calls a minute', () => {
    // Calls, not legs: a call's legs share its id.
    const perMinute = new Map<string, Set<string>>();
    for (const r of readCsv(file('calls.csv'))) {
      const key = `${r[1]}|${r[5]?.slice(0, 16)}`;
      perMinute.set(key, (perMinute.get(key) ?? new Set()).add(r[0]!));
    }
    const peak = Math.max(...[...perMinute.values()].map((ids) => ids.size));
    assert.ok(peak >= 15 && peak <= 25, `peak ${peak} a minute`);
  });

  it('makes GB priority the users in GB who paid at least £100, valued from rates.csv', () => {
    // Valued here from the files alone: the stated value, pounds, or amount × the rate of the
    // day or the last before it within seven days, rounded half up to the penny.
    const rates = new Map(readCsv(file('rates.csv')).map((r) => [`${r[1]}|${r[0]}`, r[2]!]));
    const rateOn = (cur: string, at: string) => {
      for (let d = 0; d <= 7; d++) {
        const day = new Date(Date.parse(at) - d * 86_400_000).toISOString().slice(0, 10);
        const rate = rates.get(`${cur}|${day}`);
        if (rate) return rate;
      }
      return null;
    };
    const pence = (amount: string, rate: string) =>
      Number((units(amount, 8) * units(rate, 12) + 5n * 10n ** 17n) / 10n ** 18n);
    const paid = new Map<string, number>();
    for (const r of readCsv(file('payments.csv'))) {
      if (Number.isNaN(Date.parse(r[2]!))) continue;
      const [amount, cur] = r[9] ? [r[8]!, r[9]] : [r[3]!, 'BTC'];
      const rate = cur === 'GBP' ? '1' : rateOn(cur, r[2]!);
      const p = r[4] ? Math.round(Number(r[4]) * 100) : rate ? pence(amount, rate) : 0;
      paid.set(r[1]!, (paid.get(r[1]!) ?? 0) + p);
    }
    const where = new Map(readCsv(file('truth/jurisdiction.csv')).map((r) => [r[0]!, r[1]!]));
    const expected = [...paid]
      .filter(([id, p]) => where.get(id) === 'GB' && p >= 10_000)
      .map(([id]) => id)
      .sort();
    const truth = readCsv(file('truth/priority.csv'));
    assert.deepEqual(
      truth.map((r) => r[0]),
      expected,
    );
    assert.ok(
      truth.some((r) => r[3] === 'btc'),
      'bitcoin-only payers among them',
    );
    for (const [id, gbp] of readCsv(file('truth/payers.csv')).map((r) => [r[0]!, r[2]!] as const))
      assert.equal(Math.round(Number(gbp) * 100), paid.get(id), id);
  });
});
