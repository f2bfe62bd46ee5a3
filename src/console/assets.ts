/**
 * Static assets: the stylesheet, and the client module bundled with esbuild the first time it
 * is asked for (sigma.js, graphology and the layout are ES modules meant for a bundler).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';

const CLIENT = fileURLToPath(new URL('./client/main.ts', import.meta.url));
const CSS = fileURLToPath(new URL('./client/console.css', import.meta.url));

let bundle: Promise<string> | undefined;

export function clientBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [CLIENT],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return bundle;
}

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  const css = fs.readFileSync(CSS, 'utf8');
  app.get('/assets/console.css', async (_req, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'private, max-age=3600')
      .send(css),
  );
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
  app.get('/assets/console.js', async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'private, max-age=3600')
      .send(await clientBundle()),
  );
}
