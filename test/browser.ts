/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core
 * (`.ci/run` installs it). On a developer machine without it, browser tests are skipped with a
 * message; in CI (CI set) a missing browser fails them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { currentCode, type DemoLogin } from '../src/demo/users.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const browserSkip: string | false =
  !fs.existsSync(CHROMIUM) && !process.env.CI
    ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
    : false;

/** `webgl`: software WebGL (SwiftShader), for pages that draw with it (the console's crew graph). */
export function launch(opts: { webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      ...(opts.webgl
        ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']
        : ['--disable-gpu']),
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots of browser tests are kept (test-artifacts/, ignored by git). */
export function artifact(name: string): string {
  const dir = path.resolve(import.meta.dirname, '..', 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** Signs a demo user in on the console's login page (password and the current TOTP code). */
/** `at`: the moment whose one-time code is typed (a code is used once: the next one after a use). */
export async function signIn(
  page: Page,
  base: string,
  login: DemoLogin,
  at = new Date(),
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#name', login.name);
  await page.fill('#password', login.password);
  await page.fill('#code', currentCode(login.name, login.totpSecret, at));
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page: no serious or critical violation. */
export async function axe(page: Page, what: string): Promise<void> {
  // Evaluated through the debugging protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }>;
          }>;
        };
      }
    ).axe.run();
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.nodes.length}: ${JSON.stringify(v.nodes[0]?.target)})`);
  });
  assert.deepEqual(violations, [], `accessibility of ${what}`);
}
