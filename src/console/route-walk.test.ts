/**
 * Every console route, walked with malformed ids, queries, bodies and methods, as a signed-in
 * supervisor and analyst (past the CSRF check, so the handlers' own validation is reached):
 * the console answers each with a refusal (4xx, its stable code) and never a 500. The routes
 * are read from Fastify itself, so a route added later is walked too.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import { testConsole, type TestConsole } from '../../test/console-case.ts';

/** Values for a path parameter that no route should take as valid, or crash on. */
const BAD_IDS = [
  'abc',
  '-1',
  '0',
  '99999999999999999999',
  '1.5',
  '%00',
  '%27%3B--',
  'x'.repeat(300),
  '%E2%80%AE',
];
/** Bodies a form route should refuse cleanly. */
const BAD_BODIES: Array<{ type: string; payload: string }> = [
  { type: 'application/x-www-form-urlencoded', payload: '' },
  { type: 'application/x-www-form-urlencoded', payload: 'a=1&a=2&a=3&reason=' },
  { type: 'application/x-www-form-urlencoded', payload: '%%%&&&==' },
  { type: 'application/json', payload: '{"broken": ' },
  { type: 'application/json', payload: '[1,2,3]' },
  { type: 'text/plain', payload: 'hello' },
  { type: 'multipart/form-data; boundary=x', payload: '--x\r\nbroken' },
];
const BAD_QUERIES = [
  '?page=abc',
  '?page=-3',
  '?page=999999999',
  '?sort=drop&dir=sideways',
  '?from=2021-13-45&to=x',
  '?x[y]=1',
];

/**
 * The routes in Fastify's printed tree: each line is a path under its parent's, with its
 * methods (`├── /victims/:token (GET, HEAD)`, `│   └── /unmask (POST)`).
 */
function routesOf(tree: string): Array<{ method: string; url: string }> {
  const out: Array<{ method: string; url: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = Math.round((m[1] as string).length / 4);
    stack.length = depth;
    const url = `${stack.at(-1) ?? ''}${m[2] as string}`;
    stack.push(url);
    for (const method of (m[3] ?? '').split(', ').filter(Boolean))
      if (method !== 'HEAD') out.push({ method, url });
  }
  return out;
}

const backend = backends.at(-1);
if (backend) {
  let c: TestConsole;
  let drop: () => Promise<void>;
  const routes: Array<{ method: string; url: string }> = [];

  before(async () => {
    const opened = await backend.open();
    drop = opened.drop;
    c = await testConsole(opened.db);
    routes.push(...routesOf(c.app.printRoutes({ commonPrefix: false })));
  });
  after(async () => {
    await c.close();
    await drop();
  });

  /** A CSRF token and its cookie for `role`, read from a page that has a form. */
  const csrfOf = async (cookie: string) => {
    const page = await c.app.inject({ url: '/case', headers: { cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const secret = /unspoof_csrf=[^;]+/.exec(String(page.headers['set-cookie'] ?? ''))?.[0] ?? '';
    return { token, cookie: secret ? `${cookie}; ${secret}` : cookie };
  };

  test(`${backend.name}: malformed ids, queries, bodies and methods are refused, never a 500`, async (t) => {
    assert.ok(routes.length > 20, `${routes.length} routes found`);
    const failures: string[] = [];
    let requests = 0;
    const check = async (who: string, method: string, url: string, extra: object = {}) => {
      requests++;
      const res = await c.app.inject({ method: method as 'GET', url, ...extra });
      const shown = url.replace(/_csrf=[^&]+/, '_csrf=…');
      if (res.statusCode >= 500) failures.push(`${who} ${method} ${shown}: ${res.statusCode}`);
      else if (res.statusCode >= 400 && res.statusCode !== 404 && res.statusCode !== 405) {
        // A refusal names its stable code (errors.ts), on a page or in JSON.
        if (!/[A-Z]{3,}(_[A-Z]+)*/.test(res.body))
          failures.push(`${who} ${method} ${shown}: no code`);
      }
    };
    for (const role of ['supervisor', 'analyst', 'partner'] as const) {
      const { token, cookie } = await csrfOf(c.cookies[role]);
      for (const r of routes) {
        const params = r.url.match(/:[A-Za-z_]+/g) ?? [];
        const urls = params.length
          ? BAD_IDS.map((bad) => r.url.replace(/:[A-Za-z_]+/g, bad))
          : [r.url.replace(/\*$/, 'nope')];
        for (const url of urls) {
          if (r.method === 'GET') {
            await check(role, 'GET', url, { headers: { cookie } });
            for (const q of BAD_QUERIES)
              await check(role, 'GET', `${url}${q}`, { headers: { cookie } });
          } else {
            for (const b of BAD_BODIES) {
              // With the user's valid token in the query, so that the handler's own checks run.
              await check(role, r.method, `${url}?_csrf=${encodeURIComponent(token)}`, {
                headers: { cookie, 'content-type': b.type },
                payload: b.payload,
              });
              await check(role, r.method, url, {
                headers: { cookie, 'content-type': b.type },
                payload: `${b.payload}&_csrf=${encodeURIComponent(token)}`,
              });
            }
          }
          // A method the route does not have.
          await check(role, r.method === 'GET' ? 'DELETE' : 'PUT', url, { headers: { cookie } });
        }
      }
    }
    t.diagnostic(`${routes.length} routes, ${requests} requests`);
    assert.deepEqual(failures, []);
  });
}
