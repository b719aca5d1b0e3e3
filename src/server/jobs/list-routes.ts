import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HelloWorldRequestSchema, JobDetailSchema, JobPageSchema, SubmissionResultSchema } from '../../contracts/jobs.ts';
import { JobSearchQuerySchema } from '../../contracts/monitor.ts';
import type { SearchSpec } from '../diracx/client.ts';
import { HttpProblem, problems } from '../errors.ts';
import { helloWorldJdl } from '../jdl/hello-world.ts';
import { JdlError } from '../jdl/render.ts';
import { JOB_COLUMNS, toAttributes, toHistory, toJobSummary } from '../jobs/mapping.ts';
import { filterConditions, sortSpec } from '../jobs/search.ts';
import { visibilityConditions } from '../jobs/visibility.ts';
import { ownerOf, principalOf, requireAuth, type Services } from '../plugins.ts';
import { upstream, upstreamProblem } from '../upstream.ts';
import { checkFilters } from './monitor.ts';

const JobIdParams = z.object({
  jobId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
});

export function jobRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireAuth(services));

    app.post(
      '/v1/jobs/hello-world',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Submit the one-click Hello world job (idempotent per key)',
          security: [{ bearer: [] }],
          body: HelloWorldRequestSchema,
          response: { 200: SubmissionResultSchema, 201: SubmissionResultSchema },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        if (!p.properties.includes('NormalUser'))
          throw problems.forbidden(`Your group "${p.group}" may not submit jobs (NormalUser property missing)`);
        let jdl: string;
        try {
          jdl = helloWorldJdl({ greeting: request.body.greeting, message: request.body.message });
        } catch (err) {
          if (err instanceof JdlError) throw problems.validation(err.message, [{ path: 'body.message', message: err.message }]);
          throw err;
        }
        const { submission, created } = await services.submissions.claim({
          ...ownerOf(p),
          idempotencyKey: request.body.idempotencyKey,
          kind: 'hello-world',
          request: request.body,
          jdl,
        });
        if (!created) {
          if (submission.status === 'submitted') {
            return reply
              .code(200)
              .send({ submissionId: submission.id, jobIds: submission.jobIds ?? [], created: false, jdl: submission.jdl });
          }
          if (submission.status === 'pending')
            throw problems.conflict('This submission is already being sent to DiracX; wait a moment and reload your jobs');
          if (!(await services.submissions.retry(submission.id)))
            throw problems.conflict('This submission is being retried by another request');
        }
        try {
          const inserted = await services.diracx(p.instance).submitJdl(p.token, [jdl]);
          const jobIds = inserted.map((j) => j.JobID);
          await services.submissions.complete(submission.id, jobIds);
          await services.audit.record({
            actorSub: p.sub,
            actorName: p.username,
            instanceId: p.instance.id,
            action: 'jobs.submit',
            target: jobIds.join(','),
            detail: { kind: 'hello-world', submissionId: submission.id },
            requestId: request.id,
          });
          request.log.info({ submissionId: submission.id, jobIds }, 'hello-world submitted');
          return reply.code(201).send({ submissionId: submission.id, jobIds, created: true, jdl });
        } catch (err) {
          const problem = upstreamProblem(err);
          await services.submissions.fail(submission.id, problem instanceof HttpProblem ? problem.message : (err as Error).message);
          throw problem;
        }
      },
    );

    app.get(
      '/v1/jobs',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Jobs the user may see: filters, sort and page (DiracX search, visibility added by the BFF)',
          security: [{ bearer: [] }],
          querystring: JobSearchQuerySchema,
          response: { 200: JobPageSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { page, perPage, sort, order, ...filters } = request.query;
        checkFilters(p, filters);
        const search = filterConditions(p, filters);
        const { rows, total } = await upstream(() =>
          services
            .diracx(p.instance)
            .searchJobs(p.token, { parameters: [...JOB_COLUMNS], search, sort: sortSpec(sort, order) }, { page, perPage }),
        );
        return { items: rows.map(toJobSummary), total, page, perPage };
      },
    );

    app.get(
      '/v1/jobs/:jobId',
      {
        schema: {
          tags: ['jobs'],
          summary: 'One job: attributes, status history and the JDL the portal sent',
          security: [{ bearer: [] }],
          params: JobIdParams,
          response: { 200: JobDetailSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { jobId } = request.params;
        const search: SearchSpec[] = [{ parameter: 'JobID', operator: 'eq', value: jobId }, ...visibilityConditions(p)];
        const { rows } = await upstream(() =>
          services.diracx(p.instance).searchJobs(p.token, { parameters: [...JOB_COLUMNS, 'LoggingInfo'], search }, { page: 1, perPage: 1 }),
        );
        const row = rows[0];
        if (!row) throw problems.notFound(`Job ${jobId} does not exist or is not visible to you`);
        const record = await services.submissions.findJob(p.instance.id, jobId);
        const jdl = record?.jdl ?? (await services.jdlOfLaunchJob?.(p.instance.id, jobId)) ?? null;
        return { job: toJobSummary(row), attributes: toAttributes(row), history: toHistory(row), jdl };
      },
    );
  };
}
