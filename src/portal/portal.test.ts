/** The victim portal over HTTP: checking a code, a whole report, coming back, the record. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { backends } from '../../test/ops-backends.ts';
import { Visitor } from '../../test/portal-client.ts';
import { testPortal, textedVictims, type TextedVictim } from '../../test/portal-fixtures.ts';
import type { OpsDb } from '../ops/db.ts';
import { refKeys } from '../outreach/keys.ts';
import { referenceCode } from '../outreach/refcode.ts';
import { nationalRoute, SettingsSchema } from '../case/settings.ts';
import { addressScope } from './guard.ts';

for (const backend of backends) {
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  let victims: TextedVictim[];

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    victims = await textedVictims(ops, 6);
    app = await testPortal(ops);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  test(`${backend.name}: a genuine code says what the text named; any other is not recognised`, async () => {
    const v = victims[0] as TextedVictim;
    const visitor = new Visitor(app);
    await visitor.get('/report/check');
    const ok = await visitor.post('/report/check', { code: v.code.toLowerCase() });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /This text is from us/);
    assert.ok(ok.body.includes(v.brand));
    assert.match(ok.body, /12 March 2026/);
    // The genuine code with another check character (codes are random: never reuse its own).
    const otherCheck = v.code.endsWith('0') ? '1' : '0';
    for (const wrong of ['K7QM-4XD2-9VW*', 'nonsense', v.code.slice(0, -1) + otherCheck]) {
      const no = await visitor.post('/report/check', { code: wrong });
      assert.equal(no.status, 200);
      assert.match(no.body, /We do not recognise this code/);
      assert.match(no.body, /7726/);
    }
  });

  test(`${backend.name}: a victim reports what happened, with a payment and a photo, and gets a crime reference`, async () => {
    const v = victims[1] as TextedVictim;
    const b = new Visitor(app, '198.51.100.20');
    await b.get('/report/start');
    let page = await b.post('/report/start', { code: v.code, digits: v.digits });
    assert.equal(page.status, 303);
    assert.equal(page.location, '/report/q/when');
    page = await b.get('/report/q/when');
    assert.match(page.body, /When did the call come\?/);
    page = await b.post('/report/q/when', {
      'when-day': '31',
      'when-month': '2',
      'when-year': '2026',
    });
    assert.equal(page.status, 400);
    assert.match(page.body, /must be a real date/);
    page = await b.post('/report/q/when', {
      'when-day': '12',
      'when-month': '3',
      'when-year': '2026',
      time: '14:30',
    });
    assert.equal(page.location, '/report/q/organisation');
    page = await b.get('/report/q/organisation');
    assert.ok(page.body.includes(`value="${v.brand}"`), 'pre-filled from the records');
    await b.post('/report/q/organisation', { organisation: v.brand });
    await b.post('/report/q/asked', { asked: ['otp', 'card'] });
    page = await b.post('/report/q/given', { given: ['otp', 'nothing'] });
    assert.equal(page.status, 400);
    page = await b.post('/report/q/given', { given: ['otp'] });
    page = await b.post('/report/q/money', { lostMoney: 'true' });
    assert.equal(page.location, '/report/q/transactions');
    await b.get('/report/q/transactions');
    page = await b.post('/report/q/transactions', {
      'txdate-day': '12',
      'txdate-month': '3',
      'txdate-year': '2026',
      amount: '1,250.50',
      currency: 'GBP',
      payee: '20-00-00 12345678',
      action: 'add',
    });
    assert.equal(page.location, '/report/q/transactions');
    page = await b.get('/report/q/transactions');
    assert.match(page.body, /£1,250\.50/);
    page = await b.post('/report/q/transactions', { action: 'continue' });
    assert.equal(page.location, '/report/q/paid-by');
    await b.post('/report/q/paid-by', { paidBy: 'bank_transfer' });
    page = await b.post('/report/q/story', {
      story: 'He said he was from the fraud team. <script>alert(1)</script>',
    });
    assert.equal(page.location, '/report/q/evidence');
    await b.get('/report/q/evidence');
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    page = await b.upload('screenshot.png', 'image/png', png);
    assert.equal(page.status, 303, page.body);
    page = await b.get('/report/q/evidence');
    assert.match(page.body, /screenshot\.png/);
    page = await b.post('/report/q/evidence/done', {});
    assert.equal(page.location, '/report/q/contact');
    page = await b.post('/report/q/contact', { way: 'email', email: 'not-an-email' });
    assert.equal(page.status, 400);
    assert.match(page.body, /correct format/);
    assert.match(page.body, /You must agree/);
    page = await b.post('/report/q/contact', {
      way: 'email',
      email: 'victim@example.com',
      consent: 'yes',
    });
    assert.equal(page.location, '/report/check-answers');
    page = await b.get('/report/check-answers');
    assert.match(page.body, /Check your answers/);
    assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the story is escaped');
    assert.ok(!page.body.includes('<script>alert(1)'));
    page = await b.post('/report/submit', {});
    assert.equal(page.location, '/report/done');
    page = await b.get('/report/done');
    const ref = /id="crime-ref">([^<]+)</.exec(page.body)?.[1];
    assert.match(ref ?? '', /^UNS-[0-9A-Z]{4}-[0-9A-Z]{4}-.$/);
    const pdf = await b.get('/report/record.pdf');
    assert.equal(pdf.status, 200);
    assert.equal(pdf.raw.subarray(0, 5).toString(), '%PDF-');
    const txt = await b.get('/report/record.txt');
    assert.ok(txt.body.includes(ref as string));

    // Coming back with the same code and digits opens the confirmation, not a new report.
    const again = new Visitor(app, '198.51.100.21');
    await again.get('/report/start');
    page = await again.post('/report/start', { code: v.code, digits: v.digits });
    assert.equal(page.location, '/report/done');
  });
}

for (const backend of backends) {
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  let victims: TextedVictim[];

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    victims = await textedVictims(ops, 8, 100);
    app = await testPortal(ops);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  const strip = (body: string) =>
    body
      .replace(/name="_csrf" value="[^"]+"/g, '')
      .replace(/id="code"([^>]*)value="[^"]*"/, 'id="code"$1');

  test(`${backend.name}: a wrong code and wrong digits get the same page`, async () => {
    const v = victims[0] as TextedVictim;
    const a = new Visitor(app, '192.0.2.1');
    await a.get('/report/start');
    const wrongDigits = await a.post('/report/start', {
      code: v.code,
      digits: v.digits === '0000' ? '1111' : '0000',
    });
    const wrongCode = await a.post('/report/start', { code: 'K7QM-4XD2-9VW*', digits: v.digits });
    assert.equal(wrongDigits.status, 400);
    assert.equal(wrongCode.status, wrongDigits.status);
    assert.equal(strip(wrongCode.body), strip(wrongDigits.body));
    assert.match(wrongCode.body, /could not find a text with that reference code and those digits/);
    // Nonsense of any length, or a field sent twice, is answered like any wrong code.
    const long = await a.post('/report/start', {
      code: 'X'.repeat(5000),
      digits: ['1234', '5678'],
    });
    assert.equal(long.status, 400);
    assert.match(long.body, /could not find a text/);
  });

  test(`${backend.name}: guessing one code from many addresses, or many codes from one, meets growing waits`, async () => {
    const v = victims[1] as TextedVictim;
    let last;
    for (let i = 0; i < 7; i++) {
      const g = new Visitor(app, `192.0.2.${10 + i}`);
      await g.get('/report/start');
      last = await g.post('/report/start', { code: v.code, digits: String(1000 + i) });
    }
    assert.equal(last?.status, 429, 'after five free failures, the next try of that code waits');
    assert.match(last?.body ?? '', /Too many attempts/);
    // Even the right digits wait now: the code is blocked, whoever asks.
    const owner = new Visitor(app, '192.0.2.99');
    await owner.get('/report/start');
    const blocked = await owner.post('/report/start', { code: v.code, digits: v.digits });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers['retry-after']) >= 1);

    const one = new Visitor(app, '192.0.2.200');
    await one.get('/report/check');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await one.post('/report/check', { code: `ZZZZ-ZZZZ-ZZ${String(i).padStart(2, '0')}` }))
          .status,
      );
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(200));
    assert.equal(statuses[11], 429, 'an address that keeps failing waits');
  });

  test(`${backend.name}: every address of one IPv6 /64 counts as one address`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      // A fresh address of the same /64 for every try, as a guesser there could take.
      const g = new Visitor(
        app,
        `2001:db8:5:7:${(i + 1).toString(16)}::${(i * 7 + 3).toString(16)}`,
      );
      await g.get('/report/check');
      statuses.push(
        (await g.post('/report/check', { code: `YYYY-YYYY-YY${String(i).padStart(2, '0')}` }))
          .status,
      );
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(200));
    assert.equal(statuses[11], 429, 'the /64 waits, whichever of its addresses asks');
    // Its neighbour on another /64, and the same network written IPv4-mapped, are apart.
    const neighbour = new Visitor(app, '2001:db8:5:8::1');
    await neighbour.get('/report/check');
    assert.equal((await neighbour.post('/report/check', { code: 'YYYY-YYYY-YY99' })).status, 200);
    assert.equal(addressScope('2001:db8:5:7:abcd:1:2:3'), '2001:db8:5:7::/64');
    assert.equal(addressScope('::ffff:192.0.2.7'), '192.0.2.7');
  });

  test(`${backend.name}: someone failing with a victim's code from many addresses cannot lock out the victim's own browser`, async () => {
    const v = victims[6] as TextedVictim;
    // The victim signs in once: their browser keeps a device token for this code.
    const own = new Visitor(app, '192.0.2.180');
    await own.get('/report/start');
    const first = await own.post('/report/start', { code: v.code, digits: v.digits });
    assert.equal(first.status, 303);
    assert.ok(own.cookies.get('unspoof_device'), 'the browser keeps a device token');
    // Someone else who holds the code fails with it from many addresses: the code waits.
    for (let i = 0; i < 8; i++) {
      const h = new Visitor(app, `192.0.2.${190 + i}`);
      await h.get('/report/start');
      await h.post('/report/start', { code: v.code, digits: String(3000 + i) });
    }
    const stranger = new Visitor(app, '192.0.2.210');
    await stranger.get('/report/start');
    const held = await stranger.post('/report/start', { code: v.code, digits: v.digits });
    assert.equal(held.status, 429, 'without the token, the code waits for everyone');
    // The victim's own browser, from another address even, still gets in.
    const again = new Visitor(app, '192.0.2.211');
    again.cookies.set('unspoof_device', own.cookies.get('unspoof_device') as string);
    await again.get('/report/start');
    const back = await again.post('/report/start', { code: v.code, digits: v.digits });
    assert.equal(back.status, 303, 'the victim is not locked out');
    // A token is for its own code only.
    const other = victims[7] as TextedVictim;
    const misuse = new Visitor(app, '192.0.2.212');
    misuse.cookies.set('unspoof_device', own.cookies.get('unspoof_device') as string);
    await misuse.get('/report/start');
    for (let i = 0; i < 7; i++)
      await misuse.post('/report/start', { code: other.code, digits: String(4000 + i) });
    const stillHeld = await misuse.post('/report/start', {
      code: other.code,
      digits: other.digits,
    });
    assert.equal(stillHeld.status, 429);
  });

  test(`${backend.name}: a burst of tries at one code cannot race past its limit`, async () => {
    const v = victims[4] as TextedVictim;
    const first = new Visitor(app, '192.0.2.150');
    await first.get('/report/start');
    const tries = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const g = new Visitor(app, `198.18.${i >> 8}.${i & 255}`);
        g.cookies.set('unspoof_csrf', first.cookies.get('unspoof_csrf') as string);
        return g.post('/report/start', { code: v.code, digits: String(2000 + i) }, first.csrf);
      }),
    );
    const checked = tries.filter((t) => t.status === 400).length;
    assert.ok(checked <= 6, `${checked} of 40 simultaneous tries were checked`);
    assert.equal(checked + tries.filter((t) => t.status === 429).length, 40);
  });

  test(`${backend.name}: forms without a CSRF token are refused`, async () => {
    const v = victims[2] as TextedVictim;
    const a = new Visitor(app, '192.0.2.50');
    await a.get('/report/start');
    const refused = await a.post('/report/start', { code: v.code, digits: v.digits }, null);
    assert.equal(refused.status, 403);
    assert.match(refused.body, /This form has expired/);
    const forged = await a.post(
      '/report/start',
      { code: v.code, digits: v.digits },
      'forged-token',
    );
    assert.equal(forged.status, 403);
  });

  test(`${backend.name}: a victim sees only their own report; evidence is checked by content`, async () => {
    const [v, w] = [victims[2] as TextedVictim, victims[3] as TextedVictim];
    const a = new Visitor(app, '192.0.2.60');
    await a.get('/report/start');
    await a.post('/report/start', { code: v.code, digits: v.digits });
    await a.post('/report/q/organisation', { organisation: 'Bank of A' });
    await a.get('/report/q/evidence');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00f' } })
      .png()
      .toBuffer();
    assert.equal((await a.upload('a.png', 'image/png', png)).status, 303);
    const aPage = await a.get('/report/q/evidence');
    const evidenceId = /name="id" value="(\d+)"/.exec(aPage.body)?.[1];
    assert.ok(evidenceId);

    const b = new Visitor(app, '192.0.2.61');
    await b.get('/report/start');
    await b.post('/report/start', { code: w.code, digits: w.digits });
    const bOrg = await b.get('/report/q/organisation');
    assert.ok(!bOrg.body.includes('Bank of A'));
    await b.get('/report/q/evidence');
    await b.post('/report/q/evidence/remove', { id: evidenceId as string });
    assert.match((await a.get('/report/q/evidence')).body, /a\.png/, "B cannot remove A's file");

    // Disguised, oversized, polyglot: each refused with its own clear message, nothing stored.
    // The refusal comes back on the page's own address (the form's carries its CSRF token).
    const refused = async (name: string, type: string, bytes: Buffer, words: RegExp) => {
      const answer = await b.upload(name, type, bytes);
      assert.equal(answer.status, 303);
      assert.match(String(answer.location), /^\/report\/q\/evidence\?refused=[a-z_]+$/i);
      const shown = await b.get(String(answer.location));
      assert.match(shown.body, words);
    };
    const html = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');
    await refused('holiday.jpg', 'image/jpeg', html, /must be a JPG, PNG, WEBP or PDF/);
    await refused(
      'big.png',
      'image/png',
      Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]),
      /must be smaller than 10 MB/,
    );
    const zip = Buffer.from('PK\u0003\u0004hidden-archive-content', 'latin1');
    await refused('photo.png', 'image/png', Buffer.concat([png, zip]), /hidden content/);
    // Only the known reasons are shown: anything else in the address is ignored.
    assert.doesNotMatch(
      (await b.get('/report/q/evidence?refused=<script>')).body,
      /govuk-error-summary/,
    );
    const page = await b.upload('x.png', 'image/png', png, null);
    assert.equal(page.status, 403, 'an upload without its CSRF token is refused');
    assert.match((await b.get('/report/q/evidence')).body, /You have not added any files/);

    // A signed-out visitor (no cookie) is sent to sign in, never shown a report.
    const stranger = new Visitor(app, '192.0.2.62');
    const away = await stranger.get('/report/q/organisation');
    assert.equal(away.status, 303);
    assert.equal(away.location, '/report/start?expired=1');
  });

  test(`${backend.name}: files sent at once cannot pass the limit of ten together`, async () => {
    const v = victims[5] as TextedVictim;
    const a = new Visitor(app, '192.0.2.70');
    await a.get('/report/start');
    await a.post('/report/start', { code: v.code, digits: v.digits });
    await a.get('/report/q/evidence');
    const pngs = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: { r: i, g: 9, b: 9 } } })
          .png()
          .toBuffer(),
      ),
    );
    const answers = await Promise.all(
      pngs.map((png, i) => a.upload(`p${i}.png`, 'image/png', png, a.csrf)),
    );
    assert.ok(answers.every((p) => p.status === 303));
    const refused = answers.filter((p) => /refused=/.test(String(p.location)));
    assert.equal(answers.length - refused.length, 10);
    // A refusal goes back to the page's own address, with why and without the form's token.
    for (const p of refused) assert.equal(p.location, '/report/q/evidence?refused=tooMany');
    assert.match((await a.get(String(refused[0]?.location))).body, /up to 10 files/);
    const page = await a.get('/report/q/evidence');
    assert.equal((page.body.match(/name="id" value="\d+"/g) ?? []).length, 10);
  });
}

/**
 * Timing: a wrong code and wrong digits take the same work (one keyed-hash lookup, one
 * constant-time compare, one failure counted), so their times cannot tell them apart. Each
 * try uses a fresh address and a fresh code (no wait interferes); the two kinds alternate, and
 * their medians must agree within a margin far below what a lookup that found nothing would save.
 */
test('a wrong code and wrong digits take the same time', async () => {
  const { db: ops, drop } = await backends[0]!.open();
  try {
    const victims = await textedVictims(ops, 120, 500);
    const app = await testPortal(ops, 1_000_000);
    const v0 = new Visitor(app, '10.0.0.1');
    await v0.get('/report/start');
    const time = async (i: number, code: string, digits: string) => {
      const v = new Visitor(app, `10.1.${i >> 8}.${i & 255}`);
      v.cookies.set('unspoof_csrf', v0.cookies.get('unspoof_csrf') as string);
      const t = process.hrtime.bigint();
      const page = await v.post('/report/start', { code, digits }, v0.csrf);
      const ns = Number(process.hrtime.bigint() - t);
      assert.equal(page.status, 400);
      return ns;
    };
    const keys = await refKeys(ops);
    const wrongDigits: number[] = [];
    const wrongCode: number[] = [];
    for (let i = 0; i < victims.length; i++) {
      const v = victims[i] as TextedVictim;
      const other = v.digits === '0000' ? '1111' : '0000';
      wrongDigits.push(await time(2 * i, v.code, other));
      // A well-formed code (its check symbol right) that no text carried.
      wrongCode.push(await time(2 * i + 1, referenceCode(keys, 999_999, v.number), v.digits));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    const [a, b] = [median(wrongDigits.slice(20)), median(wrongCode.slice(20))];
    const ratio = Math.max(a, b) / Math.min(a, b);
    assert.ok(ratio < 1.25, `medians ${(a / 1e6).toFixed(2)} ms vs ${(b / 1e6).toFixed(2)} ms`);
    await app.close();
  } finally {
    await drop();
  }
});

test("the national reporting route follows the victim's country, else the case's default", () => {
  const p = SettingsSchema.parse({}).portal;
  assert.match(nationalRoute(p, 'GB'), /reportfraud\.police\.uk/);
  assert.match(nationalRoute(p, 'NL'), /politie\.nl/);
  assert.equal(nationalRoute(p, 'DE'), p.national_route);
  const own = SettingsSchema.parse({ portal: { national_routes: { DE: 'Polizei' } } }).portal;
  assert.equal(nationalRoute(own, 'DE'), 'Polizei');
  assert.throws(() => SettingsSchema.parse({ portal: { national_routes: { uk: 'x' } } }));
});
