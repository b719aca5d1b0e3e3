import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DraftCreateSchema, DraftListQuerySchema, DraftListSchema, DraftSchema, DraftUpdateSchema } from '../../contracts/drafts.ts';
import { problems } from '../errors.ts';
import { createDraftRepo, type DraftRepo } from '../launches/drafts-repo.ts';
import { requireAuth, type Services } from '../plugins.ts';
import { ownerOf } from './datasets.ts';

const IdParams = z.object({ draftId: z.uuid() });
const NOT_FOUND = 'No such draft (it may have been deleted, or it is not yours)';

/** Launch-page drafts: list, open, save (new or over), rename, delete. Only the owner sees a draft. */
export function draftRoutes(services: Services, opts: { drafts?: DraftRepo } = {}): FastifyPluginAsyncZod {
  const drafts = opts.drafts ?? createDraftRepo(services.db);
  const security = [{ bearer: [] }];
  const tags = ['launches'];
  return async (app) => {
    app.addHook('onRequest', requireAuth(services));

    app.get(
      '/v1/launch-drafts',
      {
        schema: {
          tags,
          summary: 'Your launch drafts on this DiracX instance, newest first (optionally of one workflow)',
          security,
          querystring: DraftListQuerySchema,
          response: { 200: DraftListSchema },
        },
      },
      async (request) => ({ items: await drafts.list(ownerOf(request), request.query.workflowId) }),
    );

    app.post(
      '/v1/launch-drafts',
      {
        schema: { tags, summary: 'Save the launch page as a new draft', security, body: DraftCreateSchema, response: { 201: DraftSchema } },
      },
      async (request, reply) => reply.code(201).send(await drafts.create(ownerOf(request), request.body)),
    );

    app.get(
      '/v1/launch-drafts/:draftId',
      { schema: { tags, summary: 'One of your drafts, with its content', security, params: IdParams, response: { 200: DraftSchema } } },
      async (request) => (await drafts.get(ownerOf(request), request.params.draftId)) ?? Promise.reject(problems.notFound(NOT_FOUND)),
    );

    app.patch(
      '/v1/launch-drafts/:draftId',
      {
        schema: {
          tags,
          summary: 'Rename a draft and/or save the launch page over it',
          security,
          params: IdParams,
          body: DraftUpdateSchema,
          response: { 200: DraftSchema },
        },
      },
      async (request) =>
        (await drafts.update(ownerOf(request), request.params.draftId, request.body)) ?? Promise.reject(problems.notFound(NOT_FOUND)),
    );

    app.delete(
      '/v1/launch-drafts/:draftId',
      { schema: { tags, summary: 'Delete one of your drafts', security, params: IdParams } },
      async (request, reply) => {
        if (!(await drafts.remove(ownerOf(request), request.params.draftId))) throw problems.notFound(NOT_FOUND);
        return reply.code(204).send();
      },
    );
  };
}
