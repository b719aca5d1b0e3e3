import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WorkflowDetailSchema, WorkflowListSchema } from '../../contracts/workflows/catalogue.ts';
import { WorkflowRequestBodySchema, WorkflowValidationResultSchema, checkWorkflowRequest } from '../../contracts/workflows/rules.ts';
import { problems } from '../errors.ts';
import { requireAuth, type Services } from '../plugins.ts';
import { loadWorkflowCatalogue, type WorkflowCatalogue } from '../workflows/catalogue.ts';

const WorkflowParams = z.object({ id: z.string().min(1).max(64) });

/**
 * The workflow catalogue and parameter validation. The catalogue is loaded when this plugin
 * registers (at start-up; a bad descriptor is logged and skipped) unless `services.workflows` is set,
 * and is then kept in `services.workflows` for the launch engine.
 */
export function workflowRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    const catalogue: WorkflowCatalogue = services.workflows ?? (await loadWorkflowCatalogue(services.config.workflowsDir));
    services.workflows = catalogue;
    app.log.info({ dir: catalogue.dir, workflows: catalogue.list().map((w) => w.id) }, 'workflow catalogue loaded');
    // A bad descriptor is skipped, never fatal: the others stay available.
    for (const s of catalogue.skipped) app.log.error({ file: s.source, problem: s.message }, 'workflow descriptor skipped');

    app.addHook('onRequest', requireAuth(services));

    const entry = (id: string) => {
      const e = catalogue.get(id);
      if (!e) throw problems.notFound(`There is no workflow "${id}" in the catalogue`);
      return e;
    };

    app.get(
      '/v1/workflows',
      {
        schema: {
          tags: ['workflows'],
          summary: 'The workflow catalogue',
          security: [{ bearer: [] }],
          response: { 200: WorkflowListSchema },
        },
      },
      async () => ({ items: catalogue.list() }),
    );

    app.get(
      '/v1/workflows/:id',
      {
        schema: {
          tags: ['workflows'],
          summary: 'One workflow with its Boutiques descriptor',
          security: [{ bearer: [] }],
          params: WorkflowParams,
          response: { 200: WorkflowDetailSchema },
        },
      },
      async (request) => {
        const e = entry(request.params.id);
        return { ...e.summary, descriptor: e.descriptor };
      },
    );

    app.post(
      '/v1/workflows/:id/validate',
      {
        schema: {
          tags: ['workflows'],
          summary: 'Check parameter values and sweeps against the descriptor (the same rules as the form)',
          description:
            'Answers the number of value combinations (jobs per input-file set), or 400 with field-level issues such as `values.ERANGE_MIN` or `sweeps.NSHOW.step`.',
          security: [{ bearer: [] }],
          params: WorkflowParams,
          body: WorkflowRequestBodySchema,
          response: { 200: WorkflowValidationResultSchema },
        },
      },
      async (request) => {
        const e = entry(request.params.id);
        const check = checkWorkflowRequest(e.descriptor, request.body);
        if (!check.ok) {
          const first = check.issues[0];
          throw problems.validation(first ? `${first.path}: ${first.message}` : 'Invalid parameters', check.issues);
        }
        return { ok: true as const, jobs: check.jobs };
      },
    );
  };
}
