import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DraftCreateSchema, DraftListQuerySchema, DraftListSchema, DraftSchema, DraftUpdateSchema } from '../../contracts/drafts.ts';
import { isLaunchActive, LaunchPreviewSchema, LaunchRequestSchema, LaunchSchema } from '../../contracts/launches.ts';
import { ownerKeyOf, ownerOf } from '../auth/owner.ts';
import type { Principal } from '../auth/verify.ts';
import { problems } from '../errors.ts';
import { renderJdl } from '../jdl/render.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';
import { buildJobs, jobGroupFor } from './build.ts';
import { createDraftRepo } from './drafts-repo.ts';
import { asInput, boundFiles, launchBasketItems, workflowForLaunch } from './inputs.ts';
import { planStaging } from './staging.ts';
import { rucioFromConfig } from '../datasets/rucio.ts';

const IdParams = z.object({ launchId: z.uuid() });
const DraftIdParams = z.object({ draftId: z.uuid() });
const DRAFT_NOT_FOUND = 'No such draft (it may have been deleted, or it is not yours)';

/** Launches (preview, submit, progress) and the launch page's drafts. */
export function launchRoutes(services: Services): FastifyPluginAsyncZod {
  const { launches, launchRunner: runner } = services;
  const drafts = createDraftRepo(services.db);

  async function prepare(p: Principal, body: z.output<typeof LaunchRequestSchema>, jobGroup: string) {
    const wf = await workflowForLaunch(services, body);
    const items = await launchBasketItems(services.db, p, body);
    const inputs = items.map(asInput);
    const bound = await boundFiles(services.db, p, body.fileBindings);
    if (!body.stageAt) return { wf, inputs, jobs: buildJobs(body, wf, inputs, jobGroup, bound), staging: undefined };
    // Stage first: the jobs run where their inputs are staged.
    const pinned = { ...body, resources: { ...body.resources, sites: [body.stageAt], bannedSites: [] } };
    const jobs = buildJobs(pinned, wf, inputs, jobGroup, bound);
    const staging = await planStaging(
      { db: services.db, rucio: rucioFromConfig(services.config.datasetSources), catalogue: services.catalogue },
      items,
      body.stageAt,
    );
    return { wf, inputs, jobs, staging };
  }

  return async (app) => {
    // onRequest: refuse unauthenticated requests before their body is read and validated.
    app.addHook('onRequest', requireAuth(services));

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
                ...(first.payload || first.sandboxFiles.length ? { InputSandbox: ['SB:SandboxSE|uploaded-at-submission'] } : {}),
              })
            : '',
          sampleCommandLine: first?.payload?.command ?? '',
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
        const { wf, jobs, staging } = await prepare(p, request.body, jobGroup);
        const { launch, created, mismatch } = await launches.claim({
          ...ownerOf(p),
          idempotencyKey: request.body.idempotencyKey,
          name: request.body.name,
          jobGroup,
          workflowId: request.body.workflowId,
          workflowVersion: wf.version,
          descriptorSha256: wf.sha256,
          request: request.body,
          jobs,
          staging,
        });
        if (mismatch) {
          throw problems.conflict(
            `The idempotency key ${request.body.idempotencyKey} was already used for another launch (${launch.name}); use a new key for a new launch`,
          );
        }
        if (created || isLaunchActive(launch.status)) {
          void runner.start(launch.id, launch.jobGroup, p.token, services.diracx(p.instance));
        }
        await services.audit.record({
          actorSub: p.sub,
          actorName: p.username,
          instanceId: p.instance.id,
          action: created ? 'launch.create' : 'launch.replay',
          target: launch.id,
          detail: { jobs: launch.totalJobs, workflow: launch.workflowId, version: launch.workflowVersion },
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
        return { items: await launches.listFor(p.sub, p.instance.id) };
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
        const launch = await launches.get(request.params.launchId);
        if (!launch || launch.ownerSub !== p.sub || launch.instanceId !== p.instance.id) throw problems.notFound('No such launch');
        // A launch left mid-way (e.g. the BFF restarted) resumes with its owner's token.
        if (isLaunchActive(launch.status) && !runner.isRunning(launch.id)) {
          void runner.start(launch.id, launch.jobGroup, p.token, services.diracx(p.instance));
        }
        const { ownerSub: _o, instanceId: _i, ...rest } = launch;
        return rest;
      },
    );

    app.get(
      '/v1/launch-drafts',
      {
        schema: {
          tags: ['launches'],
          summary: 'Your launch drafts on this DiracX instance, newest first (optionally of one workflow)',
          security: [{ bearer: [] }],
          querystring: DraftListQuerySchema,
          response: { 200: DraftListSchema },
        },
      },
      async (request) => ({ items: await drafts.list(ownerKeyOf(principalOf(request)), request.query.workflowId) }),
    );

    app.post(
      '/v1/launch-drafts',
      {
        schema: {
          tags: ['launches'],
          summary: 'Save the launch page as a new draft',
          security: [{ bearer: [] }],
          body: DraftCreateSchema,
          response: { 201: DraftSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await drafts.create(ownerKeyOf(principalOf(request)), request.body)),
    );

    app.get(
      '/v1/launch-drafts/:draftId',
      {
        schema: {
          tags: ['launches'],
          summary: 'One of your drafts, with its content',
          security: [{ bearer: [] }],
          params: DraftIdParams,
          response: { 200: DraftSchema },
        },
      },
      async (request) =>
        (await drafts.get(ownerKeyOf(principalOf(request)), request.params.draftId)) ?? Promise.reject(problems.notFound(DRAFT_NOT_FOUND)),
    );

    app.patch(
      '/v1/launch-drafts/:draftId',
      {
        schema: {
          tags: ['launches'],
          summary: 'Rename a draft and/or save the launch page over it',
          security: [{ bearer: [] }],
          params: DraftIdParams,
          body: DraftUpdateSchema,
          response: { 200: DraftSchema },
        },
      },
      async (request) =>
        (await drafts.update(ownerKeyOf(principalOf(request)), request.params.draftId, request.body)) ??
        Promise.reject(problems.notFound(DRAFT_NOT_FOUND)),
    );

    app.delete(
      '/v1/launch-drafts/:draftId',
      { schema: { tags: ['launches'], summary: 'Delete one of your drafts', security: [{ bearer: [] }], params: DraftIdParams } },
      async (request, reply) => {
        if (!(await drafts.remove(ownerKeyOf(principalOf(request)), request.params.draftId))) throw problems.notFound(DRAFT_NOT_FOUND);
        return reply.code(204).send();
      },
    );
  };
}
