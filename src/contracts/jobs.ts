import { z } from 'zod';

export const JOB_STATUSES = [
  'Submitting',
  'Received',
  'Checking',
  'Staging',
  'Waiting',
  'Matched',
  'Running',
  'Stalled',
  'Completing',
  'Done',
  'Completed',
  'Failed',
  'Deleted',
  'Killed',
  'Rescheduled',
] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;
export const FINAL_STATUSES: readonly JobStatus[] = ['Done', 'Completed', 'Failed', 'Killed', 'Deleted'];

const nullableString = z.string().nullable().optional();

export const JobSummarySchema = z.object({
  jobId: z.number().int(),
  jobName: nullableString,
  status: z.string(),
  minorStatus: nullableString,
  applicationStatus: nullableString,
  site: nullableString,
  jobGroup: nullableString,
  owner: nullableString,
  ownerGroup: nullableString,
  vo: nullableString,
  submissionTime: nullableString,
  lastUpdateTime: nullableString,
  startExecTime: nullableString,
  endExecTime: nullableString,
  /** The attributes below are optional so that older answers (and fixtures) still parse. */
  jobType: nullableString,
  /** DiracX's HeartBeatTime: the job's last sign of life. */
  heartBeatTime: nullableString,
  rescheduleTime: nullableString,
  userPriority: z.number().int().nullable().optional(),
  rescheduleCounter: z.number().int().nullable().optional(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const StatusHistoryEntrySchema = z.object({
  status: z.string(),
  minorStatus: nullableString,
  applicationStatus: nullableString,
  source: nullableString,
  time: z.string(),
});
export type StatusHistoryEntry = z.infer<typeof StatusHistoryEntrySchema>;

export const JobDetailSchema = z.object({
  job: JobSummarySchema,
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  history: z.array(StatusHistoryEntrySchema),
  /** The exact JDL the portal sent (DiracX has no endpoint that returns it); null for jobs submitted elsewhere. */
  jdl: z.string().nullable(),
  /** What the application's exit code means (its descriptor's `error-codes`), when the portal launched it and the code is declared. */
  exitCodeReason: z.string().nullable().default(null),
});
export type JobDetail = z.infer<typeof JobDetailSchema>;

export const JobListQuerySchema = z.object({
  page: z.coerce.number().int().positive().default(1),
  perPage: z.coerce.number().int().min(1).max(500).default(25),
  status: JobStatusSchema.optional(),
  jobGroup: z.string().max(128).optional(),
});
export type JobListQuery = z.infer<typeof JobListQuerySchema>;

export const JobPageSchema = z.object({
  items: z.array(JobSummarySchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  perPage: z.number().int().positive(),
});
export type JobPage = z.infer<typeof JobPageSchema>;
