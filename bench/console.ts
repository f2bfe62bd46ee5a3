/**
 * `npm run bench:console [-- --scale 1]`: drives the console of an analysed case (cached) with
 * autocannon: the victims list (GB, likely, 50 rows a page, pages 1–20, over every victim of the
 * case) and a suspect page (the top suspect, its first page of victims), between two runs of a
 * bare Fastify route in the same process. Prints req/s, p50 and p99 of each and the ratio to the
 * bare route's mean; also the first (uncached) request of each page. Requests carry the cookies
 * a signed-in analyst's browser holds: the session and the CSRF secret the first page sets.
 * Targets: p99 < 100 ms, ratio ≥ 0.25.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { openAnalysis } from '../src/readout/analysis.ts';
import { benchArgs, cache, ensureExport, log, root, runChild } from './common.ts';

const { scale, format } = benchArgs();
const exportDir = ensureExport(scale, format);
const caseDir = path.join(cache, `bench-console-case-${scale}-${format}`);
if (!fs.existsSync(path.join(caseDir, '.ready'))) {
  log(`ingesting and analysing scale ${scale} into ${caseDir} (once) …`);
  runChild('ingest', exportDir, caseDir);
  runChild('analyze', exportDir, caseDir);
  fs.writeFileSync(path.join(caseDir, '.ready'), '');
}
const a = await openAnalysis(caseDir);
const [top] = await a.rows('SELECT account_id FROM suspects ORDER BY score DESC LIMIT 1');
const [count] = await a.rows('SELECT count(*) AS n FROM victims');
a.close();

const server = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench/console-server.ts'), caseDir],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const first = await new Promise<string>((resolve, reject) => {
  readline.createInterface({ input: server.stdout }).once('line', resolve);
  server.once('exit', (code) => reject(new Error(`the console exited (${code})`)));
});
const urls = JSON.parse(first) as { console: string; bare: string; cookie: string };

try {
  const victimsPath = (page: number) => `/victims?country=GB&tier=likely&page=${page}`;
  const suspectPath = `/suspects/${String(top?.account_id)}`;
  // The first request of a page: nothing cached yet. The analyst's browser keeps the cookies
  // the console sets (the CSRF secret, on the first page), as the load below does.
  const cold: number[] = [];
  let cookie = urls.cookie;
  for (const p of [suspectPath, ...[1, 2, 3, 4, 5].map(victimsPath)]) {
    const t = performance.now();
    const res = await fetch(`${urls.console}${p}`, { headers: { cookie } });
    await res.text();
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
    cold.push(performance.now() - t);
    const kept = res.headers.getSetCookie().map((c) => c.split(';')[0] as string);
    if (kept.length) cookie = [cookie, ...kept].join('; ');
  }
  // Pages an analyst reaches at depth, each asked for the first time (nothing of it cached):
  // the whole list's middle and last page in two orders (the kept order), a date filter, /case,
  // a deep page of crews. Target: each under 100 ms once the list's order is made
  // (the first deep page of a filter and sort makes it: its time is shown apart).
  const total = Number(count?.n);
  const lastPage = Math.max(1, Math.ceil(total / 50));
  const deepPaths = [
    `/victims?page=${Math.floor(lastPage / 2)}`,
    `/victims?page=${Math.floor(lastPage / 2) + 7}`,
    `/victims?page=${lastPage}`,
    `/victims?sort=calls&dir=desc&page=${Math.floor(lastPage / 3)}`,
    `/victims?sort=calls&dir=desc&page=${Math.floor(lastPage / 3) + 11}`,
    '/victims?from=2021-06-01&to=2021-06-30',
    '/case',
    '/case',
    '/crews?page=2',
  ];
  const deep: string[] = [];
  for (const p of deepPaths) {
    const t = performance.now();
    const res = await fetch(`${urls.console}${p}`, { headers: { cookie } });
    await res.text();
    if (res.status !== 200 && !(p.startsWith('/crews') && res.status === 404))
      throw new Error(`${p}: ${res.status}`);
    deep.push(`${p.replace(/^\/victims\?/, 'victims ')}: ${(performance.now() - t).toFixed(0)} ms`);
  }
  const run = (url: string, paths: string[]) =>
    autocannon({
      url,
      connections: 10,
      duration: 10,
      headers: { cookie },
      requests: paths.map((p) => ({ method: 'GET', path: p })),
    });
  const pages = Array.from({ length: 20 }, (_, i) => victimsPath(i + 1));
  // The bare route runs before and after the pages, and the ratio is to its mean: this machine's
  // speed drifts by a third within a minute, and one bare run would carry its drift.
  const bareBefore = await run(urls.bare, ['/']);
  const victims = await run(urls.console, pages);
  const suspect = await run(urls.console, [suspectPath]);
  const bareAfter = await run(urls.bare, ['/']);
  const bareRate = (bareBefore.requests.average + bareAfter.requests.average) / 2;
  const line = (name: string, r: autocannon.Result) => {
    const bad = r.non2xx + r.errors;
    log(
      `  ${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  ratio ${(r.requests.average / bareRate).toFixed(2)}${bad ? `  (${bad} failed)` : ''}`,
    );
  };
  log('');
  log(
    `console bench — scale ${scale}: ${Number(count?.n).toLocaleString('en-GB')} victims, 10 connections, 10 s each`,
  );
  line('bare Fastify route, before', bareBefore);
  line('bare Fastify route, after', bareAfter);
  line('victims list (GB, likely, 20 pages)', victims);
  line(`suspect page (${String(top?.account_id)})`, suspect);
  log(
    `  first request, uncached: suspect page ${cold[0]?.toFixed(0)} ms; victims pages ${cold
      .slice(1)
      .map((c) => c.toFixed(0))
      .join(', ')} ms`,
  );
  log(`  deep pages, first request each (${lastPage.toLocaleString('en-GB')} pages of victims):`);
  for (const d of deep) log(`    ${d}`);
  log('  targets: p99 < 100 ms, ratio ≥ 0.25; a deep page < 100 ms once its list is known');
} finally {
  server.kill();
}
