/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core
 * (`.ci/run` installs it). On a developer machine without it, browser tests are skipped with a
 * message; in CI (CI set) a missing browser fails them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
