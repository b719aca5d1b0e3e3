import { z } from 'zod';
import { JobStatusSchema, JobSummarySchema } from './jobs.ts';
import { noControlChars } from './text.ts';

/**
 * The job monitor's filter, sort and page state: the querystring of
 * GET /bff/v1/jobs (and of its summary and export) and the SPA's `/jobs?…` URL.
 * One schema for both, so a link reproduces the view.
 */

/** Columns the monitor may sort on (attributes of DiracX's Jobs table). */
export const JOB_SORT_FIELDS = [
  'JobID',
  'JobName',
  'Status',
  'MinorStatus',
  'Site',
  'JobGroup',
  'Owner',
  'OwnerGroup',
  'SubmissionTime',
  'StartExecTime',
  'EndExecTime',
  'LastUpdateTime',
] as const;
export const JobSortFieldSchema = z.enum(JOB_SORT_FIELDS);
export type JobSortField = z.infer<typeof JobSortFieldSchema>;
export const SortOrderSchema = z.enum(['asc', 'desc']);

const FilterTextSchema = z.string().trim().min(1).max(128).check(noControlChars());

/** "Running,Done" or ?status=Running&status=Done. */
export const StatusListSchema = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(JobStatusSchema).min(1).max(15),
);

/** A UTC instant: ISO date-time with Z or an offset, or a bare date (midnight UTC). */
export const InstantSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const JobFiltersSchema = z.object({
  status: StatusListSchema.optional(),
  minorStatus: FilterTextSchema.optional(),
  site: FilterTextSchema.optional(),
  jobGroup: FilterTextSchema.optional(),
  /** Only for PIs and admins (a scientist sees their own jobs only). */
  owner: FilterTextSchema.optional(),
  submittedAfter: InstantSchema.optional(),
  submittedBefore: InstantSchema.optional(),
  /** Free text: a job id, or part of the job name. */
  q: FilterTextSchema.optional(),
});
export type JobFilters = z.infer<typeof JobFiltersSchema>;
export const JOB_FILTER_KEYS = Object.keys(JobFiltersSchema.shape) as (keyof JobFilters)[];

export const JobSearchQuerySchema = JobFiltersSchema.extend({
  page: z.coerce.number().int().positive().max(100_000).default(1),
  perPage: z.coerce.number().int().min(1).max(500).default(25),
  sort: JobSortFieldSchema.default('JobID'),
  order: SortOrderSchema.default('desc'),
});
export type JobSearchQuery = z.infer<typeof JobSearchQuerySchema>;

/** Counts per status for the current filter (the status filter itself left out, so it works as a quick filter). */
export const JobStatusSummarySchema = z.object({
  counts: z.array(z.object({ status: z.string(), count: z.number().int().nonnegative() })),
  total: z.number().int().nonnegative(),
});
export type JobStatusSummary = z.infer<typeof JobStatusSummarySchema>;

export const JOB_ACTIONS = ['kill', 'delete', 'reschedule'] as const;
export const JobActionSchema = z.enum(JOB_ACTIONS);
export type JobAction = z.infer<typeof JobActionSchema>;
export const MAX_ACTION_JOBS = 1000;

export const JobActionRequestSchema = z.object({
  action: JobActionSchema,
  jobIds: z.array(z.number().int().positive()).min(1).max(MAX_ACTION_JOBS),
});
export type JobActionRequest = z.infer<typeof JobActionRequestSchema>;

export const JobActionResultSchema = z.object({
  action: JobActionSchema,
  succeeded: z.array(z.number().int()),
  failed: z.array(z.object({ jobId: z.number().int(), reason: z.string() })),
});
export type JobActionResult = z.infer<typeof JobActionResultSchema>;

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export const MAX_EXPORT_ROWS = 10_000;
export const JobExportQuerySchema = JobFiltersSchema.extend({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  sort: JobSortFieldSchema.default('JobID'),
  order: SortOrderSchema.default('desc'),
  /** Export only these jobs (the selection), still limited to what the user may see. */
  ids: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
      z.array(z.coerce.number().int().positive()).max(MAX_EXPORT_ROWS),
    )
    .optional(),
});
export type JobExportQuery = z.infer<typeof JobExportQuerySchema>;
export const JobExportJsonSchema = z.object({ items: z.array(JobSummarySchema), total: z.number().int(), truncated: z.boolean() });

export const SandboxKindSchema = z.enum(['input', 'output']);
export const JobSandboxSchema = z.object({
  kind: SandboxKindSchema,
  pfn: z.string(),
  /** Where the portal learnt about it: DiracX's job record, or the JDL the portal kept (input sandboxes). */
  source: z.enum(['diracx', 'jdl']),
});
export const JobSandboxesSchema = z.object({ sandboxes: z.array(JobSandboxSchema) });
export type JobSandboxes = z.infer<typeof JobSandboxesSchema>;

export const SANDBOX_INLINE_LIMIT = 64 * 1024;
export const SandboxMemberSchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** The text of small text members (std.out, std.err, logs) up to SANDBOX_INLINE_LIMIT bytes. */
  text: z.string().nullable(),
  truncated: z.boolean(),
});
export const SandboxContentsSchema = z.object({ pfn: z.string(), members: z.array(SandboxMemberSchema), note: z.string().nullable() });
export type SandboxContents = z.infer<typeof SandboxContentsSchema>;
export const SandboxQuerySchema = z.object({ pfn: z.string().min(1).max(1024) });

/** Jobs submitted per day, by status, for the current filters (status left out): the monitor's small chart. */
export const JobTimelineQuerySchema = JobFiltersSchema.extend({
  days: z.coerce.number().int().min(1).max(90).default(14),
});
export const JobTimelineSchema = z.object({
  days: z.array(z.object({ day: z.iso.date(), counts: z.record(z.string(), z.number().int().nonnegative()) })),
});
export type JobTimeline = z.infer<typeof JobTimelineSchema>;
