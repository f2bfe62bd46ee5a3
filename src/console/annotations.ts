/** Notes and tags on suspects, victims, crews and quarantined rows: stored in the operations store, audited. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { can } from '../authz/policy.ts';
import { recordAuditIn } from '../audit/audit.ts';
import type { OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import { html, type Html } from '../shared/html.ts';
import type { User } from '../users/roles.ts';
import type { NoteRow } from './cache.ts';
import { csrfField, fmt } from './layout.ts';
import { guard, type Ctx } from './http.ts';

export const TARGETS = ['suspect', 'victim', 'crew', 'quarantine'] as const;
const Note = z.object({
  target_type: z.enum(TARGETS),
  target_id: z.string().min(1).max(200),
  note: z.string().trim().max(4000).default(''),
  tags: z.string().trim().max(400).default(''),
  back: z.string().regex(/^\/(?![/\\])\S*$/),
});

export async function notesOf(
  db: OpsQuery,
  type: string,
  id: string,
): Promise<Array<Record<string, unknown>>> {
  return db.query(
    `SELECT a.note, a.tags, a.created_at, u.name AS author FROM annotations a JOIN users u ON u.id = a.author_id
      WHERE a.target_type = $1 AND a.target_id = $2 ORDER BY a.created_at, a.id`,
    [type, id],
  );
}

/** The notes on one thing and, for those allowed, a form to add one. `back`: where to return. */
export async function notesSection(
  ctx: Ctx,
  user: User,
  csrf: string,
  type: (typeof TARGETS)[number],
  id: string,
  back: string,
): Promise<Html> {
  const key = `${type}:${id}`;
  let notes = ctx.caches.notes.get(key);
  if (!notes) {
    notes = await notesOf(ctx.ops, type, id);
    ctx.caches.notes.set(key, notes);
  }
  // The same notes in the same form are the same section, made once while the notes are kept:
  // so a page of them is the same bytes (cache.ts).
  let made = rendered.get(notes);
  if (!made) rendered.set(notes, (made = new Map()));
  const form = can(user, 'annotations:write');
  const as = JSON.stringify([csrf, form, back]);
  let section = made.get(as);
  if (!section) made.set(as, (section = renderNotes(notes, csrf, form, type, id, back)));
  return section;
}

const rendered = new WeakMap<NoteRow[], Map<string, Html>>();

function renderNotes(
  notes: NoteRow[],
  csrf: string,
  form: boolean,
  type: (typeof TARGETS)[number],
  id: string,
  back: string,
): Html {
  return html`<section aria-labelledby="notes-h">
    <h2 id="notes-h">Notes</h2>
    ${notes.length === 0 ? html`<p>No notes yet.</p>` : ''}
    <ul class="notes">
      ${notes.map(
        (n) =>
          html`<li>
            <p>${n.note as string}</p>
            <p class="note">
              ${(n.tags as string[]).map((t) => html`<span class="tag">${t}</span> `)}${n.author as string},
              ${fmt(new Date(n.created_at as string).toISOString().slice(0, 16))}
            </p>
          </li>`,
      )}
    </ul>
    ${
      form
        ? html`<form method="post" action="/annotations" class="stack">
            ${csrfField(csrf)}
            <input type="hidden" name="target_type" value="${type}" /><input
              type="hidden"
              name="target_id"
              value="${id}"
            />
            <input type="hidden" name="back" value="${back}" />
            <label for="note">Add a note</label
            ><textarea id="note" name="note" rows="3" maxlength="4000"></textarea>
            <label for="tags">Tags (comma-separated)</label
            ><input id="tags" name="tags" maxlength="400" />
            <button type="submit">Save note</button>
          </form>`
        : ''
    }
  </section>`;
}

export async function annotationRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.post('/annotations', async (req, reply) => {
    const user = guard(ctx, req, reply, 'annotations:write');
    if (!user) return reply;
    const input = Note.safeParse(req.body);
    if (!input.success)
      throw new UnspoofError(
        'USAGE',
        'the note is not valid: a note of at most 4,000 characters and tags of at most 400',
      );
    const n = input.data;
    const tags = [
      ...new Set(
        n.tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ].slice(0, 20);
    if (!n.note && tags.length === 0) throw new UnspoofError('USAGE', 'write a note or a tag');
    const now = ctx.fx.now();
    await ctx.ops.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO annotations (target_type, target_id, author_id, note, tags, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [n.target_type, n.target_id, user.id, n.note, tags, now.toISOString()],
      );
      await recordAuditIn(
        tx,
        {
          actor: user.name,
          action: 'annotate',
          target: `${n.target_type}:${n.target_id}`,
          detail: { tags },
        },
        now,
      );
    });
    ctx.caches.notes.delete(`${n.target_type}:${n.target_id}`);
    return reply.redirect(n.back, 303);
  });
}
