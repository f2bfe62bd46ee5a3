/**
 * The console over HTTP (Fastify's inject, no browser): every route for every role, CSRF,
 * sessions, masking, unmasking with its audit row, a partner's scope. On PGlite, and on
 * PostgreSQL when DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import { asRead, testConsole, type TestConsole } from '../../test/console-case.ts';
import { listAudit } from '../audit/audit.ts';
import type { OpsDb } from '../ops/db.ts';
import type { Role } from '../users/roles.ts';

const ROLES: Role[] = ['analyst', 'outreach', 'supervisor', 'partner', 'admin'];

for (const backend of backends) {
  let c: TestConsole;
  let ops: OpsDb;
  let drop: () => Promise<void>;
  let ids: { account: string; usAccount: string; crew: string; victimPath: string; row: string };

  before(async () => {
    ({ db: ops, drop } = await backend.open());
    c = await testConsole(ops);
    const [acc] = await c.analysis.rows(
      `SELECT s.account_id, c.crew_id FROM suspects s JOIN crews c USING (account_id) WHERE s.country <> 'US' ORDER BY s.score DESC LIMIT 1`,
    );
    const [us] = await c.analysis.rows(
      `SELECT account_id FROM suspects WHERE country = 'US' ORDER BY score DESC LIMIT 1`,
    );
    const list = await c.app.inject({
      url: '/victims?tier=harmed&country=US',
      headers: { cookie: c.cookies.analyst },
    });
    const victimPath = /href="(\/victims\/[A-Za-z0-9_-]{30,})"/.exec(list.body)?.[1];
    assert.ok(
      acc && us && victimPath,
      'the test case has a crew, a US suspect and a harmed US victim',
    );
    const [q] = await c.analysis.rows(
      'SELECT file_id, line FROM quarantine ORDER BY file_id, line LIMIT 1',
    );
    ids = {
      row: `/quarantine/${String(q?.file_id)}/${String(q?.line)}`,
      account: String(acc.account_id),
      usAccount: String(us.account_id),
      crew: String(acc.crew_id),
      victimPath,
    };
  });
  after(async () => {
    await c.close();
    await drop();
  });

  test(`${backend.name}: every route answers each role as the policy says`, async () => {
    const routes: Array<[string, Role[]]> = [
      ['/', ['analyst', 'outreach', 'supervisor']],
      ['/suspects', ['analyst', 'supervisor', 'partner']],
      [`/suspects/${ids.usAccount}`, ['analyst', 'supervisor', 'partner']],
      ['/victims', ['analyst', 'outreach', 'supervisor', 'partner']],
      [ids.victimPath, ['analyst', 'outreach', 'supervisor', 'partner']],
      ['/crews', ['analyst', 'supervisor']],
      [`/crews/${ids.crew}`, ['analyst', 'supervisor']],
      [`/crews/${ids.crew}/graph.json`, ['analyst', 'supervisor']],
      [`/accounts/${ids.account}/neighbours.json`, ['analyst', 'supervisor']],
      ['/quarantine', ['analyst', 'supervisor']],
      ['/quarantine?reason=bad_date', ['analyst', 'supervisor']],
      [ids.row, ['analyst', 'supervisor']],
      ['/case', ROLES],
      ['/audit', ['supervisor', 'admin']],
      ['/reports', ['analyst', 'supervisor']],
    ];
    for (const [url, allowed] of routes) {
      const anon = await c.app.inject({ url });
      assert.equal(anon.statusCode, 303, `${url} without a session`);
      assert.match(String(anon.headers.location), /^\/login\?next=/);
      for (const role of ROLES) {
        const res = await c.app.inject({ url, headers: { cookie: c.cookies[role] } });
        // A role without the overview is sent to the first page it may open.
        const denied = url === '/' ? 303 : 403;
        assert.equal(res.statusCode, allowed.includes(role) ? 200 : denied, `${role} ${url}`);
      }
    }
  });

  test(`${backend.name}: a partner sees only its own country's victims and suspects`, async () => {
    const home = await c.app.inject({ url: '/', headers: { cookie: c.cookies.partner } });
    assert.equal(home.headers.location, '/suspects');
    const outreach = await c.app.inject({ url: '/', headers: { cookie: c.cookies.outreach } });
    assert.doesNotMatch(
      outreach.body,
      /Priority suspects|Revenue/,
      'outreach sees no suspect figures',
    );
    const other = await c.app.inject({
      url: `/suspects/${ids.account}`,
      headers: { cookie: c.cookies.partner },
    });
    assert.equal(other.statusCode, 404);
    const list = await c.app.inject({
      url: '/suspects?country=GB',
      headers: { cookie: c.cookies.partner },
    });
    assert.doesNotMatch(list.body, /href="\/suspects\/u/);
    const victims = await c.app.inject({ url: '/victims', headers: { cookie: c.cookies.partner } });
    const countries = [
      ...victims.body.matchAll(
        /<td>([A-Z]{2})<\/td>\s*<td>(?:harmed|likely|contacted|attempted)<\/td>/g,
      ),
    ].map((m) => m[1]);
    assert.ok(countries.length > 0);
    assert.deepEqual([...new Set(countries)], ['US']);
  });

  test(`${backend.name}: a partner reads only the notes shared with it, masked, and no case-wide figure`, async () => {
    // An analyst writes two notes on a US suspect, each naming a UK victim's number: one kept
    // in the unit, one shared with the US partner.
    const form = async (cookie: string) => {
      const page = await c.app.inject({ url: '/case', headers: { cookie } });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
      const secret = /unspoof_csrf=[^;]+/.exec(String(page.headers['set-cookie']))?.[0] as string;
      return { token, cookie: `${cookie}; ${secret}` };
    };
    const a = await form(c.cookies.analyst);
    const note = async (text: string, share: boolean) =>
      c.app.inject({
        method: 'POST',
        url: '/annotations',
        headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: a.token,
          target_type: 'suspect',
          target_id: ids.usAccount,
          note: text,
          tags: '',
          ...(share ? { share: '1' } : {}),
          back: `/suspects/${ids.usAccount}`,
        }).toString(),
      });
    assert.equal((await note('unit only: rang +447700900123 twice', false)).statusCode, 303);
    assert.equal((await note('shared: rang +447700900456 twice', true)).statusCode, 303);
    const partnerView = await c.app.inject({
      url: `/suspects/${ids.usAccount}`,
      headers: { cookie: c.cookies.partner },
    });
    assert.equal(partnerView.statusCode, 200);
    const text = asRead(partnerView.body);
    assert.doesNotMatch(text, /unit only/, 'a note kept in the unit is not shown to a partner');
    assert.match(text, /shared: rang/);
    assert.doesNotMatch(text, /447700900456|447700900123/, 'numbers in notes are masked');
    assert.doesNotMatch(text, /t-analyst/, 'nor who wrote it');
    const analystView = await c.app.inject({
      url: `/suspects/${ids.usAccount}`,
      headers: { cookie: c.cookies.analyst },
    });
    assert.match(asRead(analystView.body), /unit only[\s\S]*shared: rang/);
    // A note on a suspect of no partner's country cannot be shared with one.
    const crew = await c.app.inject({
      url: `/crews/${ids.crew}`,
      headers: { cookie: c.cookies.partner },
    });
    assert.equal(crew.statusCode, 403, 'no crews for a partner');
    // The case page: the partner's country's slice, no case-wide totals or crews.
    const facts = await c.app.inject({ url: '/case', headers: { cookie: c.cookies.partner } });
    assert.match(facts.body, /Figures for US only/);
    assert.doesNotMatch(facts.body, /crews|distinct dialed numbers|quarantined<\/dt>/i);
    const own = await c.app.inject({ url: '/case', headers: { cookie: c.cookies.analyst } });
    assert.match(own.body, /distinct dialed numbers/);
    // A search cannot probe another country or a crew.
    const probe = await c.app.inject({
      url: `/suspects?crew=${ids.crew}`,
      headers: { cookie: c.cookies.partner },
    });
    assert.doesNotMatch(probe.body, /href="\/suspects\/u/, 'the crew filter finds nothing');
    const timeline = await c.app.inject({
      url: `/suspects/${ids.account}/timeline`,
      headers: { cookie: c.cookies.partner },
    });
    assert.equal(timeline.statusCode, 404, "another country's suspect's timeline");
  });

  test(`${backend.name}: a victim is looked up by number through a form, with a reason, audited by its keyed hash`, async () => {
    const [v] = await c.analysis.rows(
      `SELECT number FROM victims WHERE country = 'US' ORDER BY number LIMIT 1`,
    );
    const number = String(v?.number);
    const page = await c.app.inject({
      url: '/victims/lookup',
      headers: { cookie: c.cookies.analyst },
    });
    assert.equal(page.statusCode, 200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const secret = /unspoof_csrf=[^;]+/.exec(String(page.headers['set-cookie']))?.[0] as string;
    const look = (form: Record<string, string>, who = c.cookies.analyst) =>
      c.app.inject({
        method: 'POST',
        url: '/victims/lookup',
        headers: {
          cookie: `${who}; ${secret}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
      });
    // Written as a person would, with spaces and dashes.
    const typed = `${number.slice(0, 2)} ${number.slice(2, 5)}-${number.slice(5)}`;
    const found = await look({ number: typed, reason: 'victim rang the unit' });
    assert.equal(found.statusCode, 303);
    assert.match(String(found.headers.location), /^\/victims\/[A-Za-z0-9_-]{30,}$/);
    assert.ok(
      !String(found.headers.location).includes(number.slice(1)),
      'no number in the address',
    );
    assert.equal((await look({ number: typed, reason: 'no' })).statusCode, 400, 'a reason');
    const unknown = await look({ number: '+12025550199', reason: 'victim rang the unit' });
    assert.equal(unknown.statusCode, 404);
    const rows = (await listAudit(ops)).filter((r) => r.action === 'victim_lookup');
    assert.ok(rows.length >= 2);
    assert.ok(
      rows.every((r) => !JSON.stringify(r).includes(number.slice(1))),
      'no number audited',
    );
  });

  test(`${backend.name}: lists page, and a page past the end or a crew that does not exist is 404`, async () => {
    const get = (url: string) => c.app.inject({ url, headers: { cookie: c.cookies.analyst } });
    assert.equal((await get('/crews')).statusCode, 200);
    assert.match((await get('/crews')).body, /page 1 of 1/);
    for (const url of [
      '/crews?page=2',
      '/suspects?page=999',
      '/victims?page=9999',
      `/suspects/${ids.account}?page=999`,
      '/crews/nope/graph.json',
      '/crews/nope',
    ]) {
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(res.body, /NOT_FOUND/, `${url} names its code`);
    }
    const json = await c.app.inject({
      url: '/crews/nope/graph.json',
      headers: { cookie: c.cookies.analyst, accept: 'application/json' },
    });
    assert.deepEqual(JSON.parse(json.body).error.code, 'NOT_FOUND');
  });

  test(`${backend.name}: numbers are masked; unmasking needs a reason, the right role and a CSRF token, and is audited`, async () => {
    const page = await c.app.inject({
      url: ids.victimPath,
      headers: { cookie: c.cookies.analyst },
    });
    assert.match(asRead(page.body), /Victim \+1 \d{4} \d•• •\d\d/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const csrfCookie = String(page.headers['set-cookie'] ?? '').match(
      /unspoof_csrf=[^;]+/,
    )?.[0] as string;
    const cookie = `${c.cookies.analyst}; ${csrfCookie}`;
    const post = (body: string, who = cookie) =>
      c.app.inject({
        method: 'POST',
        url: `${ids.victimPath}/unmask`,
        headers: { cookie: who, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });

    assert.equal((await post('reason=need+to+call+back')).statusCode, 403, 'no CSRF token');
    const otherUser = `${c.cookies.supervisor}; ${csrfCookie}`;
    assert.equal(
      (await post(`_csrf=${encodeURIComponent(csrf)}&reason=another+user's+token`, otherUser))
        .statusCode,
      403,
      'a token made for another user',
    );
    assert.equal(
      (await post(`_csrf=${encodeURIComponent(csrf)}&reason=x`)).statusCode,
      400,
      'no real reason',
    );
    const ok = await post(
      `_csrf=${encodeURIComponent(csrf)}&reason=${encodeURIComponent('victim asked us to call back')}`,
    );
    assert.equal(ok.statusCode, 200);
    const number = /<dt>Number<\/dt>\s*<dd>(\+1\d{10})<\/dd>/.exec(ok.body)?.[1];
    assert.ok(number, 'the full number is shown');
    assert.ok(!page.body.includes(number), 'and was nowhere on the page before');
    const audit = await listAudit(ops);
    const row = audit.find((r) => r.action === 'unmask');
    assert.deepEqual([row?.actor, row?.reason], ['t-analyst', 'victim asked us to call back']);
    // The audit log names the victim by a keyed hash, never by the number; nor does the title.
    assert.match(row?.target ?? '', /^victim:[A-Za-z0-9_-]{43}$/);
    assert.ok(!JSON.stringify(audit).includes(number.slice(1)), 'no audit row holds the number');
    assert.ok(!/<title>[^<]*\+1\d{10}/.test(ok.body), 'the page title stays masked');
    assert.ok(audit.some((r) => r.action === 'victim_view' && r.actor === 't-analyst'));

    // Only the roles that may unmask can: a partner and an admin cannot, whatever they send.
    for (const role of ['partner', 'admin'] as const) {
      const view = await c.app.inject({ url: '/case', headers: { cookie: c.cookies[role] } });
      const token = /name="_csrf" value="([^"]+)"/.exec(view.body)?.[1] as string;
      const secret = String(view.headers['set-cookie'] ?? '').match(
        /unspoof_csrf=[^;]+/,
      )?.[0] as string;
      const res = await post(
        `_csrf=${encodeURIComponent(token)}&reason=${encodeURIComponent('just looking around')}`,
        `${c.cookies[role]}; ${secret}`,
      );
      assert.equal(res.statusCode, 403, role);
    }
    // A partner may see the victim, never unmask it.
    const partner = await c.app.inject({
      url: ids.victimPath,
      headers: { cookie: c.cookies.partner },
    });
    assert.doesNotMatch(partner.body, /action="\/victims\/[^"]+\/unmask"/);
  });

  test(`${backend.name}: notes on a crew are stored, shown, audited, and refused to roles that may not write them`, async () => {
    const url = `/crews/${ids.crew}`;
    const form = async (role: Role) => {
      const page = await c.app.inject({ url: '/case', headers: { cookie: c.cookies[role] } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
      const csrfCookie = String(page.headers['set-cookie'] ?? '').match(
        /unspoof_csrf=[^;]+/,
      )?.[0] as string;
      return { csrf, cookie: `${c.cookies[role]}; ${csrfCookie}` };
    };
    const note = '<script>alert(1)</script> shares a wallet with crew 7';
    const body = (csrf: string) =>
      new URLSearchParams({
        _csrf: csrf,
        target_type: 'crew',
        target_id: ids.crew,
        note,
        tags: 'wallet, follow-up',
        back: url,
      }).toString();
    // The suspect page, seen before the note: its cached fragment and the notes beside it are
    // sent as bytes kept from then (cache.ts), which must not outlive the notes they show.
    const a = await form('analyst');
    const suspectUrl = `/suspects/${ids.account}`;
    const seen = await c.app.inject({ url: suspectUrl, headers: { cookie: a.cookie } });
    assert.match(seen.body, /No notes yet/);
    const ok = await c.app.inject({
      method: 'POST',
      url: '/annotations',
      headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body(a.csrf),
    });
    assert.equal(ok.statusCode, 303);
    const onSuspect = await c.app.inject({
      method: 'POST',
      url: '/annotations',
      headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: a.csrf,
        target_type: 'suspect',
        target_id: ids.account,
        note: 'called from the crew wallet',
        back: suspectUrl,
      }).toString(),
    });
    assert.equal(onSuspect.statusCode, 303);
    const again = await c.app.inject({ url: suspectUrl, headers: { cookie: a.cookie } });
    assert.match(again.body, /called from the crew wallet/);
    const shown = await c.app.inject({ url, headers: { cookie: c.cookies.analyst } });
    assert.ok(
      shown.body.includes('&lt;script&gt;alert(1)&lt;/script&gt; shares a wallet'),
      'the note is shown, escaped',
    );
    assert.ok(!shown.body.includes('<script>alert(1)'));
    const row = (await listAudit(ops)).find(
      (r) => r.action === 'annotate' && r.target?.startsWith('crew:'),
    );
    assert.deepEqual(
      [row?.actor, row?.target, row?.detail.tags],
      ['t-analyst', `crew:${ids.crew}`, ['wallet', 'follow-up']],
    );
    for (const role of ['outreach', 'partner', 'admin'] as const) {
      const f = await form(role);
      const res = await c.app.inject({
        method: 'POST',
        url: '/annotations',
        headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body(f.csrf),
      });
      assert.equal(res.statusCode, 403, role);
    }
  });

  test(`${backend.name}: sign-in is rate limited per address, and a failure never says which part was wrong`, async () => {
    const login = await c.app.inject({ url: '/login' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)?.[1] as string;
    const cookie = String(login.headers['set-cookie'] ?? '').match(
      /unspoof_csrf=[^;]+/,
    )?.[0] as string;
    const statuses: number[] = [];
    const bodies = new Set<string>();
    for (let i = 0; i < 11; i++) {
      const res = await c.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '192.0.2.7',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: csrf,
          name: i % 2 ? 't-analyst' : 'nobody',
          password: 'wrong password here',
          code: '123456',
        }).toString(),
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 401) bodies.add(/role="alert"><p>([^<]*)</.exec(res.body)?.[1] ?? '');
    }
    assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
    assert.deepEqual([...bodies], ['The name, password or one-time code is wrong.']);
  });

  test(`${backend.name}: a forged or ended session is no session`, async () => {
    const forged = await c.app.inject({
      url: '/case',
      headers: { cookie: `unspoof_session=${'A'.repeat(43)}` },
    });
    assert.equal(forged.statusCode, 303);
    const outreachNoSuspects = await c.app.inject({
      url: ids.victimPath,
      headers: { cookie: c.cookies.outreach },
    });
    assert.doesNotMatch(
      outreachNoSuspects.body,
      /href="\/suspects\//,
      'outreach sees no suspect intelligence',
    );
  });

  test(`${backend.name}: one CSRF token serves a user's pages while the browser keeps its secret`, async () => {
    const token = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] as string;
    const first = await c.app.inject({ url: '/case', headers: { cookie: c.cookies.analyst } });
    const secret = String(first.headers['set-cookie'] ?? '').match(/unspoof_csrf=[^;]+/)?.[0];
    assert.ok(secret, 'the first page sets the CSRF secret');
    const cookie = `${c.cookies.analyst}; ${secret}`;
    const pages = await Promise.all(
      ['/case', '/victims', '/suspects'].map((url) => c.app.inject({ url, headers: { cookie } })),
    );
    for (const p of pages) assert.equal(p.headers['set-cookie'], undefined, 'no new secret');
    const tokens = new Set(pages.map((p) => token(p.body)));
    assert.equal(tokens.size, 1, 'the same token on every page');
    // It is still a token that passes: an unmask with it is not refused for CSRF.
    const unmask = await c.app.inject({
      method: 'POST',
      url: `${ids.victimPath}/unmask`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent([...tokens][0] as string)}&reason=${encodeURIComponent('checking the token still passes')}`,
    });
    assert.equal(unmask.statusCode, 200);
    // Another user with the same secret, or a forged secret, gets a token of its own.
    const other = await c.app.inject({
      url: '/case',
      headers: { cookie: `${c.cookies.supervisor}; ${secret}` },
    });
    assert.notEqual(token(other.body), [...tokens][0]);
    const forged = await c.app.inject({
      url: '/case',
      headers: {
        cookie: `${c.cookies.analyst}; ${secret.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'))}`,
      },
    });
    assert.match(
      String(forged.headers['set-cookie']),
      /unspoof_csrf=/,
      'a forged secret is replaced',
    );
    assert.notEqual(token(forged.body), [...tokens][0]);
  });

  test(`${backend.name}: the victims a suspect reached are paged, with how many in all`, async () => {
    const [top] = await c.analysis.rows(
      `SELECT account_id, count(DISTINCT v.number) AS n FROM calls JOIN victims v ON v.number = calls.dialed_e164
        GROUP BY account_id ORDER BY n DESC, account_id LIMIT 1`,
    );
    const n = Number(top?.n);
    assert.ok(n > 50, `the test case has a suspect with more than a page of victims (${n})`);
    const url = `/suspects/${String(top?.account_id)}`;
    const numbers = async (page: number) => {
      const res = await c.app.inject({
        url: `${url}?page=${page}`,
        headers: { cookie: c.cookies.analyst },
      });
      assert.equal(res.statusCode, 200);
      const section = res.body.slice(res.body.indexOf('id="victims-h"'));
      assert.match(
        asRead(section),
        new RegExp(`${n.toLocaleString('en-GB')} rows · page ${page} of`),
      );
      return [...section.matchAll(/href="(\/victims\/[^"]+)"/g)].map((m) => m[1]);
    };
    const pages = Math.ceil(n / 50);
    const all: string[] = [];
    for (let p = 1; p <= pages; p++) all.push(...((await numbers(p)) as string[]));
    assert.equal(all.length, n, 'every victim, once');
    assert.equal(new Set(all).size, n);
    const past = await c.app.inject({
      url: `${url}?page=${pages + 1}`,
      headers: { cookie: c.cookies.analyst },
    });
    assert.equal(past.statusCode, 404, 'past the last page: not found');
    assert.match(past.body, /NOT_FOUND/);
  });

  test(`${backend.name}: pages are served with a strict Content Security Policy`, async () => {
    const res = await c.app.inject({ url: '/login' });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    // Framing refused alike by the CSP and by the older header, for browsers that read only it.
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
  });

  test(`${backend.name}: signing out clears the session cookie with the flags it was set with`, async () => {
    const page = await c.app.inject({ url: '/case', headers: { cookie: c.cookies.outreach } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const secret = /unspoof_csrf=[^;]+/.exec(String(page.headers['set-cookie']))?.[0] as string;
    const res = await c.app.inject({
      method: 'POST',
      url: '/logout',
      headers: {
        cookie: `${c.cookies.outreach}; ${secret}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    assert.equal(res.statusCode, 303);
    const cleared = [res.headers['set-cookie'] ?? []]
      .flat()
      .find((h) => h.startsWith('unspoof_session='));
    assert.ok(cleared, 'the session cookie is cleared');
    assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
    for (const flag of [/HttpOnly/, /Secure/, /SameSite=Strict/, /Path=\//])
      assert.match(cleared, flag);
  });
}
