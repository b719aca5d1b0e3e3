import { z } from 'zod';
import { pageSchema } from './common.ts';
import { LaunchSchema, LaunchStatusSchema } from './launches.ts';

/**
 * A production is everything one launch submitted: one DIRAC JobGroup. The BFF keeps the launch
 * (name, workflow, inputs, owner, time) and asks DiracX for the live job counts per JobGroup.
 */

/** Job statuses folded into the five buckets a progress bar shows. */
export const ProgressBucketSchema = z.enum(['done', 'running', 'waiting', 'failed', 'killed']);
export type ProgressBucket = z.infer<typeof ProgressBucketSchema>;

export const JobCountsSchema = z.object({
  done: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  waiting: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  killed: z.number().int().nonnegative(),
});
export type JobCounts = z.infer<typeof JobCountsSchema>;

/**
 * submitting: the BFF is still sending jobs; active: jobs wait or run; completed: every job is final
 * and none failed; failures: every job is final and some failed (or were killed).
 */
export const ProductionStateSchema = z.enum(['submitting', 'active', 'completed', 'failures']);
export type ProductionState = z.infer<typeof ProductionStateSchema>;

export const ProductionSchema = z.object({
  id: z.string().meta({ description: 'The launch id' }),
  name: z.string(),
  jobGroup: z.string(),
  workflowId: z.string(),
  owner: z.string(),
  ownerGroup: z.string(),
  createdAt: z.string(),
  launchStatus: LaunchStatusSchema,
  state: ProductionStateSchema,
  /** Jobs the launch asked for (submitted or not). */
  totalJobs: z.number().int().nonnegative(),
  submittedJobs: z.number().int().nonnegative(),
  counts: JobCountsSchema,
  /** Finished jobs (done, failed, killed) per hour since the production was created; null before the first one. */
  throughputPerHour: z.number().nonnegative().nullable(),
  /** When the remaining jobs should be finished at that pace; null when finished or unknown. */
  estimatedCompletion: z.string().nullable(),
});
export type Production = z.infer<typeof ProductionSchema>;

const dateParam = z.iso.date().optional();

export const ProductionListQuerySchema = z.object({
  page: z.coerce.number().int().positive().default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
  /** Exact DiracX user name of the owner. */
  owner: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,64}$/)
    .optional(),
  workflow: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
    .optional(),
  state: ProductionStateSchema.optional(),
  /** Created on or after this day (UTC). */
  from: dateParam,
  /** Created on or before this day (UTC). */
  to: dateParam,
});
export type ProductionListQuery = z.input<typeof ProductionListQuerySchema>;

export const ProductionPageSchema = pageSchema(ProductionSchema).extend({
  /** Owners and workflows among the productions the user may see (for the filter menus). */
  owners: z.array(z.string()),
  workflows: z.array(z.string()),
});
export type ProductionPage = z.infer<typeof ProductionPageSchema>;

/** Failed jobs for one value of an attribute; `key` is null when DiracX has no value (e.g. no site yet). */
export const BreakdownEntrySchema = z.object({
  key: z.string().nullable(),
  count: z.number().int().nonnegative(),
  /** What the key means, when known (an exit code the workflow's descriptor declares in `error-codes`). */
  reason: z.string().nullable().optional(),
});
export type BreakdownEntry = z.infer<typeof BreakdownEntrySchema>;

export const ProductionDetailSchema = z.object({
  production: ProductionSchema,
  /** The launch as recorded (inputs for an exact relaunch, submission errors). */
  launch: LaunchSchema,
  failures: z.object({
    byMinorStatus: z.array(BreakdownEntrySchema),
    bySite: z.array(BreakdownEntrySchema),
    /** Failed jobs by application status ("Exit code 3"), with the descriptor's reason for each declared code. */
    byApplicationStatus: z.array(BreakdownEntrySchema).default([]),
  }),
});
export type ProductionDetail = z.infer<typeof ProductionDetailSchema>;

/** At most this many failure kinds (minor statuses) get a std.err sample, one job each. */
export const FAILURE_SAMPLE_KINDS = 6;
/** The last characters of std.err shown per sample. */
export const STDERR_TAIL_CHARS = 2000;

/** The most recent failed job of each failure kind, with the tail of its std.err (from its output sandbox). */
export const FailureSampleSchema = z.object({
  minorStatus: z.string().nullable(),
  applicationStatus: z.string().nullable(),
  jobId: z.number().int().positive(),
  /** Failed jobs of this minor status among those looked at. */
  count: z.number().int().nonnegative(),
  /** The end of std.err; null when the job has no readable std.err (see `note`). */
  stderrTail: z.string().nullable(),
  note: z.string().nullable(),
});
export type FailureSample = z.infer<typeof FailureSampleSchema>;
export const FailureSamplesSchema = z.object({
  items: z.array(FailureSampleSchema),
  /** Failed jobs looked at (the newest ones); more exist when `truncated`. */
  looked: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type FailureSamples = z.infer<typeof FailureSamplesSchema>;

/** Cumulative counts at each time point: how many jobs had been submitted, had started, had finished (done or failed). */
export const ProgressPointSchema = z.object({
  time: z.string(),
  submitted: z.number().int().nonnegative(),
  started: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type ProgressPoint = z.infer<typeof ProgressPointSchema>;

export const ProductionProgressSchema = z.object({
  points: z.array(ProgressPointSchema),
  /** Jobs the series was computed from (the series covers at most `limit` jobs). */
  jobs: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type ProductionProgress = z.infer<typeof ProductionProgressSchema>;

export const BulkActionSchema = z.enum(['reschedule-failed', 'kill-remaining']);
export type BulkAction = z.infer<typeof BulkActionSchema>;

export const BulkResultSchema = z.object({
  action: BulkActionSchema,
  /** Jobs the action was sent for. */
  requested: z.number().int().nonnegative(),
  succeeded: z.array(z.number().int()),
  failed: z.array(z.object({ jobId: z.number().int(), detail: z.string() })),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;
