/**
 * Evidence packages (docs/package.md): the list with each package's state; asking for one (an
 * analyst or a supervisor, for a registered partner); approving or refusing it (a supervisor
 * who did not ask); building an approved one, in the background; downloading a built one (the
 * unit, or the partner of its country: the file is encrypted to that partner). The partner
 * registry is the admin's (/partners). Every step is audited by the room's commands; a
 * download is audited here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { can } from '../../authz/policy.ts';
import { startBuild } from '../../package/build.ts';
import { Country, listPartners, savePartner } from '../../package/partners.ts';
import {
  decidePackage,
  getPackage,
  listPackages,
  mayDownload,
  requestPackage,
  type PackageRow,
} from '../../package/requests.ts';
import { UnspoofError } from '../../shared/errors.ts';
import { html } from '../../shared/html.ts';
import type { User } from '../../users/roles.ts';
import { csrfField, fmt, thead } from '../layout.ts';
import { csrfToken, needs, sendPage, userOf, type Ctx } from '../http.ts';

const Id = z.object({ id: z.coerce.number().int().min(1).max(1e12) });
const Decision = Id.extend({ decision: z.enum(['approve', 'refuse']) });
const RequestBody = z.object({ country: Country, reason: z.string().trim().min(3).max(500) });
const PartnerBody = z.object({
  country: Country,
  name: z.string().trim().max(120).optional(),
  recipients: z.string().max(5000),
  rotate: z.enum(['yes']).optional(),
});

const when = (d: string | null) => (d ? d.slice(0, 16).replace('T', ' ') : '');

/** Why the last background build of a package failed, if it did (also in the audit log). */
const failures = new Map<number, string>();

function stateOf(p: PackageRow): string {
  if (p.state === 'building')
    return `being built by ${p.building_by ?? '?'} since ${when(p.building_since)}`;
  const failed = p.state === 'approved' ? failures.get(p.id) : undefined;
  return failed ? `approved; the last build failed (${failed})` : p.state;
}

export async function packageRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/packages', needs(ctx, 'packages:read'), async (req, reply) => {
    const user = userOf(req);
    const csrf = csrfToken(reply);
    const list = await listPackages(ctx.ops, user);
    const partners = can(user, 'packages:request') ? await listPartners(ctx.ops) : [];
    const body = html`${
        can(user, 'packages:request')
          ? partners.length
            ? html`<form method="post" action="/packages" class="stack">
                <h2>Ask for a package</h2>
                <p>
                  A supervisor who did not ask approves it before it can be built. It holds that
                  country’s suspects and victims only, encrypted to its partner.
                </p>
                <label
                  >Partner
                  <select name="country">
                    ${partners.map(
                      (p) => html`<option value="${p.country}">${p.country}: ${p.name}</option>`,
                    )}
                  </select></label
                >
                <label
                  >Why the partner needs it <input name="reason" required maxlength="500"
                /></label>
                ${csrfField(csrf)}<button type="submit">Ask for the package</button>
              </form>`
            : html`<p>No partner is registered yet: an admin adds one (Partners).</p>`
          : ''
      }
      <table class="data" id="packages">
        <caption>
          Evidence packages, newest first
        </caption>
        ${thead(['#', 'Country', 'Partner', 'State', 'Asked by', 'Decided by', 'Built', ''])}
        <tbody>
          ${list.map(
            (p) =>
              html`<tr>
                <td class="num">${p.id}</td>
                <td>${p.country}</td>
                <td>${p.partner}</td>
                <td>${stateOf(p)}</td>
                <td>${p.requested_by} ${when(p.requested_at)}<br /><small>${p.reason}</small></td>
                <td>${p.approved_by ?? ''} ${when(p.approved_at)}</td>
                <td>${p.bytes ? html`${when(p.built_at)}, ${fmt(p.bytes)} bytes` : ''}</td>
                <td>${actions(user, p, csrf)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    return sendPage(
      ctx,
      reply,
      { title: 'Evidence packages', user, csrf, current: '/packages' },
      body,
    );
  });

  app.post('/packages', needs(ctx, 'packages:request'), async (req, reply) => {
    const b = RequestBody.safeParse(req.body ?? {});
    if (!b.success)
      throw new UnspoofError(
        'REQUEST_INVALID',
        'choose a partner and say why it needs the package',
      );
    await requestPackage(ctx.ops, userOf(req), b.data, ctx.fx.now());
    return reply.redirect('/packages', 303);
  });

  app.post('/packages/:id/:decision', needs(ctx, 'packages:approve'), async (req, reply) => {
    const { id, decision } = Decision.parse(req.params);
    await decidePackage(ctx.ops, userOf(req), id, decision === 'approve', ctx.fx.now());
    return reply.redirect('/packages', 303);
  });

  // Built in the background: a country of millions of calls takes minutes.
  app.post('/packages/:id/build', needs(ctx, 'packages:request'), async (req, reply) => {
    const { id } = Id.parse(req.params);
    const user = userOf(req);
    const p = await getPackage(ctx.ops, user, id);
    if (!ctx.caseDir)
      throw new UnspoofError('CONFLICT', 'this console has no case folder to build in');
    if (p.state !== 'approved')
      throw new UnspoofError(
        'CONFLICT',
        `package ${id} is ${stateOf(p)}: only an approved one is built`,
      );
    failures.delete(id);
    // Named by its UUID too: a package file is never written over.
    const out = path.join(
      ctx.caseDir,
      'packages',
      `package-${p.country.toLowerCase()}-${id}-${p.uuid.slice(0, 8)}.age`,
    );
    // Claimed before the answer (a second click is refused); built after it. A failure gives
    // the package back, audited; it is shown on the list.
    const { done } = await startBuild(
      ctx.caseDir,
      ctx.ops,
      { country: p.country, out, id, actor: user.name },
      ctx.fx.now(),
    );
    done.catch((e: Error) => failures.set(id, (e as { code?: string }).code ?? 'INTERNAL'));
    return reply.redirect('/packages', 303);
  });

  app.get('/packages/:id/download', needs(ctx, 'packages:read'), async (req, reply) => {
    const { id } = Id.parse(req.params);
    const user = userOf(req);
    const p = await getPackage(ctx.ops, user, id);
    if (!mayDownload(user, p) || !p.file || !ctx.caseDir)
      throw new UnspoofError('PACKAGE_NOT_FOUND', `package ${id} has not been built`);
    const file = path.resolve(ctx.caseDir, p.file);
    if (!fs.existsSync(file))
      throw new UnspoofError('PACKAGE_NOT_FOUND', `package ${id}'s file is no longer in the case`);
    await recordAudit(
      ctx.ops,
      {
        actor: user.name,
        action: 'package_download',
        target: `package:${id}`,
        detail: { sha256: p.sha256 },
      },
      ctx.fx.now(),
    );
    return reply
      .type('application/octet-stream')
      .header(
        'content-disposition',
        `attachment; filename="package-${p.country.toLowerCase()}-${id}.age"`,
      )
      .send(fs.createReadStream(file));
  });

  app.get('/partners', needs(ctx, 'partners:manage'), async (req, reply) => {
    const user = userOf(req);
    const csrf = csrfToken(reply);
    const list = await listPartners(ctx.ops);
    const body = html`<table class="data" id="partners">
        <caption>
          Partner units and the keys their packages are encrypted to
        </caption>
        ${thead(['Country', 'Name', 'Version', 'age recipients', 'Added'])}
        <tbody>
          ${list.map(
            (p) =>
              html`<tr>
                <td>${p.country}</td>
                <td>${p.name}</td>
                <td class="num">${p.version}</td>
                <td>${p.recipients.map((r) => html`<code>${r}</code><br />`)}</td>
                <td>${p.added_by} ${when(p.added_at)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <form method="post" action="/partners" class="stack">
        <h2>Add a partner, or rotate its keys</h2>
        <label>Country (two letters) <input name="country" required maxlength="2" /></label>
        <label>Name <input name="name" maxlength="120" /></label>
        <label
          >age recipients, one a line (age1…)
          <textarea name="recipients" required rows="3"></textarea>
        </label>
        <label
          ><input type="checkbox" name="rotate" value="yes" /> Rotate an existing partner’s
          keys</label
        >
        ${csrfField(csrf)}<button type="submit">Save</button>
      </form>`;
    return sendPage(ctx, reply, { title: 'Partners', user, csrf, current: '/partners' }, body);
  });

  app.post('/partners', needs(ctx, 'partners:manage'), async (req, reply) => {
    const b = PartnerBody.safeParse(req.body ?? {});
    if (!b.success)
      throw new UnspoofError('REQUEST_INVALID', 'a country, a name and age recipients');
    const rotate = b.data.rotate === 'yes';
    const old = (await listPartners(ctx.ops)).find((p) => p.country === b.data.country);
    const name = b.data.name || (rotate ? old?.name : undefined);
    if (!name) throw new UnspoofError('REQUEST_INVALID', 'a new partner needs its name');
    const recipients = b.data.recipients
      .split(/\s+/)
      .map((r) => r.trim())
      .filter(Boolean);
    await savePartner(
      ctx.ops,
      userOf(req),
      { country: b.data.country, name, recipients },
      rotate,
      ctx.fx.now(),
    );
    return reply.redirect('/partners', 303);
  });
}

function actions(user: User, p: PackageRow, csrf: string) {
  if (p.state === 'requested' && can(user, 'packages:approve'))
    return html`<form method="post" action="/packages/${p.id}/approve">
        ${csrfField(csrf)}<button type="submit">Approve</button>
      </form>
      <form method="post" action="/packages/${p.id}/refuse">
        ${csrfField(csrf)}<button type="submit" class="secondary">Refuse</button>
      </form>`;
  if (p.state === 'approved' && can(user, 'packages:request'))
    return html`<form method="post" action="/packages/${p.id}/build">
      ${csrfField(csrf)}<button type="submit">Build</button>
    </form>`;
  if (mayDownload(user, p)) return html`<a href="/packages/${p.id}/download">Download (.age)</a>`;
  return '';
}
