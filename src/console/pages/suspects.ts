/**
 * Suspects: the sortable, filterable list (paged on the server) and the suspect page. Each
 * handler validates its input (zod), is authorised by its `needs` guard, reads through the
 * domain's queries (data.ts, scoped to the viewer) and renders with suspect-views.ts.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { can, scope } from '../../authz/policy.ts';
import type { Html } from '../../shared/html.ts';
import { notesSection } from '../annotations.ts';
import { AccountId, listSuspects, suspect, SUSPECT_SORTS } from '../data.ts';
import { crewGraph, neighbours } from '../graph.ts';
import { PageNumber } from '../layout.ts';
import { csrfToken, needs, sendPage, userOf, type Ctx } from '../http.ts';
import { Country, type User } from '../../users/roles.ts';
import { suspectPage, suspectsList, type Rights } from './suspect-views.ts';

const ListQuery = z.object({
  country: Country.optional().catch(undefined),
  priority: z.enum(['1']).optional().catch(undefined),
  crew: z.string().max(40).optional().catch(undefined),
  sort: z.enum(SUSPECT_SORTS).catch('score'),
  dir: z.enum(['asc', 'desc']).catch('desc'),
  page: PageNumber,
});

export async function suspectRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/suspects', needs(ctx, 'suspects:read'), async (req, reply) => {
    const user = userOf(req);
    const q = ListQuery.parse(req.query);
    const filter = {
      country: q.country ?? null,
      priority: q.priority === '1',
      crew: q.crew || null,
      sort: q.sort,
      dir: q.dir,
    };
    const rights = rightsOf(user);
    const key = `suspects|${scope(user) ?? ''}|${rights.crews}|${JSON.stringify(q)}`;
    const body = (await ctx.caches.page(key, async () => {
      const { rows, total } = await listSuspects(
        ctx.analysis,
        filter,
        scope(user),
        q.page,
        rights.crews,
      );
      return suspectsList(q, rows, total, rights);
    })) as Html;
    return sendPage(ctx, reply, { title: 'Suspects', user, current: '/suspects' }, body);
  });

  app.get('/suspects/:id', needs(ctx, 'suspects:read'), async (req, reply) => {
    const user = userOf(req);
    const id = AccountId.parse((req.params as { id: string }).id);
    // `?page=N`: the page of the victims it reached.
    const page = PageNumber.parse((req.query as { page?: unknown }).page);
    const rights = rightsOf(user);
    const key = `suspect|${id}|${scope(user) ?? ''}|${rights.crews}|${rights.victims}|${page}`;
    const body = await ctx.caches.page(key, async () => {
      const s = await suspect(ctx.analysis, id, scope(user), page, rights.crews);
      if (!s) return null;
      return suspectPage(id, s, page, rights, ctx.sealer);
    });
    if (!body) return reply.callNotFound();
    const csrf = csrfToken(reply);
    // Notes change while the console runs: never part of the cached fragment.
    const notes = await notesSection(
      ctx,
      user,
      csrf,
      'suspect',
      id,
      `/suspects/${encodeURIComponent(id)}`,
    );
    return sendPage(ctx, reply, { title: `Suspect ${id}`, user, csrf, current: '/suspects' }, [
      body,
      notes,
    ]);
  });

  app.get('/crews/:id/graph.json', needs(ctx, 'crews:read'), async (req, reply) => {
    const graph = await crewGraph(ctx.analysis, AccountId.parse((req.params as { id: string }).id));
    // No such crew: not found, as its page is (an empty graph would pass for a crew of none).
    if (graph.nodes.length === 0) return reply.callNotFound();
    return graph;
  });

  app.get('/accounts/:id/neighbours.json', needs(ctx, 'crews:read'), async (req) => {
    return neighbours(ctx.analysis, AccountId.parse((req.params as { id: string }).id));
  });
}

const rightsOf = (user: User): Rights => ({
  crews: can(user, 'crews:read'),
  victims: can(user, 'victims:read'),
});
