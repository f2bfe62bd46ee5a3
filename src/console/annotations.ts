/**
 * Notes and tags on suspects, victims, crews and quarantined rows: stored in the operations
 * store, audited. Each user reads only the notes its role and scope allow, chosen in the query
 * (authz/policy.ts noteAudience, sql/notes-of.sql): a partner, only the notes on its country's
 * suspects that their authors shared with it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  can,
  maskNumbersIn,
  NOTE_TARGETS,
  noteAudience,
  type NoteAudience,
  type NoteTarget,
} from '../authz/policy.ts';
import { recordAuditIn } from '../audit/audit.ts';
import type { OpsQuery } from '../ops/db.ts';
import { UnspoofError } from '../shared/errors.ts';
import { html, type Html } from '../shared/html.ts';
import { readSql } from '../shared/sql.ts';
import { Role, type User } from '../users/roles.ts';
import type { NoteRow } from './cache.ts';
import { suspectCountry } from './data.ts';
import { csrfField, fmt } from './layout.ts';
import { needs, userOf, type Ctx } from './http.ts';

export const TARGETS = NOTE_TARGETS;
const Note = z.object({
  target_type: z.enum(TARGETS),
  target_id: z.string().min(1).max(200),
  note: z.string().trim().max(4000).default(''),
  tags: z.string().trim().max(400).default(''),
  /** Share with the partner unit of the suspect's country (a note on a suspect only). */
  share: z.literal('1').optional(),
  back: z.string().regex(/^\/(?![/\\])\S*$/),
});

/** The notes on one target that `audience` may read, oldest first. */
export async function notesOf(
  db: OpsQuery,
  type: NoteTarget,
  id: string,
  audience: NoteAudience,
): Promise<NoteRow[]> {
  return db.query(readSql(import.meta.url, 'sql/notes-of.sql'), [
    type,
    id,
    audience.targets,
    audience.sharedWith,
  ]);
}

/** The notes cache's key: a target's notes as one audience reads them. */
const notesKey = (type: string, id: string, a: NoteAudience) =>
  `${type}:${id}|${a.targets.join(',')}|${a.sharedWith ?? ''}`;

/** Every audience that reads a note on this target shared (or not) with this country. */
function readersOf(sharedWith: string | null): NoteAudience[] {
  return Role.options.flatMap((role) =>
    role !== 'partner'
      ? [noteAudience({ role, country: null })]
      : sharedWith
        ? [noteAudience({ role, country: sharedWith })]
        : [],
  );
}

/**
 * The notes on one thing that `user` may read and, for those allowed, a form to add one.
 * `back`: where to return.
 */
export async function notesSection(
  ctx: Ctx,
  user: User,
  csrf: string,
  type: NoteTarget,
  id: string,
  back: string,
): Promise<Html> {
  const audience = noteAudience(user);
  const key = notesKey(type, id, audience);
  let notes = ctx.caches.notes.get(key);
  if (!notes) {
    notes = audience.targets.includes(type) ? await notesOf(ctx.ops, type, id, audience) : [];
    ctx.caches.notes.set(key, notes);
  }
  // The same notes in the same form are the same section, made once while the notes are kept:
  // so a page of them is the same bytes (cache.ts).
  let made = rendered.get(notes);
  if (!made) rendered.set(notes, (made = new Map()));
  const form = can(user, 'annotations:write');
  const as = JSON.stringify([csrf, form, back, audience.maskNumbers, audience.sharedWith]);
  let section = made.get(as);
  if (!section) made.set(as, (section = renderNotes(notes, csrf, form, type, id, back, audience)));
  return section;
}

const rendered = new WeakMap<NoteRow[], Map<string, Html>>();

function renderNotes(
  notes: NoteRow[],
  csrf: string,
  form: boolean,
  type: NoteTarget,
  id: string,
  back: string,
  audience: NoteAudience,
): Html {
  const text = (t: string) => (audience.maskNumbers ? maskNumbersIn(t) : t);
  const none = audience.sharedWith ? 'No notes shared with your unit.' : 'No notes yet.';
  return html`<section aria-labelledby="notes-h">
    <h2 id="notes-h">Notes</h2>
    ${notes.length === 0 ? html`<p>${none}</p>` : ''}
    <ul class="notes">
      ${notes.map(
        (n) =>
          html`<li>
            <p>${text(n.note as string)}</p>
            <p class="note">
              ${(n.tags as string[]).map((t) => html`<span class="tag">${text(t)}</span> `)}${(n.author as string | null) ?? 'the case team'},
              ${fmt(new Date(n.created_at as string).toISOString().slice(0, 16))}${n.shared_with && !audience.sharedWith ? ` · shared with the partner unit of ${String(n.shared_with)}` : ''}
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
            ${
              type === 'suspect'
                ? html`<label
                    ><input type="checkbox" name="share" value="1" /> Share with the partner unit of
                    the suspect's country</label
                  >`
                : ''
            }
            <button type="submit">Save note</button>
          </form>`
        : ''
    }
  </section>`;
}

export async function annotationRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.post('/annotations', needs(ctx, 'annotations:write'), async (req, reply) => {
    const user = userOf(req);
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
    // Shared with the country the suspect is registered in, as the analysis has it now.
    let sharedWith: string | null = null;
    if (n.share) {
      if (n.target_type !== 'suspect')
        throw new UnspoofError('USAGE', 'only a note on a suspect can be shared with a partner');
      sharedWith = await suspectCountry(ctx.analysis, n.target_id);
      if (!sharedWith)
        throw new UnspoofError(
          'USAGE',
          'this suspect has no country: the note cannot be shared with a partner',
        );
    }
    const now = ctx.fx.now();
    await ctx.ops.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO annotations (target_type, target_id, author_id, note, tags, created_at, shared_with)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [n.target_type, n.target_id, user.id, n.note, tags, now.toISOString(), sharedWith],
      );
      await recordAuditIn(
        tx,
        {
          actor: user.name,
          action: 'annotate',
          target: `${n.target_type}:${n.target_id}`,
          detail: sharedWith ? { tags, shared_with: sharedWith } : { tags },
        },
        now,
      );
    });
    for (const a of readersOf(sharedWith))
      ctx.caches.notes.delete(notesKey(n.target_type, n.target_id, a));
    return reply.redirect(n.back, 303);
  });
}
