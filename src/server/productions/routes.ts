import { isLaunchActive } from '../../contracts/launches.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BulkActionSchema,
  BulkResultSchema,
  FAILURE_SAMPLE_KINDS,
  FailureSamplesSchema,
  ProductionDetailSchema,
  ProductionListQuerySchema,
  ProductionPageSchema,
  ProductionProgressSchema,
  type JobCounts,
  type Production,
} from '../../contracts/productions.ts';
import type { Principal } from '../auth/verify.ts';
import type { SearchSpec } from '../diracx/client.ts';
import { problems } from '../errors.ts';
import { visibilityConditions } from '../jobs/visibility.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';
import { runBulk } from './bulk.ts';
import { countsByGroup, emptyCounts, failureBreakdown, pace, productionState, progressSeries, PROGRESS_COLUMNS } from './progress.ts';
import { createProductionRepo, type ProductionRow } from './repo.ts';
import { upstream } from '../upstream.ts';
import { failureSamples } from './failure-samples.ts';

/** With a state filter, the BFF classifies at most this many of the newest matching productions. */
export const STATE_SCAN_LIMIT = 500;
/** The progress series reads at most this many jobs of a production. */
export const PROGRESS_JOB_LIMIT = 10_000;
/** Up to this many jobs, the progress series reads each job's status history (LoggingInfo). */
export const LOGGING_INFO_LIMIT = 500;

const IdParams = z.object({ productionId: z.uuid() });

export function productionRoutes(services: Services): FastifyPluginAsyncZod {
  const productions = createProductionRepo(services.db);
  const { launches, launchRunner } = services;

  /** Resume a launch left mid-way (its owner opened it and the BFF is not running it). */
  const resume = (p: Principal, launchId: string, jobGroup: string) => {
    if (!launchRunner.isRunning(launchId)) void launchRunner.start(launchId, jobGroup, p.token, services.diracx(p.instance));
  };

  const toProduction = (row: ProductionRow, counts: JobCounts): Production => ({
    id: row.id,
    name: row.name,
    jobGroup: row.jobGroup,
    workflowId: row.workflowId,
    owner: row.owner,
    ownerGroup: row.ownerGroup,
    createdAt: row.createdAt,
    launchStatus: row.launchStatus,
    state: productionState(row, counts),
    totalJobs: row.totalJobs,
    submittedJobs: row.submittedJobs,
    counts,
    ...pace(row, counts),
  });

  /** One DiracX summary call (JobGroup × Status) for a whole page of productions. */
  async function withCounts(p: Principal, rows: ProductionRow[]): Promise<Production[]> {
    if (rows.length === 0) return [];
    const search: SearchSpec[] = [
      ...visibilityConditions(p),
      { parameter: 'JobGroup', operator: 'in', values: rows.map((r) => r.jobGroup) },
    ];
    const summary = await upstream(() => services.diracx(p.instance).summary(p.token, ['JobGroup', 'Status'], search));
    const counts = countsByGroup(summary);
    return rows.map((r) => toProduction(r, counts.get(r.jobGroup) ?? emptyCounts()));
  }

  async function visible(p: Principal, id: string): Promise<ProductionRow> {
    const row = await productions.get(p, id);
    if (!row) throw problems.notFound('No such production, or it is not visible to you');
    return row;
  }

  const groupSearch = (p: Principal, jobGroup: string): SearchSpec[] => [
    ...visibilityConditions(p),
    { parameter: 'JobGroup', operator: 'eq', value: jobGroup },
  ];

  return async (app) => {
    app.addHook('onRequest', requireAuth(services));

    app.get(
      '/v1/productions',
      {
        schema: {
          tags: ['productions'],
          summary: 'Productions (launches) the user may see with live job counts, newest first',
          security: [{ bearer: [] }],
          querystring: ProductionListQuerySchema,
          response: { 200: ProductionPageSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { page, perPage, state, ...filters } = request.query;
        const facets = await productions.facets(p);
        if (!state) {
          const { rows, total } = await productions.list(p, filters, { limit: perPage, offset: (page - 1) * perPage });
          return { items: await withCounts(p, rows), total, page, perPage, ...facets };
        }
        // The state depends on DiracX's counts: classify the newest candidates, then page.
        const { rows } = await productions.list(p, filters, { limit: STATE_SCAN_LIMIT, offset: 0 });
        const matching = (await withCounts(p, rows)).filter((x) => x.state === state);
        return { items: matching.slice((page - 1) * perPage, page * perPage), total: matching.length, page, perPage, ...facets };
      },
    );

    app.get(
      '/v1/productions/:productionId',
      {
        schema: {
          tags: ['productions'],
          summary: 'One production: counts, failures by minor status and by site, and its launch',
          security: [{ bearer: [] }],
          params: IdParams,
          response: { 200: ProductionDetailSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await visible(p, request.params.productionId);
        const launch = await launches.get(row.id);
        if (!launch) throw problems.notFound('No such production');
        if (launch.ownerSub === p.sub && isLaunchActive(launch.status)) resume(p, row.id, row.jobGroup);
        // One summary call: Status × MinorStatus × Site × ApplicationStatus gives the counts and the failure breakdowns.
        const summary = await upstream(() =>
          services
            .diracx(p.instance)
            .summary(p.token, ['Status', 'MinorStatus', 'Site', 'ApplicationStatus'], groupSearch(p, row.jobGroup)),
        );
        const counts = countsByGroup(summary.map((r) => ({ ...r, JobGroup: row.jobGroup }))).get(row.jobGroup) ?? emptyCounts();
        const { ownerSub: _o, instanceId: _i, ...rest } = launch;
        return {
          production: toProduction(row, counts),
          launch: rest,
          failures: {
            byMinorStatus: failureBreakdown(summary, 'MinorStatus'),
            bySite: failureBreakdown(summary, 'Site'),
            byApplicationStatus: await Promise.all(
              failureBreakdown(summary, 'ApplicationStatus').map(async (e) => ({
                ...e,
                reason: (await services.workflows?.exitReason(launch.workflowId, launch.descriptorSha256, e.key)) ?? null,
              })),
            ),
          },
        };
      },
    );

    app.get(
      '/v1/productions/:productionId/progress',
      {
        schema: {
          tags: ['productions'],
          summary:
            'Progress over time (cumulative submitted / started / done / failed), from the jobs’ status histories (small productions) or times',
          security: [{ bearer: [] }],
          params: IdParams,
          response: { 200: ProductionProgressSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await visible(p, request.params.productionId);
        // Small productions: the status history too (exact times across reschedules).
        const parameters = row.submittedJobs <= LOGGING_INFO_LIMIT ? [...PROGRESS_COLUMNS, 'LoggingInfo'] : PROGRESS_COLUMNS;
        const { rows, total } = await upstream(() =>
          services
            .diracx(p.instance)
            .searchJobs(
              p.token,
              { parameters, search: groupSearch(p, row.jobGroup), sort: [{ parameter: 'JobID', direction: 'asc' }] },
              { page: 1, perPage: PROGRESS_JOB_LIMIT },
            ),
        );
        return { points: progressSeries(rows), jobs: rows.length, truncated: total > rows.length };
      },
    );

    app.get(
      '/v1/productions/:productionId/failures/stderr',
      {
        schema: {
          tags: ['productions'],
          summary: "The newest failed job of each minor status, with the tail of its std.err (the job's output sandbox)",
          security: [{ bearer: [] }],
          params: IdParams,
          response: { 200: FailureSamplesSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await visible(p, request.params.productionId);
        return upstream(() => failureSamples(services.diracx(p.instance), p.token, groupSearch(p, row.jobGroup), FAILURE_SAMPLE_KINDS));
      },
    );

    app.post(
      '/v1/productions/:productionId/actions/:action',
      {
        schema: {
          tags: ['productions'],
          summary: 'Reschedule every failed job, or kill every job not yet finished, of a production (partial success reported per job)',
          security: [{ bearer: [] }],
          params: IdParams.extend({ action: BulkActionSchema }),
          response: { 200: BulkResultSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const row = await visible(p, request.params.productionId);
        const result = await runBulk(services.diracx(p.instance), p, row.jobGroup, request.params.action);
        await services.audit.record({
          actorSub: p.sub,
          actorName: p.username,
          instanceId: p.instance.id,
          action: `production.${request.params.action}`,
          target: row.id,
          detail: { jobGroup: row.jobGroup, requested: result.requested, succeeded: result.succeeded.length, failed: result.failed.length },
          requestId: request.id,
        });
        return result;
      },
    );
  };
}
