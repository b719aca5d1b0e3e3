import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LaunchPreviewSchema, LaunchRequestSchema, LaunchSchema } from '../../contracts/launches.ts';
import { problems } from '../errors.ts';
import { renderJdl } from '../jdl/render.ts';
import { buildJobs, jobGroupFor, type InputItem, type WorkflowForLaunch } from '../launches/build.ts';
import type { LaunchRepo } from '../launches/repo.ts';
import type { LaunchRunner } from '../launches/engine.ts';
import { ownerOf, principalOf, requireAuth, type Services } from '../plugins.ts';
import type { Principal } from '../auth/verify.ts';

/** What the launch routes need beyond the common services. */
export interface LaunchServices {
  launches: LaunchRepo;
  runner: LaunchRunner;
  workflowFor: (id: string) => WorkflowForLaunch | undefined;
  basketItems: (p: Principal, itemIds: string[]) => Promise<InputItem[]>;
}

const IdParams = z.object({ launchId: z.uuid() });

export function launchRoutes(services: Services, ls: LaunchServices): FastifyPluginAsyncZod {
  async function prepare(p: Principal, body: z.output<typeof LaunchRequestSchema>, jobGroup: string) {
    const wf = ls.workflowFor(body.workflowId);
    if (!wf) throw problems.validation(`Unknown workflow "${body.workflowId}"`, [{ path: 'workflowId', message: 'not in the catalogue' }]);
    const inputs = body.inputItemIds.length ? await ls.basketItems(p, body.inputItemIds) : [];
    const missing = body.inputItemIds.filter((id) => !inputs.some((i) => i.id === id));
    if (missing.length)
      throw problems.validation(`${missing.length} input item(s) are no longer in your basket`, [
        { path: 'inputItemIds', message: `missing: ${missing.slice(0, 5).join(', ')}` },
      ]);
    return { wf, inputs, jobs: buildJobs(body, wf, inputs, jobGroup) };
  }

  return async (app) => {
    app.addHook('preHandler', requireAuth(services));

    app.post(
      '/v1/launches/preview',
      {
        schema: {
          tags: ['launches'],
          summary: 'What a launch would submit: job count, input size and the first JDL',
          security: [{ bearer: [] }],
          body: LaunchRequestSchema,
          response: { 200: LaunchPreviewSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const jobGroup = jobGroupFor(request.body.name);
        const { inputs, jobs } = await prepare(p, request.body, jobGroup);
        const first = jobs[0];
        return {
          totalJobs: jobs.length,
          inputFiles: inputs.length,
          inputBytes: inputs.reduce((s, i) => s + (i.sizeBytes ?? 0), 0),
          jobGroup,
          sampleJdl: first
            ? renderJdl({
                ...first.attributes,
                ...(first.sandboxFiles.length ? { InputSandbox: ['SB:SandboxSE|uploaded-at-submission'] } : {}),
              })
            : '',
          sweptParameters: Object.keys(request.body.sweeps),
        };
      },
    );

    app.post(
      '/v1/launches',
      {
        schema: {
          tags: ['launches'],
          summary: 'Submit a launch (runs in the BFF; idempotent per key)',
          security: [{ bearer: [] }],
          body: LaunchRequestSchema,
          response: { 200: LaunchSchema, 202: LaunchSchema },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        if (!p.properties.includes('NormalUser')) throw problems.forbidden(`Your group "${p.group}" may not submit jobs`);
        const jobGroup = jobGroupFor(request.body.name);
        const { jobs } = await prepare(p, request.body, jobGroup);
        const { launch, created } = await ls.launches.claim({
          ...ownerOf(p),
          idempotencyKey: request.body.idempotencyKey,
          name: request.body.name,
          jobGroup,
          workflowId: request.body.workflowId,
          request: request.body,
          jobs,
        });
        if (created || launch.status === 'pending' || launch.status === 'submitting') {
          void ls.runner.start(launch.id, launch.jobGroup, p.token, services.diracx(p.instance));
        }
        await services.audit.record({
          actorSub: p.sub,
          actorName: p.username,
          instanceId: p.instance.id,
          action: created ? 'launch.create' : 'launch.replay',
          target: launch.id,
          detail: { jobs: launch.totalJobs, workflow: launch.workflowId },
          requestId: request.id,
        });
        return reply.code(created ? 202 : 200).send(launch);
      },
    );

    app.get(
      '/v1/launches',
      {
        schema: {
          tags: ['launches'],
          summary: 'Your launches, newest first',
          security: [{ bearer: [] }],
          response: { 200: z.object({ items: z.array(LaunchSchema) }) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        return { items: await ls.launches.listFor(p.sub, p.instance.id) };
      },
    );

    app.get(
      '/v1/launches/:launchId',
      {
        schema: {
          tags: ['launches'],
          summary: 'Progress of one launch',
          security: [{ bearer: [] }],
          params: IdParams,
          response: { 200: LaunchSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const launch = await ls.launches.get(request.params.launchId);
        if (!launch || launch.ownerSub !== p.sub || launch.instanceId !== p.instance.id) throw problems.notFound('No such launch');
        // A launch left mid-way (e.g. the BFF restarted) resumes with its owner's token.
        if ((launch.status === 'pending' || launch.status === 'submitting') && !ls.runner.isRunning(launch.id)) {
          void ls.runner.start(launch.id, launch.jobGroup, p.token, services.diracx(p.instance));
        }
        const { ownerSub: _o, instanceId: _i, ...rest } = launch;
        return rest;
      },
    );
  };
}
