import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JobDetailSchema, JobPageSchema, JobSummarySchema, type JobSummary } from '../../contracts/jobs.ts';
import {
  CHART_MAX_GROUPS,
  CHART_OTHER,
  JobActionRequestSchema,
  JobActionResultSchema,
  JobExportQuerySchema,
  JobFiltersSchema,
  JobSearchQuerySchema,
  JobSandboxesSchema,
  JobStatusSummarySchema,
  JobTimelineQuerySchema,
  JobTimelineSchema,
  MAX_EXPORT_ROWS,
  SANDBOX_INLINE_LIMIT,
  SandboxContentsSchema,
  SandboxQuerySchema,
  type JobAction,
  type JobActionResult,
} from '../../contracts/monitor.ts';
import type { Principal } from '../auth/verify.ts';
import type { DiracxClient, SearchSpec } from '../diracx/client.ts';
import { toCsv } from '../csv.ts';
import { problems } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';
import { listSandboxArchive } from '../sandbox/archive.ts';
import { createListingCache } from '../sandbox/listing-cache.ts';
import { upstream } from '../upstream.ts';
import { failureReason, rescheduleJobs, statusUpdateFor } from './actions.ts';
import { JOB_COLUMNS, toAttributes, toHistory, toJobSummary } from './mapping.ts';
import { jdlOfJob, launchDescriptorOfJob } from './repo.ts';
import { loadTimeline, shortCache, timelineDays } from './timeline.ts';
import { checkFilters, filterConditions, sortSpec } from './search.ts';
import { visibilityConditions } from './visibility.ts';

/** How long one user's timeline answer is reused: the chart is a glance, not a live view. */
const TIMELINE_TTL_MS = 30_000;
/** Sandbox listings kept per replica (each holds at most 4 MiB of heads; a std.out listing is a few KB). */
const SANDBOX_LISTINGS_BYTES = 32 * 1024 * 1024;

const JobIdParams = z.object({
  jobId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
});
const NOT_VISIBLE = 'does not exist or is not visible to you';

/** Of these ids, the jobs the user may see (DiracX's search with the visibility conditions), with their status. */
async function visibleJobs(diracx: DiracxClient, p: Principal, jobIds: number[]): Promise<Map<number, string>> {
  const search: SearchSpec[] = [{ parameter: 'JobID', operator: 'in', values: jobIds }, ...visibilityConditions(p)];
  const { rows } = await upstream(() =>
    diracx.searchJobs(p.token, { parameters: ['JobID', 'Status'], search }, { page: 1, perPage: Math.max(1, jobIds.length) }),
  );
  return new Map(rows.map((r) => [Number(r.JobID), String(r.Status)]));
}

/** Kill/delete are status updates; reschedule goes through the shared workaround (jobs/actions.ts). */
async function applyAction(diracx: DiracxClient, p: Principal, action: JobAction, ids: number[], statusOf: Map<number, string>) {
  if (action === 'reschedule') return upstream(() => rescheduleJobs(diracx, p, ids, (id) => statusOf.get(id)));
  const update = statusUpdateFor(action, p);
  return upstream(() => diracx.setStatus(p.token, Object.fromEntries(ids.map((id) => [id, update]))));
}

/** Every attribute of a job summary, in the contract's order. */
const CSV_COLUMNS = JobSummarySchema.keyof().options;

/** The jobs as CSV (csv.ts), one line per job. */
export function jobsCsv(rows: JobSummary[]): string {
  return toCsv(
    CSV_COLUMNS,
    rows.map((r) => CSV_COLUMNS.map((c) => r[c])),
  );
}

/** A day's counts by group, the largest CHART_MAX_GROUPS kept and the rest summed as "Other" (bounds the answer). */
export function foldGroups(counts: [string, number][]): Record<string, number> {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const out: Record<string, number> = {};
  for (const [key, n] of sorted.slice(0, CHART_MAX_GROUPS)) out[key] = (out[key] ?? 0) + n;
  const rest = sorted.slice(CHART_MAX_GROUPS).reduce((sum, [, n]) => sum + n, 0);
  if (rest > 0) out[CHART_OTHER] = (out[CHART_OTHER] ?? 0) + rest;
  return out;
}

/** InputSandbox PFNs named in a JDL (DiracX 0.7 does not link input sandboxes to jobs). */
export function sandboxPfnsOfJdl(jdl: string | null): string[] {
  if (!jdl) return [];
  const m = /\bInputSandbox\s*=\s*(\{[^}]*\}|"[^"]*")/i.exec(jdl);
  if (!m) return [];
  return [...m[1]!.matchAll(/"(SB:[^"]+)"/g)].map((x) => x[1]!);
}

/** /v1/jobs: the monitor (list, detail, summary, timeline, export), job actions and sandboxes. */
export function jobRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', requireAuth(services));
    const timelineCache = shortCache<{ days: Awaited<ReturnType<typeof loadTimeline>> }>(TIMELINE_TTL_MS, 1000);
    const listings = createListingCache(SANDBOX_LISTINGS_BYTES);

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
        if (!row) throw problems.notFound(`Job ${jobId} ${NOT_VISIBLE}`);
        const job = toJobSummary(row);
        const [jdl, launched] = await Promise.all([
          jdlOfJob(services.db, p.instance.id, jobId),
          launchDescriptorOfJob(services.db, p.instance.id, jobId),
        ]);
        const exitCodeReason =
          launched && services.workflows
            ? await services.workflows.exitReason(launched.workflowId, launched.sha256, job.applicationStatus ?? null)
            : null;
        return { job, attributes: toAttributes(row), history: toHistory(row), jdl, exitCodeReason };
      },
    );

    app.get(
      '/v1/jobs/summary',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Counts per status for a monitor view (its status filter left out)',
          security: [{ bearer: [] }],
          querystring: JobFiltersSchema,
          response: { 200: JobStatusSummarySchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        checkFilters(p, request.query);
        const rows = await upstream(() =>
          services.diracx(p.instance).summary(p.token, ['Status'], filterConditions(p, request.query, ['status'])),
        );
        const counts = rows
          .map((r) => ({ status: String(r.Status ?? 'Unknown'), count: Number(r.count ?? 0) }))
          .sort((a, b) => b.count - a.count);
        return { counts, total: counts.reduce((n, c) => n + c.count, 0) };
      },
    );

    app.get(
      '/v1/jobs/timeline',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Jobs submitted per day (UTC), by status or another attribute, for a monitor view',
          security: [{ bearer: [] }],
          querystring: JobTimelineQuerySchema,
          response: { 200: JobTimelineSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { days, groupBy, ...filters } = request.query;
        checkFilters(p, filters);
        // Grouped by status, the chart shows every status whatever the status filter.
        const base = filterConditions(p, filters, groupBy === 'Status' ? ['status'] : []);
        const dayList = timelineDays(days);
        // Per user (sub) and view; the same chart asked again within the TTL costs DiracX nothing.
        const key = JSON.stringify([p.instance.id, p.sub, p.group, dayList[0], request.query]);
        const diracx = services.diracx(p.instance);
        return timelineCache(key, async () => {
          const days = await loadTimeline(
            (grouping, search) => upstream(() => diracx.summary(p.token, grouping, search)),
            base,
            dayList,
            groupBy,
          );
          return { days: days.map(({ day, counts }) => ({ day, counts: foldGroups(Object.entries(counts)) })) };
        });
      },
    );

    app.post(
      '/v1/jobs/actions',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Kill, delete or reschedule jobs; reports which ids failed and why',
          security: [{ bearer: [] }],
          body: JobActionRequestSchema,
          response: { 200: JobActionResultSchema },
        },
      },
      async (request): Promise<JobActionResult> => {
        const p = principalOf(request);
        const { action } = request.body;
        const ids = [...new Set(request.body.jobIds)];
        const diracx = services.diracx(p.instance);
        const visible = await visibleJobs(diracx, p, ids);
        const failed: JobActionResult['failed'] = ids
          .filter((id) => !visible.has(id))
          .map((jobId) => ({ jobId, reason: `Job ${jobId} ${NOT_VISIBLE}` }));
        const targets = ids.filter((id) => visible.has(id));
        const succeeded: number[] = [];
        if (targets.length > 0) {
          const result = await applyAction(diracx, p, action, targets, visible);
          for (const id of Object.keys(result.success ?? {})) succeeded.push(Number(id));
          for (const [id, why] of Object.entries(result.failed ?? {})) failed.push({ jobId: Number(id), reason: failureReason(why) });
        }
        await services.audit.record({
          actorSub: p.sub,
          actorName: p.username,
          instanceId: p.instance.id,
          action: `jobs.${action}`,
          target: ids.join(','),
          detail: { succeeded, failed },
          requestId: request.id,
        });
        return { action, succeeded: succeeded.sort((a, b) => a - b), failed: failed.sort((a, b) => a.jobId - b.jobId) };
      },
    );

    app.get(
      '/v1/jobs/export',
      {
        schema: {
          tags: ['jobs'],
          summary: `The jobs of a monitor view (or a selection) as CSV or JSON, at most ${MAX_EXPORT_ROWS}`,
          security: [{ bearer: [] }],
          querystring: JobExportQuerySchema,
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const { format, sort, order, ids, ...filters } = request.query;
        checkFilters(p, filters);
        const search = filterConditions(p, filters);
        if (ids?.length) search.push({ parameter: 'JobID', operator: 'in', values: ids });
        const { rows, total } = await upstream(() =>
          services
            .diracx(p.instance)
            .searchJobs(
              p.token,
              { parameters: [...JOB_COLUMNS], search, sort: sortSpec(sort, order) },
              { page: 1, perPage: MAX_EXPORT_ROWS },
            ),
        );
        const items = rows.map(toJobSummary);
        const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
        reply.header('content-disposition', `attachment; filename="jobs-${stamp}.${format}"`);
        reply.header('x-total-count', String(total));
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(jobsCsv(items));
        return reply.type('application/json; charset=utf-8').send(JSON.stringify({ items, total, truncated: total > items.length }));
      },
    );

    /** The job's sandboxes if the user may see the job (404 otherwise: no id guessing). */
    async function sandboxesOf(p: Principal, jobId: number) {
      const diracx = services.diracx(p.instance);
      if (!(await visibleJobs(diracx, p, [jobId])).has(jobId)) throw problems.notFound(`Job ${jobId} ${NOT_VISIBLE}`);
      const [fromDiracx, jdl] = await Promise.all([
        upstream(() => diracx.jobSandboxes(p.token, jobId)),
        jdlOfJob(services.db, p.instance.id, jobId),
      ]);
      const list: z.infer<typeof JobSandboxesSchema>['sandboxes'] = [
        ...fromDiracx.Input.map((pfn) => ({ kind: 'input' as const, pfn, source: 'diracx' as const })),
        ...sandboxPfnsOfJdl(jdl)
          .filter((pfn) => !fromDiracx.Input.includes(pfn))
          .map((pfn) => ({ kind: 'input' as const, pfn, source: 'jdl' as const })),
        ...fromDiracx.Output.map((pfn) => ({ kind: 'output' as const, pfn, source: 'diracx' as const })),
      ];
      return { diracx, list };
    }

    /** One sandbox of the job, if the user may see the job and the job has it (404 otherwise). */
    async function sandboxOf(p: Principal, jobId: number, pfn: string) {
      const { diracx, list } = await sandboxesOf(p, jobId);
      const sb = list.find((s) => s.pfn === pfn);
      if (!sb) throw problems.notFound(`Job ${jobId} has no sandbox ${pfn}`);
      return { diracx, sb };
    }

    async function fetchSandbox(diracx: DiracxClient, p: Principal, pfn: string) {
      const { url } = await upstream(() => diracx.sandboxDownloadUrl(p.token, pfn));
      return upstream(() => diracx.fetchPresigned(url));
    }

    app.get(
      '/v1/jobs/:jobId/sandboxes',
      {
        schema: {
          tags: ['jobs'],
          summary: "A job's input and output sandboxes",
          security: [{ bearer: [] }],
          params: JobIdParams,
          response: { 200: JobSandboxesSchema },
        },
      },
      async (request) => ({ sandboxes: (await sandboxesOf(principalOf(request), request.params.jobId)).list }),
    );

    app.get(
      '/v1/jobs/:jobId/sandboxes/download',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Download one sandbox archive of a job (streamed through the BFF)',
          security: [{ bearer: [] }],
          params: JobIdParams,
          querystring: SandboxQuerySchema,
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const { jobId } = request.params;
        const { diracx, sb } = await sandboxOf(p, jobId, request.query.pfn);
        const res = await fetchSandbox(diracx, p, sb.pfn);
        const ext = /\.(tar\.[a-z0-9]+)$/.exec(sb.pfn)?.[1] ?? 'tar';
        reply.header('content-disposition', `attachment; filename="job-${jobId}-${sb.kind}-sandbox.${ext}"`);
        const len = res.headers.get('content-length');
        if (len) reply.header('content-length', len);
        reply.type('application/octet-stream');
        return reply.send(res.body ?? Buffer.alloc(0));
      },
    );

    app.get(
      '/v1/jobs/:jobId/sandboxes/contents',
      {
        schema: {
          tags: ['jobs'],
          summary: "The files in one of a job's sandboxes; small text files (std.out, std.err) inline",
          security: [{ bearer: [] }],
          params: JobIdParams,
          querystring: SandboxQuerySchema,
          response: { 200: SandboxContentsSchema },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { pfn } = request.query;
        const { diracx } = await sandboxOf(p, request.params.jobId, pfn);
        // Access was checked just above, for this request; the cache only saves downloading and unpacking again.
        const listing = await listings.get(p.instance.id, pfn, async () =>
          listSandboxArchive((await fetchSandbox(diracx, p, pfn)).body ?? new Uint8Array(), pfn),
        );
        if ('refused' in listing) throw problems.unprocessable(`${listing.refused}; download it instead.`);
        const { members } = listing;
        if (!members) return { pfn, members: [], note: 'This archive format cannot be listed by the portal; download it instead.' };
        return {
          pfn,
          note: null,
          members: members.map((m) => {
            const head = m.head.subarray(0, SANDBOX_INLINE_LIMIT);
            const isText = !head.includes(0);
            return {
              name: m.name,
              size: m.size,
              text: isText ? head.toString('utf8') : null,
              truncated: isText && m.size > SANDBOX_INLINE_LIMIT,
            };
          }),
        };
      },
    );
  };
}
