/**
 * The portal's static files: GOV.UK Frontend's stylesheet (its GDS Transport font faces
 * removed: that font is for GOV.UK only; text falls back to Arial), the force's colours from the
 * case settings, and GOV.UK Frontend's JavaScript for progressive enhancement.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
const GOVUK = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist/govuk');
const OWN = fileURLToPath(new URL('./client/', import.meta.url));

export function portalCss(colour: string): string {
  const govuk = fs
    .readFileSync(path.join(GOVUK, 'govuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/"?GDS Transport"?,/g, '')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
  const theme = `:root{--force-colour:${colour};}`;
  return `${govuk}\n${theme}\n${fs.readFileSync(path.join(OWN, 'portal.css'), 'utf8')}`;
}

export async function portalAssets(app: FastifyInstance, colour: string): Promise<void> {
  const css = portalCss(colour);
  const govukJs = fs
    .readFileSync(path.join(GOVUK, 'govuk-frontend.min.js'), 'utf8')
    .replace(/\/\/# sourceMappingURL=\S*/g, '');
  const ownJs = fs.readFileSync(path.join(OWN, 'portal.js'), 'utf8');
  const send =
    (type: string, body: string) => (_req: unknown, reply: import('fastify').FastifyReply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
  app.get('/assets/portal.css', send('text/css; charset=utf-8', css));
  app.get('/assets/govuk-frontend.min.js', send('text/javascript; charset=utf-8', govukJs));
  app.get('/assets/portal.js', send('text/javascript; charset=utf-8', ownJs));
}
